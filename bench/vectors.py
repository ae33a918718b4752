"""Search at 1k, 10k and 100k passages ((d)): a build of that size, its search, and a server started on it.

The passages are ``bench.scale.synthetic_units`` grown from the graph's own
units (distinct texts, so as many sentence vectors as sentences). Each size is
a data directory of its own whose build is published through the store's own
lifecycle (stage, fill, derive, publish), as ``regkg build`` does: the default
build's graph, its units replaced by the synthetic ones, and the search
artefacts computed by the build's own step (``derive``: BM25 postings, sentence vectors and an HNSW
graph once there are ``ANN_MIN_ROWS`` distinct sentences and faiss is
installed, the cross-lingual bridge, the linker). Queries go through
``search_in`` — entity linking, the bridge, BM25, dense, fusion, entity boost,
top-k and the hit JSON — with that build's index and linker.

Then a real ``regkg serve`` is started on that data directory and timed to
``/health`` and to models-and-index ready, and a cold ``regkg ask`` is timed:
what a user of a build of that size waits for.

Memory is the growth of the process's resident set while the artefacts are
built, after the model and linker are loaded. Where the ANN index is in use,
the same queries are also run with brute force over the same vectors, and the
overlap of the two top-10s is reported, so speed is never bought silently with
different answers.
"""

from __future__ import annotations

import dataclasses
import gc
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.growth import SEARCH_QUERIES, pooled
from bench.named_queries import sample
from bench.scale import synthetic_units
from bench.startup import cold_ask, cold_start, rss_mb
from regkg.config import Settings

K = 10
#: asked by the cold ``regkg ask`` at each size
ASK_QUESTION = "第二種の提供計画は誰が審査する？"


@dataclass
class SearchResult:
    passages: int
    sentences: int
    vectors: int
    method: str
    build_s: float
    rss_mb: float
    index_mb: float  # BM25 postings + both models' vectors + HNSW links, counted
    p50_ms: float
    p95_ms: float
    exact_p50_ms: float | None = None  # brute force over the same vectors (when the ANN is in use)
    overlap: float | None = None  # share of brute force's top-10 the ANN search returns
    disk_mb: float = 0.0  # the build's saved search artefacts (units, BM25, vectors, HNSW, bridge, linker)
    serve_ready_s: float = 0.0  # `regkg serve` on this build: start to models and index loaded
    ask_s: float = 0.0  # a cold `regkg ask` on this build, whole process


def run(settings: Settings, sizes: tuple[int, ...], repeat: int) -> list[SearchResult]:
    from regkg.graph.store import connect
    from regkg.queries.linking import get_linker
    from regkg.queries.retrieval.dense import DenseIndex
    from regkg.queries.retrieval.index import get_index

    base_store = connect(settings)
    base = get_index(base_store)
    get_linker(base_store)
    base.encoder.encode(base.distinct)  # models, tokenizer and buffers warm before memory is measured
    base.crosslingual()
    out = []
    for n in sizes:
        root = Path(tempfile.mkdtemp(prefix=f"regkg-bench-{n}-"))
        try:
            sized = dataclasses.replace(settings, data_dir=root)
            build_s, grown = _build_like(base_store, sized, synthetic_units(base.units, n))
            store = connect(sized)
            index, linker = get_index(store), get_linker(store)
            dense = index.dense()
            p50, p95 = _time(index, linker, repeat)
            result = SearchResult(n, len(index.sentences), len(dense.vectors), dense.method, build_s, grown,
                                  (index.bm25.nbytes() + dense.nbytes() + index.crosslingual().nbytes()) / 2**20,
                                  p50, p95,
                                  disk_mb=_disk_mb(store.artefacts.folder))
            if dense.ann is not None:
                approx = _tops(index, linker)
                index._dense = DenseIndex(dense.vectors, index.sentence_row, index.sentence_unit, len(index.units))
                result.exact_p50_ms = _time(index, linker, repeat)[0]
                exact = _tops(index, linker)
                result.overlap = sum(len(a & e) for a, e in zip(approx, exact)) / sum(len(e) for e in exact)
            index = dense = store = None  # free this size's index before the server reads it
            gc.collect()
            result.serve_ready_s = cold_start(root, timeout_s=600).models_s or float("nan")
            result.ask_s = cold_ask(root, ASK_QUESTION, timeout_s=600)
            out.append(result)
        finally:
            shutil.rmtree(root, ignore_errors=True)
    return out


def _build_like(base_store, settings: Settings, units) -> tuple[float, float]:
    """Publish a build in the (empty) data directory ``settings.data_dir`` through the store's own
    lifecycle, as ``regkg build`` does: the base build's graph, ``units`` as its searchable units,
    and the search artefacts derived by the build's step. The seconds that step took, and the growth
    of this process's resident memory meanwhile. The data directory shares the base's models."""
    from regkg.graph.store import get_store
    from regkg.queries.retrieval.index import derive
    from regkg.queries.retrieval.units import save_units

    models = base_store.artefacts.models
    (settings.data_dir / models.name).symlink_to(models.resolve(), target_is_directory=True)
    with get_store(settings).stage("regkg bench vectors") as staged:
        for graph in base_store.named_graphs():
            staged.store.replace_graph(graph, base_store.graph_quads(graph))
        staged.store.materialise_union()
        save_units(units, staged.store.artefacts.folder / "index" / "units.json")
        gc.collect()
        before = rss_mb()
        t = time.perf_counter()
        derive(staged.store)
        build_s = time.perf_counter() - t
        gc.collect()
        grown = rss_mb() - before
        staged.publish()
    return build_s, grown


def _disk_mb(folder) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def _time(index, linker, repeat: int) -> tuple[float, float]:
    from regkg.queries.search import search_in

    return pooled([sample(lambda q=q: search_in(index, linker, q, k=K), repeat) for q in SEARCH_QUERIES])


def _tops(index, linker) -> list[set[str]]:
    from regkg.queries.search import search_in

    return [{h["iri"] for h in search_in(index, linker, q, k=K)["hits"]} for q in SEARCH_QUERIES]
