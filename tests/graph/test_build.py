"""Builds that cannot corrupt each other: lock, completion marker, cleanup, skipped documents, incremental ≡ clean."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from regkg.config import REPO_ROOT
from regkg.graph.build import BuildError, BuildLocked, build
from regkg.graph.embedded import EmbeddedStores
from regkg.graph.lock import BuildLock
from regkg.graph.store import connect
from regkg.ingest.provenance import PROVENANCE_GRAPH
from regkg.ontology.load import ONTOLOGY_DIR
from tests.conftest import CORPUS, make_settings

SMALL_DOCS = ("guidance/comparability-0329.md", "laws/425AC1000000013.md")


@pytest.fixture
def small_corpus(tmp_path) -> Path:
    """Two real documents of the shared corpus (a notice and a law), so builds stay quick."""
    folder = tmp_path / "corpus"
    for name in SMALL_DOCS:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / name, folder / name)
    return folder


def _folders(settings) -> list[str]:
    return sorted(p.name for p in (settings.data_dir / "stores").iterdir() if p.is_dir())


def test_failed_build_leaves_previous_graph_serving(tmp_path):
    settings = make_settings(tmp_path / "data")
    build(settings, [])
    stores = EmbeddedStores(settings)
    first = stores.live_build_id()
    before = len(connect(settings))
    assert before > 0

    broken = tmp_path / "onto"
    shutil.copytree(ONTOLOGY_DIR, broken, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (broken / "zz-broken.ttl").write_text("@prefix x: <http://x/> .\nx:a x:b ", encoding="utf-8")
    with pytest.raises(BuildError, match="zz-broken.ttl"):
        build(settings, [], ontology_dir=broken)

    assert stores.live_build_id() == first
    assert len(connect(settings)) == before
    assert _folders(settings) == [first]  # the half-written store was removed


def test_rebuild_switches_to_new_build_and_keeps_the_newest_complete_ones(tmp_path):
    settings = dataclasses.replace(make_settings(tmp_path / "data"), keep_builds=2)
    ids = [build(settings, []).build_id for _ in range(3)]
    stores = EmbeddedStores(settings)
    assert stores.live_build_id() == ids[-1] == connect(settings).build_id
    assert _folders(settings) == sorted(ids[-2:])
    assert [b.build_id for b in stores.builds()] == [ids[2], ids[1]]
    assert [b.live for b in stores.builds()] == [True, False]


def test_cleanup_orders_by_completion_not_by_name(tmp_path):
    """A build folder whose name sorts last is not "the newest" unless it completed last."""
    settings = dataclasses.replace(make_settings(tmp_path / "data"), keep_builds=2)
    first = build(settings, []).build_id
    stores = EmbeddedStores(settings)
    shutil.copytree(stores.root / first, stores.root / "zzzz-late-name")  # complete, older, sorts last
    marker = stores.root / "zzzz-late-name" / "COMPLETE"
    marker.write_text(json.dumps({"completed": "2000-01-01T00:00:00+00:00"}), encoding="utf-8")
    (stores.root / "zzzz-half-written").mkdir()  # no marker: incomplete, whatever its name
    second = build(settings, []).build_id
    assert _folders(settings) == sorted([first, second])


def test_second_concurrent_build_is_refused_and_the_first_completes(tmp_path, small_corpus):
    settings = make_settings(tmp_path / "data")
    build(settings, [])
    live = EmbeddedStores(settings).live_build_id()
    started, release = threading.Event(), threading.Event()
    outcome: dict = {}

    def slow_progress(event: str, data: dict) -> None:
        if event == "document":
            started.set()
            release.wait(60)

    def first() -> None:
        outcome["report"] = build(settings, [small_corpus], slow_progress)

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert started.wait(120), "the first build never reached its documents"
        folders = _folders(settings)
        with pytest.raises(BuildLocked, match=f"regkg build, pid {os.getpid()}") as refused:
            build(settings, [])
        assert "nothing was changed" in str(refused.value)
        assert _folders(settings) == folders  # the refused build touched nothing
        assert EmbeddedStores(settings).live_build_id() == live
    finally:
        release.set()
        thread.join(120)
    report = outcome["report"]
    assert EmbeddedStores(settings).live_build_id() == report.build_id
    assert not report.failed and len(report.documents) == len(SMALL_DOCS)


_KILLED_BUILD = """
import sys, time
from pathlib import Path
from tests.conftest import make_settings
from regkg.graph.build import build

def stall(event, data):
    if event == "document":
        Path(sys.argv[2]).write_text("writing")
        time.sleep(600)

build(make_settings(Path(sys.argv[1])), [Path(sys.argv[3])], stall)
"""


def test_sigkill_during_a_build_then_a_rebuild_still_serves_the_last_good_graph(tmp_path, small_corpus):
    settings = make_settings(tmp_path / "data")
    good = build(settings, [])
    triples = len(connect(settings))
    sentinel = tmp_path / "writing"
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_BUILD, str(settings.data_dir), str(sentinel),
                             str(small_corpus)], cwd=REPO_ROOT)
    try:
        deadline = time.monotonic() + 120
        while not sentinel.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sentinel.exists(), "the build to kill never started writing"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    stores = EmbeddedStores(settings)
    assert len(_folders(settings)) == 2  # the killed build's half-written folder is still there
    assert stores.live_build_id() == good.build_id and len(connect(settings)) == triples

    with BuildLock(settings.data_dir, "test"):  # the dead holder's lock was released by the kernel
        pass
    again = build(settings, [small_corpus])
    assert stores.live_build_id() == again.build_id
    assert all(b.complete for b in stores.builds())  # the incomplete one is gone
    assert len(connect(settings)) > triples


def _canonical(store) -> Counter:
    """Quads with blank nodes anonymised and the build's own activity (IRI, times, statuses) blanked:
    what must be equal between two builds of the same inputs."""
    activity = {q.subject for q in store.graph_quads(PROVENANCE_GRAPH)
                if q.predicate.value.endswith("startedAtTime")}
    volatile = ("startedAtTime", "endedAtTime", "ingestStatus")

    def term(t):
        if isinstance(t, ox.BlankNode):
            return "_:b"
        if t in activity:
            return "<activity>"
        return str(t)

    out: Counter = Counter()
    for graph in store.named_graphs():
        for q in store.graph_quads(graph):
            value = "<volatile>" if q.predicate.value.endswith(volatile) else term(q.object)
            out[(term(q.subject), str(q.predicate), value, graph)] += 1
    return out


def test_incremental_build_has_exactly_the_triples_of_a_clean_build(tmp_path, small_corpus):
    incremental = make_settings(tmp_path / "incremental")
    build(incremental, [small_corpus])
    again = build(incremental, [small_corpus])
    assert {d.status for d in again.documents} == {"unchanged"}
    clean = make_settings(tmp_path / "clean")
    fresh = build(clean, [small_corpus])
    assert {d.status for d in fresh.documents} == {"ingested"}
    reused, rebuilt = connect(incremental), connect(clean)
    assert again.triples == fresh.triples
    assert len(reused) == len(rebuilt)
    assert _canonical(reused) == _canonical(rebuilt)


def test_documents_are_reingested_when_the_ontology_changes(tmp_path, small_corpus):
    """The annotator's lexicon comes from the ontology: reusing old triples would miss new labels."""
    settings = make_settings(tmp_path / "data")
    build(settings, [small_corpus])
    ontology = tmp_path / "onto"
    shutil.copytree(ONTOLOGY_DIR, ontology, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (ontology / "zz-extra.ttl").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<https://w3id.org/regkg/id/test/x> skos:prefLabel \"test only\"@en .\n", encoding="utf-8")
    report = build(settings, [small_corpus], ontology_dir=ontology)
    assert {d.status for d in report.documents} == {"ingested"}


def test_a_change_to_the_ingest_code_changes_what_reused_documents_are_checked_against(tmp_path, monkeypatch):
    """A reader or the normaliser can change without a new version number; a document ingested by
    the old code must not be reused as if a clean build had made it."""
    from regkg import ingest
    from regkg.graph.build import ingest_inputs

    package = tmp_path / "ingest"
    shutil.copytree(Path(ingest.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(ingest, "__file__", str(package / "__init__.py"))
    before = ingest_inputs([CORPUS], ONTOLOGY_DIR)
    assert ingest_inputs([CORPUS], ONTOLOGY_DIR) == before
    (package / "normalize.py").write_text((package / "normalize.py").read_text(encoding="utf-8") + "\n# changed\n",
                                          encoding="utf-8")
    assert ingest_inputs([CORPUS], ONTOLOGY_DIR) != before


def test_oversized_file_is_skipped_with_its_reason(tmp_path, small_corpus):
    big = small_corpus / "big.txt"
    big.write_text("再生医療等の安全性の確保。\n" * 20_000, encoding="utf-8")
    settings = dataclasses.replace(make_settings(tmp_path / "data"), max_document_bytes=100_000)
    report = build(settings, [small_corpus])
    skipped = {Path(d.path).name: d.error for d in report.failed}
    assert list(skipped) == ["big.txt"]
    assert "over the limit of 0.1 MB per document" in skipped["big.txt"]
    assert {d.status for d in report.documents if Path(d.path).name != "big.txt"} == {"ingested"}
    assert EmbeddedStores(settings).live_build_id() == report.build_id  # published without it


def test_stats_count_each_triple_once(tmp_path):
    from regkg.graph.stats import graph_stats

    settings = make_settings(tmp_path / "data")
    report = build(settings, [])
    store = connect(settings)
    named = sum(len(store.graph_quads(g)) for g in store.named_graphs())
    stats = graph_stats(store)
    assert report.triples == stats.triples
    assert stats.triples <= named < len(store)  # the materialised default graph is not counted twice
