"""The SPARQL 1.1 Protocol endpoint in-process: forms, formats, safety rules."""

from __future__ import annotations

import csv
import io
import threading
import time

import pytest
import rdflib

from tests.api.conftest import MAX_ROWS
from tests.api.test_routes import assert_error

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a rko:Modality }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def modality_count(store) -> int:
    return int(store.select(COUNT).values("n")[0])


def test_three_ways_to_send_a_query(client, store):
    expected = modality_count(store)
    get = client.get("/sparql", params={"query": COUNT})
    form = client.post("/sparql", data={"query": COUNT})
    direct = client.post("/sparql", content=COUNT, headers={"Content-Type": "application/sparql-query"})
    for r in (get, form, direct):
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+json")
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == expected


@pytest.mark.parametrize("accept", ["application/sparql-results+xml", "text/csv", "text/tab-separated-values"])
def test_select_formats(client, store, accept):
    r = client.get("/sparql", params={"query": COUNT}, headers={"Accept": accept})
    assert r.headers["content-type"].startswith(accept)
    if accept == "text/csv":
        assert list(csv.reader(io.StringIO(r.text)))[1] == [str(modality_count(store))]
    elif accept == "application/sparql-results+xml":
        assert "<sparql" in r.text and f">{modality_count(store)}<" in r.text
    else:
        assert r.text.splitlines()[0] == "?n"


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                        ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_construct_formats(client, accept, fmt):
    q = "CONSTRUCT { ?m a rko:Modality } WHERE { ?m a rko:Modality }"
    r = client.get("/sparql", params={"query": q}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    g = rdflib.Graph().parse(data=r.content, format=fmt)
    assert len(g) > 10


def test_ask_and_not_acceptable(client):
    assert client.get("/sparql", params={"query": "ASK { ?s a rko:Modality }"}).json()["boolean"] is True
    assert_error(client.get("/sparql", params={"query": COUNT}, headers={"Accept": "text/turtle"}), 406)
    assert_error(client.get("/sparql", params={"query": COUNT}, headers={"Accept": "image/png"}), 406)


def test_malformed_query_is_400_with_position(client):
    error = assert_error(client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"}), 400, "malformed_query")
    assert "1:" in error["message"]  # line:column from the parser
    assert_error(client.get("/sparql"), 400)
    assert_error(client.post("/sparql", content="x", headers={"Content-Type": "text/plain"}), 415)


@pytest.mark.parametrize("send", [
    lambda c: c.get("/sparql", params={"query": "INSERT DATA { <http://a> <http://b> <http://c> }"}),
    lambda c: c.post("/sparql", data={"update": "CLEAR ALL"}),
    lambda c: c.post("/sparql", content="LOAD <http://example.org/x.ttl>", headers={"Content-Type": "application/sparql-update"}),
    lambda c: c.post("/sparql", content="DROP ALL", headers={"Content-Type": "application/sparql-query"}),
])
def test_updates_are_forbidden(client, store, send):
    before = len(store)
    assert_error(send(client), 403)
    assert len(store) == before


def test_service_is_refused_except_to_itself(client, store):
    assert_error(client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"}),
                 403, "service_refused")
    own = "http://testserver/sparql"
    via_service = client.get("/sparql", params={"query": f"SELECT ?s WHERE {{ SERVICE <{own}> {{ ?s a rko:Modality }} }} ORDER BY ?s"})
    direct = client.get("/sparql", params={"query": "SELECT ?s WHERE { { ?s a rko:Modality } } ORDER BY ?s"})
    assert via_service.status_code == 200 and via_service.json() == direct.json()
    assert len(direct.json()["results"]["bindings"]) >= modality_count(store) > 0


def test_row_cap_is_stated(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(r.json()["results"]["bindings"]) == MAX_ROWS
    assert r.headers["x-result-truncated"] == "true" and r.headers["x-result-limit"] == str(MAX_ROWS)
    small = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
    assert "x-result-truncated" not in small.headers


def test_timeout_stops_the_query_while_other_requests_are_served(client, api_settings):
    from fastapi.testclient import TestClient

    other = TestClient(client.app, client=("192.0.2.7", 50000))  # another caller: its own share of the workers
    results = {}

    def slow():
        t = time.monotonic()
        results["slow"] = client.get("/sparql", params={"query": SLOW})
        results["slow_s"] = time.monotonic() - t

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    t = time.monotonic()
    assert other.get("/health").status_code == 200
    assert other.get("/sparql", params={"query": COUNT}).status_code == 200  # the other worker answers
    fast_s = time.monotonic() - t
    thread.join(30)
    assert_error(results["slow"], 422, "query_timeout")
    assert api_settings.query_timeout_s <= results["slow_s"] < api_settings.query_timeout_s + 3
    assert fast_s < 1.0
    assert client.get("/sparql", params={"query": COUNT}).status_code == 200  # the killed worker was replaced


def test_admin_update_needs_the_token_and_publishes_a_new_build(tmp_path):
    from fastapi.testclient import TestClient

    from regkg.api.app import create_app
    from regkg.config import ServerConfig
    from regkg.graph.build import build
    from tests.conftest import make_settings

    settings = make_settings(tmp_path)
    build(settings, [])
    app = create_app(settings, ServerConfig(admin_token="s3cret", query_workers=1))
    update = 'INSERT DATA { GRAPH <urn:x:admin> { <urn:x:a> <urn:x:p> "added" } }'
    ask = {"query": 'ASK { <urn:x:a> <urn:x:p> "added" }'}
    with TestClient(app, raise_server_exceptions=False) as c:
        assert_error(c.post("/sparql", data={"update": update}), 403)
        assert_error(c.post("/sparql", data={"update": update}, headers={"Authorization": "Bearer wrong"}), 403)
        assert_error(c.post("/sparql", data={"update": "LOAD <http://example.org/>"},
                            headers={"Authorization": "Bearer s3cret"}), 403, "load_refused")
        assert c.get("/sparql", params=ask).json()["boolean"] is False
        ok = c.post("/sparql", content=update, headers={"Authorization": "Bearer s3cret", "Content-Type": "application/sparql-update"})
        assert ok.status_code == 200, ok.text
        assert c.get("/sparql", params=ask).json()["boolean"] is True
        loose = 'INSERT DATA { <urn:x:b> <urn:x:p> "default graph" }'  # kept, in the admin graph
        assert c.post("/sparql", data={"update": loose}, headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert c.get("/sparql", params={"query": 'ASK { GRAPH <https://w3id.org/regkg/graph/admin> { <urn:x:b> ?p ?o } }'}).json()["boolean"]
        assert c.get("/sparql", params=ask).json()["boolean"] is True
        assert_error(c.post("/sparql", data={"update": "INSERT DATA { <a> }"}, headers={"Authorization": "Bearer s3cret"}), 400)
