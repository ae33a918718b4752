"""How latency grows with graph size: named queries, search and ask on the graph ×1, ×10, ×100.

Search and ask build their index (units, BM25, sentence embeddings, entity
linker) on first use; that one-off cost is reported separately from the
per-request latency, with the memory it adds (growth of the resident set; the
models, the tokenizer and a first index on the built graph are loaded before,
so one-off process costs are not counted at ×1).

The embeddings are always encoded afresh (never read from a previous run's
cache), but the ×N graph repeats the corpus's texts, and sentences with the
same text share one vector: the encoding cost stays that of ×1 (``vectors``,
(d), measures distinct texts).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from bench.named_queries import Timing, rdflib_copy, sample, time_queries
from bench.scale import scaled
from bench.startup import rss_mb
from regkg.graph.store import OxigraphStore

SEARCH_QUERIES = ("iPS細胞由来細胞のリスク分類", "mycoplasma testing of cell products", "特定細胞加工物の製造",
                  "What is a certified committee for regenerative medicine?")
ASK_QUESTIONS = ("ES細胞を用いる再生医療等のリスク分類は？", "What does QTPP stand for?",
                 "Who must submit a provision plan for class 2 regenerative medicine?")


@dataclass
class ScaleResult:
    factor: int
    triples: int
    queries: list[Timing]
    units: int = 0
    index_s: float | None = None
    index_mb: float | None = None
    search_ms: tuple[float, float] | None = None
    ask_ms: tuple[float, float] | None = None
    notes: list[str] = field(default_factory=list)


def run(store: OxigraphStore, factors: tuple[int, ...], repeat: int, rdflib_max: int,
        search_max: int) -> Iterator[ScaleResult]:
    """One result per factor; rdflib only up to ``rdflib_max`` and search/ask up to ``search_max``
    (rdflib is bounded so the benchmark finishes: it needs minutes per query at ×100)."""
    if search_max >= min(factors):
        from regkg.queries.retrieval.index import warm

        warm(store)  # models, tokenizer and a first index on the built graph: once per process, not per scale
    for factor in factors:
        big = scaled(store, factor)
        dataset = rdflib_copy(big) if factor <= rdflib_max else None
        result = ScaleResult(factor, len(big), time_queries(big, repeat, max(2, repeat // 4), dataset))
        if dataset is None:
            result.notes.append(f"rdflib skipped above ×{rdflib_max}")
        del dataset
        if factor <= search_max:
            _search_and_ask(big, result, repeat)
        else:
            result.notes.append(f"search/ask skipped above ×{search_max}")
        yield result


def _search_and_ask(store: OxigraphStore, result: ScaleResult, repeat: int) -> None:
    from regkg.queries.ask import ask
    from regkg.queries.linking import get_linker
    from regkg.queries.retrieval.index import get_index
    from regkg.queries.search import search

    gc.collect()
    before = rss_mb()
    t = time.perf_counter()
    index = get_index(store)
    index.embeddings_path().unlink(missing_ok=True)  # time the encoding, not a previous run's cache
    dense = index.dense()
    get_linker(store)
    result.index_s = time.perf_counter() - t
    result.index_mb = rss_mb() - before
    result.units = len(index.units)
    result.notes.append(f"{len(index.sentences)} sentences, {len(dense.vectors)} distinct; {dense.method}")
    n = max(3, repeat // 4)
    result.search_ms = pooled([sample(lambda q=q: search(store, q, k=10), n) for q in SEARCH_QUERIES])
    result.ask_ms = pooled([sample(lambda q=q: ask(store, q), n) for q in ASK_QUESTIONS])


def pooled(per_query: list[tuple[float, float]]) -> tuple[float, float]:
    """Median of the per-query p50s and the worst p95."""
    p50s = sorted(p for p, _ in per_query)
    return p50s[len(p50s) // 2], max(p for _, p in per_query)
