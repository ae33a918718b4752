"""Ingest throughput at ×1, ×10, ×100 of the corpus ((c)).

The corpus ×N is written to a temporary folder by ``bench.scale.synthetic_corpus``
(N renamed copies of every file, each a distinct document) and ingested from
scratch as ``regkg build`` does it: read, segment, annotate, link, make quads,
and write each document's graph into a store (in memory here). The annotator
(the EntityRuler over the graph's lexicon) is built once beforehand, as a
build does; its set-up time is reported apart.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.scale import synthetic_corpus
from regkg.graph.store import GraphStore, OxigraphStore


@dataclass
class IngestResult:
    factor: int
    documents: int
    units: int
    quads: int
    seconds: float
    failed: int

    @property
    def units_per_s(self) -> float:
        return self.units / self.seconds if self.seconds else float("nan")


def annotator_for(store: GraphStore):
    """(the annotator a build would use for this graph's lexicon, seconds to build it)."""
    from regkg.graph.build import build_lexicon
    from regkg.ingest.annotate import Annotator

    t = time.perf_counter()
    annotator = Annotator(build_lexicon(store))
    return annotator, time.perf_counter() - t


def run(corpus_dir: Path, annotator, factors: tuple[int, ...]) -> Iterator[IngestResult]:
    from regkg.ingest.pipeline import ingest_corpus

    for factor in factors:
        with tempfile.TemporaryDirectory(prefix=f"regkg-bench-corpus-x{factor}-") as tmp:
            folder = synthetic_corpus(corpus_dir, factor, Path(tmp))
            target = OxigraphStore.in_memory()
            docs = units = quads = failed = 0
            t = time.perf_counter()
            for result in ingest_corpus([folder], annotator, {}):
                docs += 1
                failed += result.status == "failed"
                units += result.counts.get("provisions", 0) + result.counts.get("passages", 0)
                quads += len(result.quads)
                target.replace_graph(result.graph_iri, result.quads)
            yield IngestResult(factor, docs, units, quads, time.perf_counter() - t, failed)
