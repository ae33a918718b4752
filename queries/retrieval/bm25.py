"""Okapi BM25 over pre-computed terms, with numpy.

Each term's postings are kept as two numpy arrays (documents, and the term
frequency and length-normalised denominator per document), so scoring a query
is a few vector operations per query term, not a Python loop over documents:
a term found in 100 000 documents costs well under a millisecond.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np


class BM25:
    """Scores every document for a bag of query terms; k1 and b are the usual Okapi defaults."""

    def __init__(self, docs: Iterable[Sequence[str]], k1: float = 1.5, b: float = 0.75) -> None:
        """``docs`` may be a generator: each document's terms are counted, then dropped."""
        self.k1, self.b = k1, b
        postings: dict[str, tuple[array, array]] = {}  # 4-byte ints, not an int object per posting
        lengths: list[int] = []
        for i, doc in enumerate(docs):
            lengths.append(len(doc))
            for term, tf in Counter(doc).items():
                ids, tfs = postings.setdefault(term, (array("i"), array("i")))
                ids.append(i)
                tfs.append(tf)
        self.n = len(lengths)
        self.lengths = np.array(lengths, dtype=np.float32)
        self.avg_len = float(self.lengths.mean()) if self.n else 0.0
        norm = self.k1 * (1 - self.b + self.b * self.lengths / max(self.avg_len, 1e-9))
        #: term → (document ids, term frequencies, tf + length norm): the parts of each posting's score.
        self.postings: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        for term, (ids, tfs) in postings.items():
            idx = np.array(ids, dtype=np.int32)
            tf = np.array(tfs, dtype=np.float32)
            self.postings[term] = (idx, tf, tf + norm[idx])
        self.idf = {t: math.log(1 + (self.n - len(p[0]) + 0.5) / (len(p[0]) + 0.5))
                    for t, p in self.postings.items()}

    def scores(self, query: Sequence[str], weights: dict[str, float] | None = None) -> np.ndarray:
        """BM25 score of every document; ``weights`` scales terms (e.g. bridge terms count less)."""
        out = np.zeros(self.n, dtype=np.float32)
        for term in sorted(set(query)):  # a fixed order, so float sums (and ties) are the same every run
            postings = self.postings.get(term)
            if postings is None:
                continue
            idx, tf, denom = postings
            w = self.idf[term] * (weights or {}).get(term, 1.0)
            out[idx] += w * tf * (self.k1 + 1) / denom
        return out

    def concept_scores(self, concepts: Sequence[Mapping[str, float]]) -> np.ndarray:
        """BM25 where each query term is a concept: a set of weighted terms (a word and its
        translations) counted as one — term frequency is the weighted sum of its terms', document
        frequency that of the documents holding any of them — so a concept scores alike in either
        language, and an ambiguous word (many translations, many documents) weighs less."""
        out = np.zeros(self.n, dtype=np.float32)
        norm = self.k1 * (1 - self.b + self.b * self.lengths / max(self.avg_len, 1e-9))
        for concept in concepts:
            parts = [(self.postings[t], w) for t, w in sorted(concept.items()) if t in self.postings]
            if not parts:
                continue
            idx = np.concatenate([p[0] for p, _ in parts])
            tf = np.concatenate([p[1] * np.float32(w) for p, w in parts])
            docs, inverse = np.unique(idx, return_inverse=True)
            tf = np.bincount(inverse, weights=tf).astype(np.float32)
            idf = math.log(1 + (self.n - len(docs) + 0.5) / (len(docs) + 0.5))
            out[docs] += idf * tf * (self.k1 + 1) / (tf + norm[docs])
        return out

    def document_frequency(self) -> dict[str, int]:
        """Term → number of documents containing it."""
        return {t: len(p[0]) for t, p in self.postings.items()}

    def nbytes(self) -> int:
        """Memory held by the postings arrays."""
        return sum(a.nbytes for p in self.postings.values() for a in p) + self.lengths.nbytes
