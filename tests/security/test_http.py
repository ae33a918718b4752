"""HTTP hygiene: headers, CORS, OPTIONS, long URLs, no server paths, capped logs, limits that match the docs."""

from __future__ import annotations

import httpx
import pytest

from bench.attacks import raw_get
from regkg.config import MAX_QUESTION_CHARS, ServerConfig


def test_pages_carry_security_headers_and_no_cors(hostile_server):
    r = httpx.get(hostile_server.base + "/ui/sparql", timeout=30)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["referrer-policy"] == "no-referrer"
    assert "access-control-allow-origin" not in r.headers


@pytest.mark.parametrize("path", ["/sparql?query=ASK%7B%7D", "/health", "/modalities", "/queries"])
def test_read_only_data_routes_allow_any_origin(hostile_server, path):
    r = httpx.get(hostile_server.base + path, headers={"Origin": "https://example.org"}, timeout=30)
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_options_is_answered_and_preflights_exclude_credentials(hostile_server):
    r = httpx.options(hostile_server.base + "/sparql", timeout=30, headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert r.status_code == 204
    assert {"GET", "POST", "OPTIONS"} <= {m.strip() for m in r.headers["allow"].split(",")}
    assert r.headers["access-control-allow-origin"] == "*"
    assert "authorization" not in r.headers["access-control-allow-headers"].lower()
    for path in ("/ask", "/classify", "/ui/sparql"):
        assert httpx.options(hostile_server.base + path, timeout=30).status_code == 204


def test_an_over_long_url_gets_the_json_error(hostile_server):
    r = raw_get(hostile_server.base, "/sparql?query=ASK%7B%7D%23" + "x" * 100_000)
    assert r.status_code == 414 and r.headers["content-type"] == "application/json"
    assert r.json()["error"]["code"] == "uri_too_long"
    assert hostile_server.alive()


def test_errors_and_the_graph_name_no_server_paths(hostile_server, built_settings, tmp_path):
    from fastapi.testclient import TestClient

    from regkg.api.app import create_app
    from tests.conftest import make_settings

    empty = make_settings(tmp_path / "never-built")
    with TestClient(create_app(empty, ServerConfig(query_workers=1)), raise_server_exceptions=False) as c:
        error = c.get("/modalities").json()["error"]
    assert error["code"] == "no_graph" and str(tmp_path) not in error["message"]
    leak = "ASK { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?s), 'file:') || STRSTARTS(STR(?o), 'file:') " \
           f"|| CONTAINS(STR(?o), '{built_settings.data_dir.parent.parent}')) }}"
    assert httpx.get(hostile_server.base + "/sparql", params={"query": leak}, timeout=30).json()["boolean"] is False


def test_access_log_lines_are_capped(hostile_server):
    httpx.get(hostile_server.base + "/sparql", params={"query": "ASK {} #" + "y" * 12_000}, timeout=30)
    lines = hostile_server.log.read_text(errors="replace").splitlines()
    assert any("yyyy" in line for line in lines)  # the request was logged …
    assert max(len(line) for line in lines if "yyyy" in line) < ServerConfig().log_url_chars + 200  # … cut short


def test_documented_limits_are_the_enforced_ones(hostile_server):
    spec = httpx.get(hostile_server.base + "/openapi.json", timeout=30).json()
    ask = next(p for p in spec["paths"]["/ask"]["get"]["parameters"] if p["name"] == "q")
    assert ask["schema"]["maxLength"] == MAX_QUESTION_CHARS
    over = httpx.get(hostile_server.base + "/ask", params={"q": "a" * (MAX_QUESTION_CHARS + 1)}, timeout=60)
    assert over.status_code == 400
