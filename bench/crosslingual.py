"""Cross-lingual search: hit@5 by (question language → answer language) with each bridge resource.

The ablation of the bridge (see ``regkg.queries.retrieval.bridge``): no bridge,
each resource alone, all but one, all — and without the multilingual encoder,
and without the embeddings — on the
retrieval sets in ``../shared/eval``. Rows are grouped by the language of the
question and of the expected text, so English questions over Japanese text are
one group whatever set they come from. Also reports the bridge's build time,
table size and memory.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

from regkg.queries.evaluate import Report, evaluate_retrieval, load_rows
from regkg.queries.retrieval.bridge import SOURCES, BridgeInputs, build_bridge
from regkg.queries.retrieval.parallel import aligned_units
from regkg.queries.retrieval.tokens import language

#: (label, bridge on, sources, dense on, multilingual encoder on)
VARIANTS = [
    ("no bridge table", True, (), True, True),
    *[(f"{s} only", True, (s,), True, True) for s in SOURCES],
    *[(f"all but {s}", True, tuple(x for x in SOURCES if x != s), True, True) for s in SOURCES],
    ("all", True, SOURCES, True, True),
    ("all but the multilingual encoder", True, SOURCES, True, False),
    ("all, BM25 only (no dense)", True, SOURCES, False, False),
]


def groups(rows: list[dict], report: Report) -> dict[str, tuple[int, int]]:
    """Hits and rows per "question language → expected-text language"."""
    out: dict[str, tuple[int, int]] = {}
    for row, o in zip(rows, report.outcomes, strict=True):
        key = f"{o.lang}→{language(' '.join(row['expect']))}"
        hits, n = out.get(key, (0, 0))
        out[key] = (hits + o.hit_at_k, n + 1)
    return out


def ablation(store, files: list[Path]) -> list[tuple[str, dict[str, tuple[int, int]]]]:
    sets = [(f, load_rows(f)) for f in files]
    table = []
    for label, bridge, sources, dense, multilingual in VARIANTS:
        cells: dict[str, tuple[int, int]] = {}
        for f, rows in sets:
            report = evaluate_retrieval(store, rows, bridge=bridge, dense=dense, sources=sources,
                                        crosslingual=multilingual)
            for key, (h, n) in groups(rows, report).items():
                cells[f"{f.stem} {key}"] = (h, n)
            cells[f"{f.stem} all"] = (sum(o.hit_at_k for o in report.outcomes), len(rows))
        table.append((label, cells))
    return table


def bridge_cost(index) -> dict[str, float]:
    """Build time (s), table entries and memory (MB) of the full bridge, built afresh."""
    inputs = BridgeInputs(index.bm25.document_frequency(), index.pairs, aligned_units(index.units))
    tracemalloc.start()
    started = time.perf_counter()
    bridge = build_bridge(inputs)
    seconds = time.perf_counter() - started
    size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"build_s": seconds, "entries": float(len(bridge)), "held_mb": size / 2**20, "peak_mb": peak / 2**20}


if __name__ == "__main__":  # pragma: no cover
    from regkg.config import settings
    from regkg.graph.store import connect
    from regkg.queries.retrieval.index import get_index

    store = connect(settings())
    files = [Path(a) for a in sys.argv[1:]] or sorted(Path("../shared/eval").glob("dev_retrieval*.jsonl"))
    print(bridge_cost(get_index(store)))
    for label, cells in ablation(store, files):
        print(f"{label:28s} " + "  ".join(f"{k} {h}/{n}" for k, (h, n) in sorted(cells.items())))
