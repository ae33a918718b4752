"""Okapi BM25 over pre-computed terms, with numpy: small, exact and fast for a corpus of this size."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np


class BM25:
    """Scores every document for a bag of query terms; k1 and b are the usual Okapi defaults."""

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.n = len(docs)
        self.lengths = np.array([len(d) for d in docs], dtype=np.float32)
        self.avg_len = float(self.lengths.mean()) if self.n else 0.0
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for i, doc in enumerate(docs):
            for term, tf in Counter(doc).items():
                self.postings.setdefault(term, []).append((i, tf))
        self.idf = {t: math.log(1 + (self.n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()}

    def scores(self, query: Sequence[str], weights: dict[str, float] | None = None) -> np.ndarray:
        """BM25 score of every document; ``weights`` scales terms (e.g. bridge terms count less)."""
        out = np.zeros(self.n, dtype=np.float32)
        norm = self.k1 * (1 - self.b + self.b * self.lengths / max(self.avg_len, 1e-9))
        for term in set(query):
            postings = self.postings.get(term)
            if not postings:
                continue
            idx = np.fromiter((i for i, _ in postings), dtype=np.int64, count=len(postings))
            tf = np.fromiter((f for _, f in postings), dtype=np.float32, count=len(postings))
            w = self.idf[term] * (weights or {}).get(term, 1.0)
            out[idx] += w * tf * (self.k1 + 1) / (tf + norm[idx])
        return out
