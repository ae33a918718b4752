"""The sentences of a build's units, cut once by the build and read back by every start.

Dense search and the reader work on sentences. Cutting 100 000 passages into
sentences takes seconds of regular-expression work, so a build saves the cut
(each distinct sentence once, and per sentence its unit and its distinct row)
beside its BM25 postings, under the same check of what it was cut from.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from regkg.queries.retrieval.tokens import sentences
from regkg.queries.retrieval.units import TextUnit

#: Sentences shorter than this are merged into the next: headings and list stubs alone embed poorly.
MIN_SENTENCE = 12


@dataclass(frozen=True)
class SentenceTable:
    distinct: list[str]  # row → sentence text
    sentence_row: np.ndarray  # sentence index → row of its (distinct) text
    sentence_unit: np.ndarray  # sentence index → unit index (non-decreasing: a unit's sentences are adjacent)

    @classmethod
    def of(cls, units: Sequence[TextUnit]) -> SentenceTable:
        """Every unit cut into sentences; sentences with the same text share one row."""
        owner: list[int] = []
        rows: dict[str, int] = {}
        row: list[int] = []
        for i, u in enumerate(units):
            for s in chunks(u.text):
                owner.append(i)
                row.append(rows.setdefault(s, len(rows)))
        return cls(list(rows), np.array(row, dtype=np.int64), np.array(owner, dtype=np.int64))

    @property
    def sentences(self) -> list[str]:
        """Each sentence's text, in unit order."""
        return [self.distinct[r] for r in self.sentence_row.tolist()]

    def save(self, folder: Path, source: str) -> None:
        """Write the table into ``folder``, atomically; ``source`` names the units it was cut from,
        and :meth:`load` checks it."""
        tmp = folder.with_name(f"{folder.name}.{os.getpid()}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        np.save(tmp / "row.npy", self.sentence_row)
        np.save(tmp / "unit.npy", self.sentence_unit)
        (tmp / "meta.json").write_text(json.dumps({"source": source, "distinct": self.distinct}, ensure_ascii=False),
                                       encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        tmp.replace(folder)

    @classmethod
    def load(cls, folder: Path, source: str) -> SentenceTable | None:
        """The table :meth:`save` wrote from ``source``; None when there is none, it is unreadable,
        or it was cut from other units."""
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            row, unit = np.load(folder / "row.npy"), np.load(folder / "unit.npy")
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("source") != source or len(row) != len(unit):
            return None
        return cls(meta["distinct"], row, unit)


def chunks(text: str) -> list[str]:
    """A unit's sentences, short ones carried into the next."""
    out: list[str] = []
    carry = ""
    for s in sentences(text):
        s = (carry + " " + s).strip() if carry else s
        if len(s) < MIN_SENTENCE:
            carry = s
            continue
        out.append(s)
        carry = ""
    if carry:
        out.append(carry)
    return out or [text[:500]]
