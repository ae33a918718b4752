"""``regkg eval``: question answering and retrieval measured on JSON Lines question sets.

Formats (``../shared/eval/README.md``): a QA row has ``expect`` as a list of
groups of alternatives and is answered when every group has one alternative in
the answer text or the item strings; a retrieval row has ``expect`` as a list of
strings and is a hit at rank r when the r-th hit's text contains one. Matching
is on NFKC-normalised, lower-cased text with all whitespace removed.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from regkg.graph.store import GraphStore
from regkg.queries.errors import InputError
from regkg.queries.retrieval.tokens import main_language, squash

#: Confidence bands of the calibration table.
CONFIDENCE_EDGES = (0.0, 0.3, 0.5, 0.7, 0.9, 1.0)


@dataclass
class Outcome:
    id: str
    lang: str
    question: str
    score: float  # QA: share of groups matched; retrieval: reciprocal rank (0 when missed at k)
    exact: bool  # QA: every group matched; retrieval: hit at rank 1
    hit_at_k: bool = False
    cited: bool = False
    rank: int | None = None
    seconds: float = 0.0
    answer: str = ""
    method: str = ""
    kind: str = ""  # the row's question kind (requirement, procedure, …), when the set gives one
    confidence: float = 0.0


@dataclass
class Report:
    kind: str  # qa or retrieval
    outcomes: list[Outcome] = field(default_factory=list)

    def subsets(self) -> list[tuple[str, list[Outcome]]]:
        """All rows, then by language, then by question kind and (QA) by answer method: the ways
        a weakness hides in an average."""
        out = [("all", self.outcomes)]
        for label, key in (("", "lang"), ("kind ", "kind"), ("method ", "method")):
            for value in sorted({getattr(o, key) for o in self.outcomes} - {""}):
                out.append((label + value, [o for o in self.outcomes if getattr(o, key) == value]))
        return out

    def calibration(self, edges: Sequence[float] = CONFIDENCE_EDGES) -> list[tuple[str, int, float]]:
        """(confidence band, answers in it, share right): a calibrated answer is right about as
        often as its confidence says."""
        out = []
        for low, high in zip(edges, edges[1:]):
            rows = [o for o in self.outcomes if low <= o.confidence < high or (high == edges[-1] == o.confidence)]
            if rows:
                out.append((f"{low:.1f}–{high:.1f}", len(rows), sum(o.exact for o in rows) / len(rows)))
        return out

    def metrics(self, lang: str | None = None, rows: list[Outcome] | None = None) -> dict[str, float]:
        if rows is None:
            rows = [o for o in self.outcomes if lang is None or o.lang == lang]
        if not rows:
            return {"n": 0}
        n = len(rows)
        p50 = statistics.median(o.seconds for o in rows) * 1000
        if self.kind == "qa":
            return {"n": n, "exact": sum(o.exact for o in rows) / n, "partial": sum(o.score for o in rows) / n,
                    "cited": sum(o.cited for o in rows) / n, "p50_ms": p50}
        return {"n": n, "hit@1": sum(o.exact for o in rows) / n, "hit@5": sum(o.hit_at_k for o in rows) / n,
                "mrr": sum(o.score for o in rows) / n, "p50_ms": p50}


def load_rows(path: Path) -> list[dict]:
    """Rows of a JSON Lines file; InputError with the line number for a malformed line."""
    rows: list[dict] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path.name} line {n}: not JSON ({exc.msg})") from exc
        if not isinstance(row, dict) or not isinstance(row.get("q"), str) or not isinstance(row.get("expect"), list):
            raise InputError(f"{path.name} line {n}: a row needs 'q' (text) and 'expect' (list)")
        rows.append(row)
    if not rows:
        raise InputError(f"{path.name} has no questions")
    return rows


def kind_of(rows: list[dict]) -> str:
    """``qa`` when expectations are groups (lists of lists), else ``retrieval``."""
    return "qa" if all(isinstance(g, list) for g in rows[0]["expect"]) else "retrieval"


def evaluate(store: GraphStore, rows: list[dict], k: int = 5, bridge: bool = True) -> Report:
    return evaluate_qa(store, rows) if kind_of(rows) == "qa" else evaluate_retrieval(store, rows, k, bridge)


def evaluate_qa(store: GraphStore, rows: list[dict]) -> Report:
    from regkg.queries.ask import ask

    report = Report("qa")
    for i, row in enumerate(rows):
        started = time.perf_counter()
        result = ask(store, row["q"])
        seconds = time.perf_counter() - started
        seen = squash(result["answer"] + " " + " ".join(
            str(v) for item in result["items"] for v in item.values() if v))
        groups = [g for g in row["expect"] if g]
        matched = sum(any(squash(alt) in seen for alt in g) for g in groups)
        report.outcomes.append(Outcome(
            id=str(row.get("id", i + 1)), lang=row.get("lang") or main_language(row["q"]), question=row["q"],
            score=matched / len(groups) if groups else 0.0, exact=bool(groups) and matched == len(groups),
            cited=bool(result["citations"]), seconds=seconds, answer=result["answer"], method=result["method"],
            kind=str(row.get("kind", "")), confidence=float(result["confidence"])))
    return report


def evaluate_retrieval(store: GraphStore, rows: list[dict], k: int = 5, bridge: bool = True,
                       dense: bool = True, model: str | None = None,
                       sources: Sequence[str] | None = None, crosslingual: bool = True) -> Report:
    """Hit@k and reciprocal rank per row; ``bridge``, ``dense``, ``sources`` (the bridge table's
    resources, default all) and ``crosslingual`` (the multilingual encoder) switch parts of search
    off for an ablation."""
    from regkg.queries.linking import get_linker
    from regkg.queries.retrieval.index import get_index
    from regkg.queries.retrieval.bridge import SOURCES
    from regkg.queries.search import check_query, rank

    index = get_index(store, model)
    linker = get_linker(store)
    report = Report("retrieval")
    for i, row in enumerate(rows):
        expected = [squash(e) for e in row["expect"] if isinstance(e, str) and e]
        started = time.perf_counter()
        hits = rank(index, linker, check_query(row["q"]), bridge=bridge, dense=dense,
                    sources=SOURCES if sources is None else sources, crosslingual=crosslingual)[:k]
        seconds = time.perf_counter() - started
        found = next((r for r, h in enumerate(hits, 1)
                      if any(e in squash(index.units[h.unit].text) for e in expected)), None)
        report.outcomes.append(Outcome(
            id=str(row.get("id", i + 1)), lang=row.get("lang") or main_language(row["q"]), question=row["q"],
            score=1.0 / found if found else 0.0, exact=found == 1, hit_at_k=found is not None, rank=found,
            seconds=seconds, kind=str(row.get("kind", ""))))
    return report
