"""Build the graph: ontology + curated knowledge + ingested documents → a new build of the store.

A build never writes into the build being served. The store adapter stages a
fresh build (holding the data directory's build lock, so a second build is
refused) and publishes it only once everything succeeded, so a failed build
leaves the previous graph serving. Documents whose content hash did not change
are copied from the previous build instead of re-ingested, with the same
triples a clean build gives them; a document that fails to ingest (or is over
the size limit) keeps its previous version and is reported as skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from regkg import __version__
from regkg.config import Settings
from regkg.graph.lock import BuildLocked
from regkg.graph.store import GraphStore, get_store
from regkg.ingest.cited_units import CITED_UNITS_GRAPH, cited_unit_quads
from regkg.ontology.load import ONTOLOGY_DIR, ontology_files
from regkg.ontology.namespaces import GRAPH


class BuildError(Exception):
    """The build could not produce a graph; the previous graph is still served."""


@dataclass
class DocumentOutcome:
    doc_id: str
    path: str
    status: str  # ingested | unchanged | failed
    counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None


@dataclass
class BuildReport:
    build_id: str
    ontology_files: int = 0
    documents: list[DocumentOutcome] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> list[DocumentOutcome]:
        return [d for d in self.documents if d.status == "failed"]


Progress = Callable[[str, dict], None]
#: A step deriving artefacts from the finished graph before it is published (the search index
#: and its sentence vectors: see ``regkg.queries.retrieval.index.derive``). It writes them to
#: ``store.artefacts.folder``, which belongs to the build and is dropped with it.
Derive = Callable[[GraphStore, Progress], None]


def _no_progress(event: str, data: dict) -> None:
    return None


def _load_ontology(store: GraphStore, directory: Path) -> int:
    files = ontology_files(directory)
    for f in files:
        try:
            store.load_graph(f.graph, f.path.read_bytes(), ox.RdfFormat.TURTLE)
        except SyntaxError as exc:
            raise BuildError(f"{f.path.name}: invalid Turtle: {exc}") from exc
    return len(files)


def ingest_inputs(corpus_dirs: Sequence[Path], ontology_dir: Path) -> str:
    """A fingerprint of what shapes a document's triples besides its own bytes.

    The annotator's lexicon comes from the ontology, references resolve
    against the corpus manifest, and the code is the code — the ingest
    package's source, not only the version number, which a change to a
    reader or the normaliser need not move: when any of them changes, reusing
    an unchanged file's old triples would give a graph a clean build would not.
    """
    from regkg import ingest
    from regkg.ingest.pipeline import discover_with_metadata

    digest = hashlib.sha256(__version__.encode())
    package = Path(ingest.__file__).parent
    for source in sorted(package.rglob("*.py")):
        digest.update(str(source.relative_to(package)).encode() + b"\0" + hashlib.sha256(source.read_bytes()).digest())
    for f in ontology_files(ontology_dir):
        digest.update(f.graph.encode() + b"\0" + hashlib.sha256(f.path.read_bytes()).digest())
    for f in discover_with_metadata(corpus_dirs):
        digest.update(json.dumps([str(f.path), f.meta], sort_keys=True, ensure_ascii=False, default=str).encode())
    return digest.hexdigest()


def previous_hashes(store: GraphStore | None, inputs: str) -> dict[str, str]:
    """doc_id → content hash of every document a previous build made from the same ``inputs``."""
    if store is None:
        return {}
    ask = "ASK WHERE { GRAPH ?g { ?build rko:ingestInputs ?inputs } }"
    if not store.ask(ask, {"inputs": ox.Literal(inputs)}):
        return {}
    prefix = str(GRAPH["doc/"])
    result = store.select("SELECT ?g ?sha WHERE { GRAPH ?g { ?doc rko:sha256 ?sha } }")
    return {
        row["g"].value[len(prefix):]: row["sha"].value
        for row in result.rows
        if row["g"].value.startswith(prefix)
    }


def build_lexicon(store: GraphStore):
    """The lexicon a build links documents with: every rko-typed entity's labels in ``store``."""
    from regkg.ingest.lexicon import Lexicon

    return Lexicon.from_graph(store.native)


def _ingest(
    store: GraphStore,
    previous: GraphStore | None,
    corpus_dirs: Sequence[Path],
    report: BuildReport,
    progress: Progress,
    max_bytes: int,
    inputs: str,
) -> list:
    from regkg.ingest.pipeline import discover, ingest_corpus

    progress("documents", {"total": len(discover(corpus_dirs))})
    lexicon = build_lexicon(store)
    results = []
    for result in ingest_corpus(corpus_dirs, lexicon, previous_hashes(previous, inputs),
                                 max_bytes=max_bytes):
        outcome = DocumentOutcome(result.doc_id, str(result.path), result.status, dict(result.counts), result.error)
        if result.status == "ingested":
            store.replace_graph(result.graph_iri, result.quads)
        elif previous is not None:
            # unchanged, or failed with an earlier good version: carry the old graph over
            kept = previous.graph_quads(result.graph_iri)
            if kept:
                store.replace_graph(result.graph_iri, kept)
                if result.status == "failed":
                    outcome.error = f"{result.error} (previous version kept)"
        report.documents.append(outcome)
        results.append(result)
        progress("document", {"outcome": outcome})
    return results


def build(
    settings: Settings,
    corpus_dirs: Sequence[Path],
    progress: Progress = _no_progress,
    ontology_dir: Path = ONTOLOGY_DIR,
    derive: Sequence[Derive] = (),
) -> BuildReport:
    """Build a new graph, derive its artefacts, and publish it.

    Raises :class:`BuildLocked` (nothing touched) when another build holds the
    data directory, :class:`BuildError` (nothing published) when the build
    fails. Skipped documents do not stop the build: they are in
    ``report.failed`` and the graph was published without them.
    """
    started = dt.datetime.now(dt.timezone.utc)
    with get_store(settings).stage("regkg build") as staged:
        report = BuildReport(build_id=staged.build_id)
        progress("stage", {"name": "ontology"})
        report.ontology_files = _load_ontology(staged.store, ontology_dir)
        results = []
        inputs = ingest_inputs(corpus_dirs, ontology_dir)
        if corpus_dirs:
            progress("stage", {"name": "documents"})
            results = _ingest(staged.store, staged.previous, corpus_dirs, report, progress,
                              settings.max_document_bytes, inputs)
        # after the documents: which cited legal units have text is known only now
        staged.store.replace_graph(CITED_UNITS_GRAPH, cited_unit_quads(staged.store.native))
        _record_provenance(staged.store, results, started, dt.datetime.now(dt.timezone.utc), inputs)
        staged.store.materialise_union()  # readers query the union: so do the derive steps
        for step in derive:
            step(staged.store, progress)
        progress("stage", {"name": "publish"})
        report.triples = staged.publish()
    report.seconds = (dt.datetime.now(dt.timezone.utc) - started).total_seconds()
    return report


__all__ = ["BuildError", "BuildLocked", "BuildReport", "DocumentOutcome", "build", "build_lexicon"]


def _record_provenance(store: GraphStore, results: list, started, ended, inputs: str) -> None:
    from regkg.ingest.provenance import prov_activity_quads

    store.replace_graph(str(GRAPH["provenance"]),
                        prov_activity_quads(results, started, ended, __version__, inputs))
