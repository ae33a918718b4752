"""Best-first orders of score vectors, without sorting more than needed.

Every ranking in search breaks ties by unit index (the order a stable sort
gives). ``np.argsort(kind="stable")`` over 100 000 scores takes tens of
milliseconds; here the candidates are first cut to the best ``limit`` with
``np.partition`` (all ties at the cut kept), and float32 scores are sorted as
one 64-bit key — score bits, then index — which an unstable (SIMD) sort orders
exactly as the stable sort would, at a fraction of its cost.
"""

from __future__ import annotations

import numpy as np

_LOW32 = np.uint64(0xFFFFFFFF)


def best_first(scores: np.ndarray, limit: int | None = None) -> np.ndarray:
    """Indices of the positive scores, highest first, ties by index; at most ``limit`` of them."""
    pos = np.flatnonzero(scores > 0)
    if limit is not None and len(pos) > limit:
        values = scores[pos]
        cut = len(values) - limit
        pos = pos[values >= np.partition(values, cut)[cut]]
    order = _descending(pos, scores[pos])
    return order if limit is None else order[:limit]


def _descending(ids: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``ids`` (ascending) ordered by ``values`` (all > 0) descending, ties kept in id order."""
    if values.dtype == np.float32 and len(ids) and ids[-1] <= _LOW32:
        # A positive float's bits order like the float: (~bits, id) ascending is (value desc, id asc).
        key = (_LOW32 - values.view(np.uint32).astype(np.uint64)) << np.uint64(32) | ids.astype(np.uint64)
        key.sort()
        return (key & _LOW32).astype(np.int64)
    return ids[np.argsort(-values, kind="stable")]
