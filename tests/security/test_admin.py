"""Administrator updates: caller mistakes are 4xx, a failed update leaves nothing locked or changed."""

from __future__ import annotations

import httpx

from tests.security.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def update(server, text: str) -> httpx.Response:
    return httpx.post(server.base + "/sparql", data={"update": text}, headers=AUTH, timeout=60)


def count(server) -> int:
    r = httpx.get(server.base + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}, timeout=30)
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_failed_updates_release_their_locks_and_change_nothing(admin_server):
    before = count(admin_server)
    for i in range(10):
        failed = update(admin_server, "CLEAR GRAPH <urn:x:missing>" if i % 2 else "CREATE GRAPH <urn:x:g> ; CREATE GRAPH <urn:x:g>")
        assert failed.status_code == 400 and failed.json()["error"]["code"] == "update_failed", failed.text
        assert "does not exist" in failed.json()["error"]["message"] or "already exists" in failed.json()["error"]["message"]
    assert count(admin_server) == before
    ok = update(admin_server, f'INSERT DATA {{ GRAPH <urn:x:admin> {{ <urn:x:s> <urn:x:p> "after ten failures" }} }}')
    assert ok.status_code == 200, ok.text
    assert count(admin_server) > before


def test_update_mistakes_are_client_errors(admin_server):
    assert update(admin_server, "INSERT DATA { <a> }").status_code == 400
    assert update(admin_server, "SELECT * { ?s ?p ?o }").json()["error"]["code"] == "not_an_update"
    assert update(admin_server, "INSERT DATA { <urn:a> <urn:b> <urn:c> } ; LOAD <file:///etc/passwd>").status_code == 403
    assert update(admin_server, "").status_code == 400
    error = update(admin_server, "CLEAR GRAPH <urn:x:missing>").json()["error"]
    assert "/tmp" not in error["message"] and "/work" not in error["message"]
    assert admin_server.alive()
