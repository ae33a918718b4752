"""Time every named query on several engines holding the same quads.

The rdflib side loads the exact quads of the built store into a Dataset with a
union default graph; the Virtuoso side is a build published from the same
store. Every engine runs the same query text with the same VALUES binding, so
the ratios compare engines, not queries.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Dataset

from regkg.graph.store import GraphStore, OxigraphStore, bind_values


#: Queries slower than this once are timed once (on any engine): at ×100 some take tens of seconds.
SLOW_MS = 2000.0


@dataclass
class Timing:
    name: str
    rows: int
    p50_ms: dict[str, float] = field(default_factory=dict)  # engine → p50
    p95_ms: dict[str, float] = field(default_factory=dict)

    def ratio(self, slow: str, fast: str = "oxigraph") -> float:
        if slow not in self.p50_ms or not self.p50_ms.get(fast):
            return float("nan")
        return self.p50_ms[slow] / self.p50_ms[fast]


def percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return statistics.median(samples), p95


def sample(run: Callable[[], object], repeat: int, budget_ms: float | None = None) -> tuple[float, float]:
    """p50 and p95 in ms of ``repeat`` runs after one warm-up run.

    A warm-up slower than ``budget_ms`` is taken as the only sample, so one
    very slow engine cannot hold a benchmark for hours.
    """
    t = time.perf_counter()
    run()
    warm = (time.perf_counter() - t) * 1000
    if budget_ms is not None and warm > budget_ms:
        return warm, warm
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        run()
        times.append((time.perf_counter() - t) * 1000)
    return percentiles(times)


def rdflib_copy(store: OxigraphStore) -> Dataset:
    """The same quads in an rdflib Dataset (union default graph, as the embedded store queries)."""
    ds = Dataset(default_union=True)
    quads = [q for graph in store.named_graphs() for q in store.graph_quads(graph)]
    ds.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format="nquads")
    return ds


def time_queries(store: OxigraphStore, repeat: int = 20, rdflib_repeat: int = 5,
                 dataset: Dataset | None = None, others: dict[str, GraphStore] | None = None,
                 other_repeat: int = 10) -> list[Timing]:
    """Per named query: p50/p95 on ``store`` (``oxigraph``), rdflib (if given) and each of ``others``."""
    from regkg.queries.library import library

    timings = []
    for q in library().values():
        bindings = q.bindings(q.example)
        t = Timing(q.name, len(store.select(q.sparql, bindings).rows))
        t.p50_ms["oxigraph"], t.p95_ms["oxigraph"] = sample(lambda: store.select(q.sparql, bindings), repeat,
                                                            SLOW_MS)
        runs: dict[str, tuple[Callable[[], object], int, float | None]] = {}
        if dataset is not None:
            text = bind_values(q.sparql, bindings)
            runs["rdflib"] = (lambda: list(dataset.query(text)), rdflib_repeat, SLOW_MS)
        for engine, other in (others or {}).items():
            runs[engine] = (lambda other=other: other.select(q.sparql, bindings), other_repeat, None)
        for engine, (run, n, budget) in runs.items():
            try:
                t.p50_ms[engine], t.p95_ms[engine] = sample(run, n, budget)
            except Exception:  # noqa: BLE001 — an engine that cannot run a query is a blank cell, not a crash
                pass
        timings.append(t)
    return timings
