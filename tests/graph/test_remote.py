"""The SPARQL-server store against a real Virtuoso on 127.0.0.1 (started and stopped by PID).

Without Virtuoso installed these tests fail with the install command, unless
``REGKG_SKIP_VIRTUOSO=1`` is set on purpose.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pyoxigraph as ox
import pytest

from regkg.graph import virtuoso
from regkg.graph.build import BuildError, build
from regkg.graph.remote import CONTROL_GRAPH, Endpoint, RemoteStores, SparqlClient, live_build, publish_copy
from regkg.graph.store import NoGraphError, StoreError, connect
from regkg.ontology.load import ONTOLOGY_DIR
from regkg.ontology.namespaces import GRAPH
from tests.conftest import make_settings

_SERVER: list[virtuoso.Virtuoso] = []  # one server per session, shared by the remote test modules


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """A private Virtuoso on a fresh database, stopped by its PID at the end of the session."""
    if not _SERVER:
        if not virtuoso.installed():
            if os.environ.get("REGKG_SKIP_VIRTUOSO") == "1":
                pytest.skip("REGKG_SKIP_VIRTUOSO=1: remote-store tests skipped")
            pytest.fail(virtuoso.INSTALL_HINT + " — or set REGKG_SKIP_VIRTUOSO=1 to skip these tests",
                        pytrace=False)
        _SERVER.append(virtuoso.start(tmp_path_factory.mktemp("virtuoso"), http_port=_free_port(),
                                      isql_port=_free_port(), buffers=20_000))
    yield _SERVER[0]
    if _SERVER:
        _SERVER.pop().stop()


@contextmanager
def published(store, server: virtuoso.Virtuoso, data_dir) -> Iterator:
    """Settings for ``server`` with the session's embedded build published in it, as ``regkg build`` would."""
    settings = server.settings(make_settings(data_dir))
    publish_copy(settings, store)
    yield settings


@pytest.fixture
def fresh_server(virtuoso_server, tmp_path):
    """Settings for the shared server with no builds in it (earlier tests' builds dropped)."""
    settings = virtuoso_server.settings(make_settings(tmp_path / "data"))
    client = SparqlClient(Endpoint.from_settings(settings))
    _, rows = client.rows("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'urn:regkg:')) }")
    for row in rows:
        client.update(f"DROP SILENT GRAPH <{row['g'].value}>")
    return settings


def test_no_build_yet_is_no_graph_error(fresh_server):
    with pytest.raises(NoGraphError, match="regkg build"):
        connect(fresh_server)


def test_build_loads_every_graph_one_to_one(fresh_server, tmp_path):
    report = build(fresh_server, [])
    store = connect(fresh_server)
    embedded = make_settings(tmp_path / "embedded")
    build(embedded, [])
    local = connect(embedded)
    assert store.named_graphs() == local.named_graphs()
    assert str(GRAPH["ontology"]) in store.named_graphs()
    in_named_graphs = sum(len(local.graph_quads(g)) for g in local.named_graphs())
    assert len(store) == report.triples == in_named_graphs
    graph = str(GRAPH["ontology"])
    assert {(q.subject, q.predicate, q.object) for q in store.graph_quads(graph) if not _has_bnode(q)} == \
        {(q.subject, q.predicate, q.object) for q in local.graph_quads(graph) if not _has_bnode(q)}
    # GRAPH ?g answers with regkg's graph names, not the server's build-specific ones
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s a owl:Class } } ORDER BY ?g"
    assert store.select(query).values("g") == local.select(query).values("g")
    assert graph in store.select(query).values("g")


def _has_bnode(q: ox.Quad) -> bool:
    return isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)


def test_failed_build_leaves_previous_build_live_and_drops_its_graphs(fresh_server, tmp_path):
    build(fresh_server, [])
    before = connect(fresh_server)
    broken = tmp_path / "onto"
    shutil.copytree(ONTOLOGY_DIR, broken, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (broken / "zz-broken.ttl").write_text("@prefix x: <http://x/> .\nx:a x:b ", encoding="utf-8")
    with pytest.raises(BuildError, match="zz-broken.ttl"):
        build(fresh_server, [], ontology_dir=broken)
    after = connect(fresh_server)
    assert after.build_id == before.build_id and len(after) == len(before)
    client = after.client
    _, rows = client.rows("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'urn:regkg:build:')) }")
    assert {r["g"].value.split(":")[3] for r in rows} == {before.build_id}


def test_unpublished_build_is_invisible_until_its_one_triple_is_written(fresh_server):
    build(fresh_server, [])
    live = connect(fresh_server)
    with RemoteStores(fresh_server).stage("test") as staged:
        staged.upload(live)
        # the staged build holds a full copy, yet readers still get the live one
        assert connect(fresh_server).build_id == live.build_id
        staged.make_live()
        staged.published = True
    now = connect(fresh_server)
    assert now.build_id == staged.build_id and len(now) == len(live)
    # the previous build stays (two kept), older ones are dropped at the next publish
    third = publish_copy(fresh_server, now)
    assert third == len(now)
    third = connect(fresh_server)
    _, rows = now.client.rows(f"SELECT DISTINCT ?b WHERE {{ GRAPH <{CONTROL_GRAPH}> {{ ?b ?p ?o }} }}")
    assert sorted(r["b"].value.rsplit(":", 1)[-1] for r in rows) == sorted([staged.build_id, third.build_id])
    assert live_build(now.client).build_id == third.build_id


def test_wrong_password_is_refused_without_showing_it(fresh_server):
    build(fresh_server, [])
    wrong = dataclasses.replace(fresh_server, store_password="not-the-Secret-123")
    with pytest.raises(StoreError) as info:
        publish_copy(wrong, connect(fresh_server))
    assert "REGKG_STORE_PASSWORD" in str(info.value)
    assert "not-the-Secret-123" not in str(info.value) and "not-the-Secret-123" not in repr(info.value.__cause__)
    assert "not-the-Secret-123" not in repr(Endpoint.from_settings(wrong))
    assert "not-the-Secret-123" not in repr(wrong)


def test_credentials_in_the_url_are_rejected(tmp_path):
    base = make_settings(tmp_path)
    with pytest.raises(StoreError, match="REGKG_STORE_USER") as info:
        Endpoint.from_settings(dataclasses.replace(base, store_url="sparql+http://dba:hunter2@127.0.0.1:8890/sparql"))
    assert "hunter2" not in str(info.value)
    with pytest.raises(StoreError, match="sparql\\+http"):
        Endpoint.from_settings(dataclasses.replace(base, store_url="http://127.0.0.1:8890/sparql"))


def test_upload_without_graph_store_protocol_uses_sparql_update(fresh_server):
    without_gsp = dataclasses.replace(fresh_server, store_gsp_url=None)
    report = build(without_gsp, [])
    assert len(connect(without_gsp)) == report.triples > 0


def test_bindings_and_syntax_errors_behave_as_on_the_embedded_store(fresh_server):
    build(fresh_server, [])
    store = connect(fresh_server)
    hostile = ox.Literal('x" } ; DROP ALL ; SELECT * WHERE { "')
    assert store.select("SELECT ?s WHERE { ?s ?p ?o }", {"o": hostile}).rows == []
    assert len(store) > 0
    assert store.ask("ASK { ?s a owl:Class }") is True
    with pytest.raises(StoreError, match="rejected the query"):
        store.select("SELECT ?s WHERE { ?s ?p }")


def test_insert_chunks_keep_the_triples_of_a_blank_node_together():
    from regkg.graph.remote import _linked_chunks

    ex = "https://example.org/"
    triples = []
    for i in range(30):  # 30 citations, each: entity → bnode → bnode (3 triples, two blank nodes)
        cite, locator = ox.BlankNode(f"c{i}"), ox.BlankNode(f"l{i}")
        triples += [ox.Triple(ox.NamedNode(f"{ex}e{i}"), ox.NamedNode(ex + "citation"), cite),
                    ox.Triple(cite, ox.NamedNode(ex + "locator"), locator),
                    ox.Triple(locator, ox.NamedNode(ex + "text"), ox.Literal(str(i)))]
    chunks = list(_linked_chunks(triples, 10))
    assert sorted(map(str, (t for c in chunks for t in c))) == sorted(map(str, triples))
    assert len(chunks) > 1 and all(len(c) <= 10 for c in chunks)
    for chunk in chunks:
        nodes = {n.value for t in chunk for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)}
        assert {n[1:] for n in nodes} == {n[1:] for n in nodes if f"c{n[1:]}" in nodes and f"l{n[1:]}" in nodes}


def test_a_build_left_unpublished_is_dropped_by_the_next_build(fresh_server):
    from regkg.graph.remote import RemoteBuild

    build(fresh_server, [])
    stores = RemoteStores(fresh_server)
    orphan = RemoteBuild(stores)  # as a build killed after its upload, before its one triple
    orphan.upload(connect(fresh_server))
    assert [b.complete for b in stores.builds()] == [True, False]
    build(fresh_server, [])
    assert orphan.build_id not in [b.build_id for b in stores.builds()]
    assert all(b.complete for b in stores.builds()) and len(stores.builds()) == 2
