"""How latency grows with graph size: named queries, search and ask on the graph ×1, ×10, ×100.

Search and ask build their index (units, BM25, sentence embeddings) on first
use; that one-off cost is reported separately from the per-request latency.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from bench.named_queries import Timing, rdflib_copy, sample, time_queries
from bench.scale import scaled
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
    search_ms: tuple[float, float] | None = None
    ask_ms: tuple[float, float] | None = None
    notes: list[str] = field(default_factory=list)


def run(store: OxigraphStore, factors: tuple[int, ...], repeat: int, rdflib_max: int,
        search_max: int) -> Iterator[ScaleResult]:
    """One result per factor; rdflib only up to ``rdflib_max`` and search/ask up to ``search_max``
    (both are bounded so the benchmark finishes: rdflib needs minutes per query at ×100)."""
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

    t = time.perf_counter()
    index = get_index(store)
    index.embeddings()
    get_linker(store)
    result.index_s = time.perf_counter() - t
    result.units = len(index.units)
    n = max(3, repeat // 4)
    result.search_ms = _pooled([sample(lambda q=q: search(store, q, k=10), n) for q in SEARCH_QUERIES])
    result.ask_ms = _pooled([sample(lambda q=q: ask(store, q), n) for q in ASK_QUESTIONS])


def _pooled(per_query: list[tuple[float, float]]) -> tuple[float, float]:
    """Median of the per-query p50s and the worst p95."""
    p50s = sorted(p for p, _ in per_query)
    return p50s[len(p50s) // 2], max(p for _, p in per_query)
