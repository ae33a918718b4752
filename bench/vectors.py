"""Search at 1k, 10k and 100k passages ((d)): the real search path, its memory and its vector index.

The passages are ``bench.scale.synthetic_units`` grown from the graph's own
units (distinct texts, so as many sentence vectors as sentences). The index is
built exactly as for a build (``build_index``: BM25 terms, sentence vectors,
and an HNSW graph once there are ``ANN_MIN_ROWS`` distinct sentences and faiss
is installed) and queried through ``search_in`` — entity linking, the
cross-lingual bridge, BM25, dense, fusion, entity boost, top-k and the hit
JSON — with the real graph's entity linker.

The build's artefacts are saved as a build saves them (BM25 postings, vectors, HNSW graph), and
their size on disk and the time to load them back into an index (what a starting server does once
it has read the units) are reported.

Memory is the growth of the process's resident set while the index is built
(BM25 postings, vectors, HNSW graph, the units themselves), after the model and
linker are loaded. Where the ANN index is in use, the same queries are also run
with brute force over the same vectors, and the overlap of the two top-10s is
reported, so speed is never bought silently with different answers.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import shutil
import time
from dataclasses import dataclass

from bench.growth import SEARCH_QUERIES, pooled
from bench.named_queries import sample
from bench.scale import synthetic_units
from bench.startup import rss_mb
from regkg.graph.store import GraphStore

K = 10


@dataclass
class SearchResult:
    passages: int
    sentences: int
    vectors: int
    method: str
    build_s: float
    rss_mb: float
    index_mb: float  # BM25 postings + vectors + HNSW links, counted
    p50_ms: float
    p95_ms: float
    exact_p50_ms: float | None = None  # brute force over the same vectors (when the ANN is in use)
    overlap: float | None = None  # share of brute force's top-10 the ANN search returns
    disk_mb: float = 0.0  # the saved artefacts: BM25 postings, vectors, HNSW graph
    load_s: float = 0.0  # a new process's way to the same index: saved artefacts loaded, not computed


def run(store: GraphStore, sizes: tuple[int, ...], repeat: int) -> list[SearchResult]:
    from regkg.queries.linking import get_linker
    from regkg.queries.retrieval.dense import DenseIndex
    from regkg.queries.retrieval.index import build_index, get_index

    base = get_index(store)
    linker = get_linker(store)
    base.encoder.encode(base.distinct)  # model, tokenizer and buffers warm before memory is measured
    out = []
    # vectors (and HNSW graphs) go to a private folder beside the build's artefacts, removed at the end;
    # the models folder is the build's, so the index uses the embedding model already loaded
    scratch = base.artefacts.folder / f"bench-passages-{os.getpid()}"
    try:
        for n in sizes:
            units = synthetic_units(base.units, n)
            gc.collect()
            before = rss_mb()
            t = time.perf_counter()
            artefacts = dataclasses.replace(base.artefacts, folder=scratch / str(n))
            index = build_index(units, artefacts, base.model_name)
            dense = index.dense()
            index.bm25.save(artefacts.folder / "index" / "bm25", f"bench-{n}")
            index.bridge()  # the cross-lingual tables are part of the build, not of the first search
            build_s = time.perf_counter() - t
            gc.collect()
            grown = rss_mb() - before
            load_s = _load_time(units, artefacts, base.model_name, f"bench-{n}")
            del units
            p50, p95 = _time(index, linker, repeat)
            result = SearchResult(n, len(index.sentences), len(dense.vectors), dense.method, build_s, grown,
                                  (index.bm25.nbytes() + dense.nbytes()) / 2**20, p50, p95,
                                  disk_mb=_disk_mb(artefacts.folder), load_s=load_s)
            if dense.ann is not None:
                approx = _tops(index, linker)
                index._dense = DenseIndex(dense.vectors, index.sentence_row, index.sentence_unit, len(index.units))
                result.exact_p50_ms = _time(index, linker, repeat)[0]
                exact = _tops(index, linker)
                result.overlap = sum(len(a & e) for a, e in zip(approx, exact)) / sum(len(e) for e in exact)
            out.append(result)
            index = dense = None  # free this size's index before building the next
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return out


def _load_time(units, artefacts, model_name: str | None, source: str) -> float:
    """Seconds to make the same index from what the build saved (BM25 postings memory-mapped, vectors
    or HNSW graph read), as a starting server does once it has the units."""
    from regkg.queries.retrieval.bm25 import BM25
    from regkg.queries.retrieval.index import build_index

    t = time.perf_counter()
    bm25 = BM25.load(artefacts.folder / "index" / "bm25", source)
    assert bm25 is not None, "the BM25 postings just saved"
    build_index(units, artefacts, model_name, bm25=bm25).dense()
    return time.perf_counter() - t


def _disk_mb(folder) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def _time(index, linker, repeat: int) -> tuple[float, float]:
    from regkg.queries.search import search_in

    return pooled([sample(lambda q=q: search_in(index, linker, q, k=K), repeat) for q in SEARCH_QUERIES])


def _tops(index, linker) -> list[set[str]]:
    from regkg.queries.search import search_in

    return [{h["iri"] for h in search_in(index, linker, q, k=K)["hits"]} for q in SEARCH_QUERIES]
