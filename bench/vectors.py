"""Dense search at 1k, 10k and 100k passages: numpy brute force vs an ANN index (faiss HNSW).

Vectors are random unit vectors of the embedding model's width: the cost of a
nearest-neighbour search depends on count and width, not on what the vectors
mean. Recall@10 of the ANN index against brute force is reported beside its
latency, so speed is never bought silently with wrong answers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from bench.named_queries import percentiles

K = 10


@dataclass
class VectorResult:
    passages: int
    method: str
    build_s: float
    p50_ms: float
    p95_ms: float
    memory_mb: float
    recall: float


def _unit(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    m = rng.standard_normal((n, dim), dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def run(sizes: tuple[int, ...], dim: int, queries: int = 50, seed: int = 7) -> list[VectorResult]:
    rng = np.random.default_rng(seed)
    out = []
    for n in sizes:
        matrix = _unit(rng, n, dim)
        qs = _unit(rng, queries, dim)
        truth = []
        times = []
        for q in qs:
            t = time.perf_counter()
            scores = matrix @ q
            top = np.argpartition(-scores, K)[:K]
            top = top[np.argsort(-scores[top])]
            times.append((time.perf_counter() - t) * 1000)
            truth.append(set(top.tolist()))
        p50, p95 = percentiles(times)
        out.append(VectorResult(n, "numpy brute force", 0.0, p50, p95, matrix.nbytes / 2**20, 1.0))
        out.append(_faiss(matrix, qs, truth))
    return out


def _faiss(matrix: np.ndarray, qs: np.ndarray, truth: list[set[int]]) -> VectorResult:
    try:
        import faiss
    except ModuleNotFoundError:
        return VectorResult(len(matrix), "faiss HNSW (not installed: pip install faiss-cpu)", 0, float("nan"),
                            float("nan"), float("nan"), float("nan"))
    faiss.omp_set_num_threads(1)
    t = time.perf_counter()
    index = faiss.IndexHNSWFlat(matrix.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 80
    index.add(matrix)
    index.hnsw.efSearch = 64
    build_s = time.perf_counter() - t
    times, hits = [], 0
    for q, want in zip(qs, truth):
        t = time.perf_counter()
        _, ids = index.search(q[None, :], K)
        times.append((time.perf_counter() - t) * 1000)
        hits += len(want.intersection(ids[0].tolist()))
    p50, p95 = percentiles(times)
    links = index.ntotal * 32 * 2 * 4 / 2**20  # HNSW graph: ~2·M neighbour ids (int32) per vector
    return VectorResult(len(matrix), "faiss HNSW M=32 ef=64", build_s, p50, p95,
                        matrix.nbytes / 2**20 + links, hits / (K * len(qs)))
