"""Time every named query on the embedded store and on rdflib in memory, same data.

The rdflib side loads the exact quads of the built store into a Dataset with a
union default graph, and runs the same query text with the same VALUES
binding, so the ratio compares engines, not queries.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from rdflib import Dataset

from regkg.graph.store import OxigraphStore, bind_values


@dataclass
class Timing:
    name: str
    rows: int
    oxigraph_p50_ms: float
    oxigraph_p95_ms: float
    rdflib_p50_ms: float
    rdflib_p95_ms: float

    @property
    def ratio(self) -> float:
        return self.rdflib_p50_ms / self.oxigraph_p50_ms if self.oxigraph_p50_ms else float("inf")


def _percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return statistics.median(samples), p95


def rdflib_copy(store: OxigraphStore) -> Dataset:
    """The same quads in an rdflib Dataset (union default graph, as the embedded store queries)."""
    ds = Dataset(default_union=True)
    nq = store.native.dump(format=__import__("pyoxigraph").RdfFormat.N_QUADS)
    ds.parse(data=nq, format="nquads")
    return ds


def time_queries(store: OxigraphStore, repeat: int = 20, rdflib_repeat: int = 5) -> list[Timing]:
    from regkg.queries.library import library

    dataset = rdflib_copy(store)
    timings = []
    for q in library().values():
        bindings = q.bindings(q.example)
        text = bind_values(q.sparql, bindings)
        rows = len(store.select(q.sparql, bindings).rows)  # warm-up
        ox_samples = []
        for _ in range(repeat):
            t = time.perf_counter()
            store.select(q.sparql, bindings)
            ox_samples.append((time.perf_counter() - t) * 1000)
        rdf_samples = []
        list(dataset.query(text))  # warm-up (parser caches)
        for _ in range(rdflib_repeat):
            t = time.perf_counter()
            list(dataset.query(text))
            rdf_samples.append((time.perf_counter() - t) * 1000)
        timings.append(Timing(q.name, rows, *_percentiles(ox_samples), *_percentiles(rdf_samples)))
    return timings
