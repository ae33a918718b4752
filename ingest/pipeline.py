"""The build interface graph/build.py calls: discover files, ingest each into quads.

One document at a time, each into its own named graph (doc_graph(doc_id)), so
a failure or a re-ingest touches exactly one graph. Documents whose content
hash matches the previous build are reported "unchanged" without parsing.
Nothing here raises for a bad document: it comes back "failed" with a reason.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pyoxigraph

from regkg.ontology.namespaces import doc_graph

from . import iris
from .annotate import Annotator
from .lexicon import Lexicon
from .manifest import load_manifest
from .model import ReadError, SourceDocument
from .readers import SUPPORTED_SUFFIXES, read
from .triples import document_quads, link_quads, unit_quads
from .xrefs import RefContext, context_for, document_keys, extract

Status = Literal["ingested", "unchanged", "failed"]


@dataclass
class DocumentResult:
    doc_id: str
    doc_iri: str
    graph_iri: str
    path: Path
    sha256: str
    status: Status
    quads: list[pyoxigraph.Quad] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    seconds: float = 0.0


@dataclass
class CorpusFile:
    """A discovered file with the manifest entry that describes it (empty when none)."""

    path: Path
    corpus_dir: Path
    meta: dict

    @property
    def relative(self) -> str:
        return self.path.relative_to(self.corpus_dir).as_posix()


def discover(corpus_dirs: Sequence[Path]) -> list[Path]:
    """Supported files under the corpus folders, sorted; MANIFEST.json itself is metadata, not a document."""
    return [f.path for f in discover_with_metadata(corpus_dirs)]


def discover_with_metadata(corpus_dirs: Sequence[Path]) -> list[CorpusFile]:
    out: list[CorpusFile] = []
    for d in corpus_dirs:
        d = Path(d)
        manifest = load_manifest(d)
        for p in sorted(d.rglob("*")):
            if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not any(
                    part.startswith(".") for part in p.relative_to(d).parts):
                out.append(CorpusFile(p, d, manifest.get(p.relative_to(d).as_posix(), {})))
    return sorted(out, key=lambda f: str(f.path))


def _doc_iri_for(file: CorpusFile) -> str:
    law_id = file.meta.get("law_id")
    if law_id or (file.path.suffix.lower() in (".md", ".xml") and iris_law_stem(file.path)):
        return iris.law_iri(law_id or iris_law_stem(file.path) or file.path.stem)
    return iris.doc_iri(iris.doc_id_for(file.path))


def iris_law_stem(path: Path) -> str | None:
    import re
    m = re.match(r"^(\d{3}[A-Z]{2}\d{10})", path.stem)
    return m.group(1) if m else None


def known_documents(files: Sequence[CorpusFile]) -> dict[str, str]:
    """Notice numbers and ICH codes → document IRI, for resolving document references."""
    keys: dict[str, str] = {}
    for f in files:
        keys.update(document_keys(f.meta, _doc_iri_for(f)))
        if f.path.stem.lower().startswith("ich-"):
            code = f.path.stem.upper().removeprefix("ICH-").replace("-R", "(R", 1)
            keys.setdefault(f"ICH {code})" if "(R" in code else f"ICH {code}", _doc_iri_for(f))
    return keys


def ingest_corpus(
    corpus_dirs: Sequence[Path],
    lexicon: Lexicon | Annotator,
    previous_hashes: Mapping[str, str],
    on_progress: Callable[[DocumentResult], None] | None = None,
    max_bytes: int | None = None,
) -> Iterator[DocumentResult]:
    """Yield one DocumentResult per discovered file, in path order.

    A file larger than ``max_bytes`` fails with its size and the limit as the
    reason, before it is read: one oversized text must not swell the graph or
    exhaust memory.
    """
    files = discover_with_metadata(corpus_dirs)
    documents = known_documents(files)
    annotator: Annotator | None = lexicon if isinstance(lexicon, Annotator) else None
    for f in files:
        doc_id = iris.doc_id_for(f.path)
        started = time.perf_counter()
        result = DocumentResult(doc_id=doc_id, doc_iri=_doc_iri_for(f), graph_iri=doc_graph(doc_id), path=f.path,
                                sha256="", status="failed")
        try:
            size = f.path.stat().st_size
            if max_bytes is not None and size > max_bytes:
                raise ReadError(f"skipped: the file is {_megabytes(size)}, over the limit of "
                                f"{_megabytes(max_bytes)} per document (REGKG_MAX_DOCUMENT_MB)")
            data = f.path.read_bytes()
            result.sha256 = hashlib.sha256(data).hexdigest()
            if previous_hashes.get(doc_id) == result.sha256:
                result.status = "unchanged"
            else:
                if annotator is None:
                    annotator = Annotator(lexicon)  # type: ignore[arg-type]
                doc = read(f.path, f.meta)
                if not doc.units:
                    raise ReadError("no text units found")
                result.doc_iri = doc.doc_iri
                result.quads, result.counts = build_quads(doc, annotator, documents, result.sha256, f.relative,
                                                          result.graph_iri)
                result.status = "ingested"
        except ReadError as e:
            result.error = str(e)
        except Exception as e:  # noqa: BLE001 — a bad document must never stop the build
            result.error = f"{type(e).__name__}: {e}"
        result.seconds = time.perf_counter() - started
        if on_progress:
            on_progress(result)
        yield result


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def build_quads(doc: SourceDocument, annotator: Annotator, documents: dict[str, str], sha256: str,
                corpus_path: str, graph: str) -> tuple[list[pyoxigraph.Quad], dict[str, int]]:
    """All quads of one document plus its counts."""
    quads = document_quads(doc, graph, sha256, corpus_path)
    counts = {"provisions": 0, "versions": 0, "passages": 0, "mentions": 0, "xrefs": 0, "xrefs_resolved": 0}
    for unit in doc.units:
        quads.extend(unit_quads(doc, unit, graph))
        key = {"ProvisionVersion": "versions", "Passage": "passages"}.get(unit.kind, "provisions")
        counts[key] += 1
    targets = doc.text_units()
    hint = "\n".join(u.text for u in doc.units[:200])
    base: RefContext = context_for(doc.law_id, hint, documents=documents)
    for unit, entities in zip(targets, annotator.entities(u.own_text for u in targets), strict=True):
        quads.extend(link_quads(unit.iri, "mentions", entities, graph))
        counts["mentions"] += len(entities)
        base.unit_iri = unit.iri if unit.kind != "Passage" else None
        refs = extract(unit.own_text, base)
        resolved = {r.target for r in refs if r.target}
        counts["xrefs"] += len(refs)
        counts["xrefs_resolved"] += sum(1 for r in refs if r.target)
        quads.extend(link_quads(unit.iri, "refersTo", resolved, graph))
    return quads, counts
