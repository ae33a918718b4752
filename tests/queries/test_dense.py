"""Ranking helpers and the HNSW path of dense search: same answers as the exact path, on small inputs."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from regkg.queries.retrieval.topk import best_first


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("limit", [None, 1, 7, 50, 5000])
def test_best_first_is_a_stable_descending_sort_of_the_positive_scores(dtype, limit):
    rng = np.random.default_rng(3)
    scores = rng.integers(-3, 12, 2000).astype(dtype) / 4  # many ties, zeros and negatives
    want = np.argsort(-scores, kind="stable")
    want = want[scores[want] > 0][:limit]
    assert best_first(scores, limit).tolist() == want.tolist()


def test_best_first_of_nothing_positive_is_empty():
    assert best_first(np.zeros(5, dtype=np.float32), 3).tolist() == []
    assert best_first(np.array([], dtype=np.float32)).tolist() == []


def _unit_rows(n: int, dim: int, seed: int) -> np.ndarray:
    m = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_hnsw_finds_the_units_brute_force_finds():
    pytest.importorskip("faiss")
    from regkg.queries.retrieval.dense import DenseIndex, build_ann

    rows = _unit_rows(3000, 32, seed=1)
    # 4000 sentences over 1500 units; sentences share rows (repeated text), as in a real index
    rng = np.random.default_rng(2)
    sentence_row = np.concatenate([np.arange(3000), rng.integers(0, 3000, 1000)])
    sentence_unit = np.sort(rng.integers(0, 1500, len(sentence_row)))
    exact = DenseIndex(rows, sentence_row, sentence_unit, 1500)
    approx = DenseIndex(rows, sentence_row, sentence_unit, 1500, ann=build_ann(rows))
    assert approx.method.startswith("faiss HNSW") and np.array_equal(approx.vectors, rows)
    found = total = 0
    for q in _unit_rows(20, 32, seed=4):
        want = best_first(exact.unit_scores(q, 10), 10)
        got = best_first(approx.unit_scores(q, 10), 10)
        found += len(set(want.tolist()) & set(got.tolist()))
        total += len(want)
        # the units the ANN scores get their exact best cosine
        assert np.allclose(approx.unit_scores(q, 10)[got], exact.unit_scores(q, 10)[got], atol=1e-5)
    assert found / total >= 0.95


def test_search_with_the_hnsw_index_returns_the_brute_force_hits(store, tmp_path):
    pytest.importorskip("faiss")
    from regkg.queries.linking import get_linker
    from regkg.queries.retrieval.index import build_index, get_index
    from regkg.queries.search import search_in

    base, linker = get_index(store), get_linker(store)
    folder = lambda name: dataclasses.replace(base.artefacts, folder=tmp_path / name)
    exact = build_index(base.units, folder("test-exact"), base.model_name, ann_min_rows=10**9)
    approx = build_index(base.units, folder("test-ann"), base.model_name, ann_min_rows=0)
    assert approx.dense().ann is not None and exact.dense().ann is None
    for q in ("iPS細胞由来細胞のリスク分類", "mycoplasma testing of cell products", "特定細胞加工物の製造",
              "What is a certified committee for regenerative medicine?"):
        assert search_in(approx, linker, q, k=5) == search_in(exact, linker, q, k=5)
    saved = list((tmp_path / "test-ann" / "index").glob("*.hnsw"))
    assert saved, "the HNSW graph is saved beside the vectors"
    written = saved[0].stat().st_mtime_ns
    again = build_index(base.units, folder("test-ann"), base.model_name, ann_min_rows=0)
    assert again.dense().ann.ntotal == len(again.distinct)
    assert saved[0].stat().st_mtime_ns == written  # read back, not built again
    assert search_in(again, linker, "特定細胞加工物の製造", k=5) == search_in(exact, linker, "特定細胞加工物の製造", k=5)
