"""Build the graph: ontology + curated knowledge + ingested documents → a new store.

A build never writes into the store being served. It fills a fresh store folder
and switches the ``CURRENT`` pointer only once everything succeeded, so a
failed build leaves the previous graph serving. Documents whose content hash
did not change are copied from the previous build instead of re-ingested; a
document that fails to ingest keeps its previous version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from regkg import __version__
from regkg.config import Settings
from regkg.graph.store import (
    GraphStore,
    OxigraphStore,
    current_store_path,
    discard,
    new_store_path,
    publish,
)
from regkg.graph.stats import graph_stats
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
    store_path: Path
    ontology_files: int = 0
    documents: list[DocumentOutcome] = field(default_factory=list)
    triples: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> list[DocumentOutcome]:
        return [d for d in self.documents if d.status == "failed"]


Progress = Callable[[str, dict], None]


def _no_progress(event: str, data: dict) -> None:
    return None


def _load_ontology(store: OxigraphStore, directory: Path) -> int:
    files = ontology_files(directory)
    for f in files:
        try:
            store.load_graph(f.graph, f.path.read_bytes(), ox.RdfFormat.TURTLE)
        except SyntaxError as exc:
            raise BuildError(f"{f.path.name}: invalid Turtle: {exc}") from exc
    return len(files)


def previous_hashes(store: GraphStore | None) -> dict[str, str]:
    """doc_id → content hash of every document in a previous build."""
    if store is None:
        return {}
    prefix = str(GRAPH["doc/"])
    result = store.select("SELECT ?g ?sha WHERE { GRAPH ?g { ?doc rko:sha256 ?sha } }")
    return {
        row["g"].value[len(prefix):]: row["sha"].value
        for row in result.rows
        if row["g"].value.startswith(prefix)
    }


def _ingest(
    store: OxigraphStore,
    previous: GraphStore | None,
    corpus_dirs: Sequence[Path],
    report: BuildReport,
    progress: Progress,
) -> list:
    from regkg.ingest.lexicon import Lexicon
    from regkg.ingest.pipeline import discover, ingest_corpus

    progress("documents", {"total": len(discover(corpus_dirs))})
    lexicon = Lexicon.from_graph(store.native)
    results = []
    for result in ingest_corpus(corpus_dirs, lexicon, previous_hashes(previous)):
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
) -> BuildReport:
    """Build a new store and publish it; raise BuildError (nothing published) on failure."""
    if settings.store_url:
        return _build_remote(settings, corpus_dirs, progress, ontology_dir)
    started = dt.datetime.now(dt.timezone.utc)
    path = new_store_path(settings.store_dir)
    report = BuildReport(store_path=path)
    previous_path = current_store_path(settings.store_dir)
    store = OxigraphStore.open(path)
    previous = OxigraphStore.open(previous_path, read_only=True) if previous_path else None
    try:
        _fill(store, previous, corpus_dirs, report, progress, ontology_dir, started)
        store.materialise_union()
        store.flush()
        report.triples = graph_stats(store).triples
    except BaseException:
        del store
        discard(path)
        raise
    del store, previous
    publish(settings.store_dir, path)
    return report


def _fill(store: OxigraphStore, previous: GraphStore | None, corpus_dirs: Sequence[Path], report: BuildReport,
          progress: Progress, ontology_dir: Path, started: dt.datetime) -> None:
    """Ontology, curated knowledge, documents and provenance into ``store``: the build itself."""
    progress("stage", {"name": "ontology"})
    report.ontology_files = _load_ontology(store, ontology_dir)
    results = []
    if corpus_dirs:
        progress("stage", {"name": "documents"})
        results = _ingest(store, previous, corpus_dirs, report, progress)
    ended = dt.datetime.now(dt.timezone.utc)
    _record_provenance(store, results, started, ended)
    report.seconds = (ended - started).total_seconds()


def _build_remote(settings: Settings, corpus_dirs: Sequence[Path], progress: Progress,
                  ontology_dir: Path) -> BuildReport:
    """The same build into a SPARQL server: staged in memory, uploaded as a new build, then published.

    Staging in an embedded in-memory store keeps one build pipeline (the
    annotator reads the lexicon from it) and sends each graph to the server
    in one request. Until ``publish`` writes its one pointer triple the new
    build is invisible to readers; on any failure its graphs are dropped.
    """
    from regkg.graph.remote import RemoteBuild

    started = dt.datetime.now(dt.timezone.utc)
    target = RemoteBuild(settings)
    report = BuildReport(store_path=target.store.path)
    staging = OxigraphStore.in_memory()
    _fill(staging, target.previous, corpus_dirs, report, progress, ontology_dir, started)
    progress("stage", {"name": "upload"})
    report.triples = target.publish_from(staging)
    report.seconds = (dt.datetime.now(dt.timezone.utc) - started).total_seconds()
    return report


def _record_provenance(store: OxigraphStore, results: list, started, ended) -> None:
    from regkg.ingest.provenance import prov_activity_quads

    store.replace_graph(str(GRAPH["provenance"]), prov_activity_quads(results, started, ended, __version__))
