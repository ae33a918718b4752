"""Dense retrieval: per unit, the best cosine of any of its sentences to the query.

Vectors are kept once per distinct sentence (``sentence_row`` maps every
sentence to its row), so repeated sentences cost neither encoding nor memory.
Up to ``ANN_MIN_ROWS`` distinct sentences every row is scored (one matrix ×
vector product: exact, ~15 ms per 100 000 rows of 300 floats). Above that, and
when faiss is installed, an HNSW graph gives the ``ANN_OVERFETCH`` ×
``limit`` nearest sentences and only units owning one of them are scored: the
best ``limit`` units then match brute force in all but rare cases (the bench
reports the recall), at a few milliseconds whatever the size.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

#: Distinct sentences from which an HNSW index (faiss) replaces brute force.
ANN_MIN_ROWS = 100_000
#: Nearest sentences fetched per wanted unit (a unit's best sentence must be among them).
ANN_OVERFETCH = 4
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 64


def faiss_module():
    """faiss, or None when it is not installed (brute force is then used at every size)."""
    try:
        import faiss
    except ModuleNotFoundError:
        return None
    return faiss


class DenseIndex:
    """Distinct-sentence vectors (L2-normalised float32 rows) and the sentence → row → unit maps."""

    def __init__(self, vectors: np.ndarray | None, sentence_row: np.ndarray, sentence_unit: np.ndarray,
                 n_units: int, ann=None) -> None:
        """``vectors`` may be None when ``ann`` (which holds them) is given."""
        self.sentence_row = sentence_row
        self.sentence_unit = sentence_unit
        self.n_units = n_units
        self.ann = ann
        if ann is not None:
            # Score from the vectors faiss already holds instead of keeping a second copy.
            faiss = faiss_module()
            storage = faiss.downcast_index(ann.storage)
            vectors = faiss.rev_swig_ptr(storage.get_xb(), ann.ntotal * ann.d).reshape(ann.ntotal, ann.d)
        self.vectors = vectors
        # row → its sentences (CSR), to expand the ANN's nearest rows to units
        self._row_order = np.argsort(sentence_row, kind="stable")
        self._row_start = np.searchsorted(sentence_row[self._row_order], np.arange(len(vectors) + 1))

    @property
    def method(self) -> str:
        return f"faiss HNSW M={HNSW_M}" if self.ann is not None else "numpy brute force"

    def nbytes(self) -> int:
        """Memory of the vectors, maps and (if any) the HNSW graph's links."""
        links = self.ann.ntotal * HNSW_M * 2 * 4 if self.ann is not None else 0  # ~2·M int32 ids per row
        return self.vectors.nbytes + links + sum(a.nbytes for a in (self.sentence_row, self.sentence_unit,
                                                                   self._row_order, self._row_start))

    def unit_scores(self, query: np.ndarray, limit: int) -> np.ndarray:
        """Per unit, the best cosine (clipped at 0) of its sentences to ``query`` — of every sentence, or,
        with an ANN index, of the sentences nearest the query (enough for the best ``limit`` units)."""
        if self.ann is None:
            sims = (self.vectors @ query)[self.sentence_row]
            owners = self.sentence_unit
        else:
            faiss = faiss_module()
            k = min(self.ann.ntotal, ANN_OVERFETCH * limit)
            found, rows = self.ann.search(query[None, :].astype(np.float32), k,
                                          params=faiss.SearchParametersHNSW(efSearch=max(k, 64)))
            keep = rows[0] >= 0
            rows, found = rows[0][keep], found[0][keep]
            counts = self._row_start[rows + 1] - self._row_start[rows]
            firsts = np.repeat(self._row_start[rows] - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
            sentences = self._row_order[firsts]
            sims = np.repeat(found, counts)
            owners = self.sentence_unit[sentences]
        best = np.full(self.n_units, -1.0, dtype=np.float32)
        np.maximum.at(best, owners, sims)
        return np.clip(best, 0.0, None)


def build_ann(vectors: np.ndarray):
    """An HNSW index (inner product) over the rows, built with every core."""
    faiss = faiss_module()
    index = faiss.IndexHNSWFlat(vectors.shape[1], HNSW_M, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def read_ann(path: Path, rows: int):
    """The HNSW index saved at ``path`` if it holds ``rows`` vectors, else None."""
    faiss = faiss_module()
    if faiss is None or not path.is_file():
        return None
    index = faiss.read_index(str(path))
    return index if index.ntotal == rows else None


def save_ann(index, path: Path) -> None:
    """Write the index to ``path`` atomically."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    faiss_module().write_index(index, str(tmp))
    tmp.replace(path)
