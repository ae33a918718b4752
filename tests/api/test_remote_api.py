"""The API on a SPARQL server store (``REGKG_STORE``): the same answers as on the embedded store.

A real Virtuoso (the session's, from tests/graph/test_remote.py) holds the
session's build; one app serves it, another the embedded build, and the
routes must agree — the server is a store, not a different product.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from fastapi.testclient import TestClient

from regkg.api.app import create_app
from regkg.config import ServerConfig
from tests.graph.test_remote import published, virtuoso_server  # noqa: F401 — the shared server

ADMIN_TOKEN = "remote-admin-token"
GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def _client(settings) -> TestClient:
    config = ServerConfig(query_workers=1, admin_token=ADMIN_TOKEN)
    return TestClient(create_app(settings, config), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def remote(store, api_settings, virtuoso_server, tmp_path_factory):  # noqa: F811
    with published(store, virtuoso_server, tmp_path_factory.mktemp("remote-api")) as settings:
        settings = dataclasses.replace(settings, max_rows=api_settings.max_rows)
        with _client(settings) as c:
            yield c


def _sparql(client: TestClient, query: str, accept: str = "application/sparql-results+json"):
    return client.post("/sparql", data={"query": query}, headers={"Accept": accept})


def test_health_counts_the_same_graph(remote, client):
    assert remote.get("/health").json()["triples"] == client.get("/health").json()["triples"]


def test_sparql_graph_names_are_regkgs_not_the_servers(remote, client):
    answer = _sparql(remote, GRAPH_SIZES)
    assert answer.status_code == 200
    assert answer.json() == _sparql(client, GRAPH_SIZES).json()
    assert all(not b["g"]["value"].startswith("urn:regkg:build:") for b in answer.json()["results"]["bindings"])


def test_sparql_dataset_parameters_name_regkg_graphs(remote, client):
    some = _sparql(client, GRAPH_SIZES).json()["results"]["bindings"][0]["g"]["value"]
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    on_server = remote.post("/sparql", params={"default-graph-uri": some}, data={"query": query},
                            headers={"Accept": "text/csv"})
    embedded = client.post("/sparql", params={"default-graph-uri": some}, data={"query": query},
                           headers={"Accept": "text/csv"})
    assert on_server.status_code == 200
    assert on_server.text == embedded.text
    assert int(on_server.text.split()[1]) > 0


def test_sparql_row_cap_ask_and_construct_follow_the_same_contract(remote, api_settings):
    many = _sparql(remote, "SELECT ?s WHERE { ?s ?p ?o }", "text/tab-separated-values")
    assert many.headers["X-Result-Truncated"] == "true"
    assert len(many.text.strip().splitlines()) == api_settings.max_rows + 1
    assert _sparql(remote, "ASK { ?m a rko:Modality }").json()["boolean"] is True
    turtle = _sparql(remote, "CONSTRUCT { ?m a rko:Modality } WHERE { ?m a rko:Modality } LIMIT 3", "text/turtle")
    assert turtle.status_code == 200 and "rko:Modality" in turtle.text


def test_bad_queries_and_updates_get_the_embedded_errors(remote, client):
    broken = "SELECT ?x WHERE { ?x ?p }"
    on_server, embedded = _sparql(remote, broken), _sparql(client, broken)
    assert on_server.status_code == 400
    assert on_server.json() == embedded.json()
    assert _sparql(remote, "SELECT * WHERE { ?s ?p ?o }", "image/png").status_code == 406
    update = remote.post("/sparql", data={"update": "INSERT DATA { regkg:x rko:note 'x' }"},
                         headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert update.status_code == 403 and "REGKG_STORE" in update.json()["error"]["message"]


def test_named_queries_and_modality_pages_agree(remote, client):
    path = "/queries/risk-class-procedure?risk_class=regkg:risk-class/class-2"
    on_server, embedded = remote.get(path).json(), client.get(path).json()
    assert on_server["rows"]
    # rows with equal ORDER BY keys may come in any order (SPARQL 1.1 §15.1): compare them as multisets
    assert sorted(map(json.dumps, on_server.pop("rows"))) == sorted(map(json.dumps, embedded.pop("rows")))
    assert on_server == embedded
    page = remote.get("/ui/modalities")
    assert page.status_code == 200 and page.text == client.get("/ui/modalities").text


def test_an_unreachable_server_is_a_503_not_a_crash(api_settings, monkeypatch):
    monkeypatch.delenv("REGKG_STORE_USER", raising=False)
    closed = dataclasses.replace(api_settings, store_url="sparql+http://127.0.0.1:9/sparql")
    with _client(closed) as c:
        answer = c.get("/queries/pathways")
        assert answer.status_code == 503
        assert answer.json()["error"]["code"] == "store_unavailable"
        assert c.get("/health").status_code == 503
