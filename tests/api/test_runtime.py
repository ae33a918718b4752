"""A server that follows rebuilds holds one build's graph, index and linker, not one per build seen."""

from __future__ import annotations

import gc
import shutil
import weakref

from regkg.api.runtime import Runtime
from regkg.config import ServerConfig
from regkg.graph.build import build
from regkg.queries import search
from tests.conftest import CORPUS, make_settings

CYCLES = 20


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def test_server_memory_stays_flat_over_rebuild_and_reload_cycles(tmp_path):
    corpus = tmp_path / "corpus" / "guidance"
    corpus.mkdir(parents=True)
    shutil.copy(CORPUS / "guidance" / "comparability-0329.md", corpus)
    settings = make_settings(tmp_path / "data")
    build(settings, [corpus.parent])
    rt = Runtime(settings, ServerConfig())
    seen: list[weakref.ref] = []
    rss: list[float] = []
    build_ids = set()
    for _ in range(CYCLES):
        build(settings, [corpus.parent])
        store = rt.store()  # the server notices the new build and reloads
        build_ids.add(store.build_id)
        hits = search.search(store, "製造方法の変更と同等性", k=3)["hits"]
        assert hits and rt.stats().triples > 0
        seen.append(weakref.ref(store))
        del store, hits
        gc.collect()
        rss.append(_rss_mb())
    assert len(build_ids) == CYCLES  # every cycle really served a new build
    alive = sum(1 for ref in seen if ref() is not None)
    assert alive <= 2, f"{alive} builds' stores are still held"
    assert len(search.get_index.__globals__["_CACHE"]) <= 2
    # after the first few cycles (models and allocator warm), memory no longer grows with each build
    assert rss[-1] - rss[4] < 40, [round(r) for r in rss]
