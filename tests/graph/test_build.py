import shutil

import pytest

from regkg.graph.build import BuildError, build
from regkg.graph.store import current_store_path, open_current
from regkg.ontology.load import ONTOLOGY_DIR
from tests.conftest import make_settings


def test_failed_build_leaves_previous_graph_serving(tmp_path):
    settings = make_settings(tmp_path / "data")
    build(settings, [])
    first = current_store_path(settings.store_dir)
    before = len(open_current(settings.store_dir))
    assert before > 0

    broken = tmp_path / "onto"
    shutil.copytree(ONTOLOGY_DIR, broken, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (broken / "zz-broken.ttl").write_text("@prefix x: <http://x/> .\nx:a x:b ", encoding="utf-8")
    with pytest.raises(BuildError, match="zz-broken.ttl"):
        build(settings, [], ontology_dir=broken)

    assert current_store_path(settings.store_dir) == first
    assert len(open_current(settings.store_dir)) == before
    # the half-written store was removed
    assert [p.name for p in settings.store_dir.glob("build-*")] == [first.name]


def test_rebuild_switches_to_new_store(tmp_path):
    settings = make_settings(tmp_path / "data")
    build(settings, [])
    first = current_store_path(settings.store_dir)
    build(settings, [])
    second = current_store_path(settings.store_dir)
    assert second != first and second.is_dir()
    assert len(open_current(settings.store_dir)) > 0


def test_stats_count_each_triple_once(tmp_path):
    from regkg.graph.stats import graph_stats

    settings = make_settings(tmp_path / "data")
    report = build(settings, [])
    store = open_current(settings.store_dir)
    named = sum(len(store.graph_quads(g)) for g in store.named_graphs())
    stats = graph_stats(store)
    assert report.triples == stats.triples
    assert stats.triples <= named < len(store)  # the materialised default graph is not counted twice
