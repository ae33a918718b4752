import pyoxigraph as ox
import pytest

from regkg.graph.store import OxigraphStore, StoreError, bind_values

EX = "http://example.org/"


def test_bind_values_serialises_terms_so_values_cannot_inject():
    hostile = ox.Literal('x" } ; DROP ALL ; SELECT * WHERE { "')
    sparql = bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": hostile})
    store = OxigraphStore.in_memory()
    store.replace_graph(EX + "g", [ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), hostile, ox.NamedNode(EX + "g"))])
    store.materialise_union()
    # the hostile literal is matched as a value, the query stays one SELECT
    assert store.select("SELECT ?s WHERE { ?s ?p ?o }", {"o": hostile}).values("s") == [EX + "a"]
    assert "VALUES (?o)" in sparql


def test_parameters_reach_sub_selects():
    sparql = bind_values("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }", {"o": ox.Literal("x")})
    assert sparql.count("VALUES (?o)") == 2


def test_bind_values_rejects_bad_variable_names():
    with pytest.raises(StoreError):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"o) {}": ox.Literal("x")})


def test_optional_parameter_unbound_means_no_filter():
    store = OxigraphStore.in_memory()
    g = ox.NamedNode(EX + "g")
    store.replace_graph(g.value, [ox.Quad(ox.NamedNode(EX + n), ox.NamedNode(EX + "p"), ox.Literal(n), g) for n in "ab"])
    store.materialise_union()
    q = "SELECT ?s WHERE { ?s <http://example.org/p> ?v . FILTER(!BOUND(?want) || ?v = ?want) }"
    assert len(store.select(q).rows) == 2
    assert store.select(q, {"want": ox.Literal("b")}).values("s") == [EX + "b"]


def test_replace_graph_replaces_only_that_graph():
    store = OxigraphStore.in_memory()
    q = lambda s, g: ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal(s), ox.NamedNode(EX + g))
    store.replace_graph(EX + "g1", [q("a", "g1"), q("b", "g1")])
    store.replace_graph(EX + "g2", [q("c", "g2")])
    store.replace_graph(EX + "g1", [q("d", "g1")])
    assert sorted(x.subject.value for x in store.graph_quads(EX + "g1")) == [EX + "d"]
    assert len(store.graph_quads(EX + "g2")) == 1
    assert len(store) == 2


def test_malformed_sparql_is_a_store_error_with_position():
    store = OxigraphStore.in_memory()
    with pytest.raises(StoreError) as info:
        store.select("SELECT ?s WHERE { ?s ?p }")
    assert "error" in str(info.value).lower()


def test_materialised_default_graph_is_the_union_of_named_graphs():
    store = OxigraphStore.in_memory()
    q = lambda s, g: ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), ox.Literal("v"), ox.NamedNode(EX + g))
    store.replace_graph(EX + "g1", [q("a", "g1"), q("b", "g1")])
    store.replace_graph(EX + "g2", [q("b", "g2"), q("c", "g2")])
    assert store.select("SELECT ?s WHERE { ?s ?p ?o }").rows == []
    store.materialise_union()
    assert sorted(store.select("SELECT ?s WHERE { ?s ?p ?o }").values("s")) == [EX + "a", EX + "b", EX + "c"]
    store.replace_graph(EX + "g2", [q("d", "g2")])
    store.materialise_union()
    assert sorted(store.select("SELECT ?s WHERE { ?s ?p ?o }").values("s")) == [EX + "a", EX + "b", EX + "d"]


def test_followed_store_follows_new_builds(tmp_path):
    from regkg.graph.build import build
    from regkg.graph.store import get_store
    from tests.conftest import make_settings

    settings = make_settings(tmp_path)
    build(settings, [])
    holder = get_store(settings).follow()
    first = holder.get()
    assert holder.get() is first  # unchanged build: same store object
    build(settings, [])
    second = holder.get()
    assert second is not first and second.build_id != first.build_id
    assert len(second) > 0
