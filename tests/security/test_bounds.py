"""Bounded work per request: nesting depth, response bytes, worker memory, fair shares, slow readers."""

from __future__ import annotations

import socket
import threading
import time
from urllib.parse import quote

import httpx
import pytest

from bench.attacks import CHEAP, HEAVY, doubling
from tests.security.conftest import MAX_DEPTH, MAX_RESPONSE_BYTES, TIMEOUT_S, TOKEN

NESTED = {
    "braces": "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000,
    "parentheses": "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    "sub-selects": "SELECT * WHERE " + "{ SELECT * WHERE " * 2500 + "{ ?s ?p ?o }" + " }" * 2500,
}


@pytest.mark.parametrize("shape", sorted(NESTED))
def test_deep_nesting_is_refused_before_parsing(hostile_server, shape):
    r = httpx.post(hostile_server.base + "/sparql", data={"query": NESTED[shape]}, timeout=30)
    assert r.status_code == 400 and r.json()["error"]["code"] == "query_too_deep"
    assert str(MAX_DEPTH) in r.json()["error"]["message"]
    assert hostile_server.alive()


def test_deep_nesting_in_an_admin_update_leaves_the_server_up(admin_server):
    update = "INSERT { ?s ?p ?o } WHERE " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000
    r = httpx.post(admin_server.base + "/sparql", data={"update": update}, timeout=30,
                   headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "query_too_deep"
    assert admin_server.alive()


def test_responses_are_cut_at_the_byte_cap(hostile_server):
    many = httpx.get(hostile_server.base + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, timeout=30)
    assert many.status_code == 200 and many.headers["x-result-truncated"] == "true"
    assert 0 < len(many.content) <= MAX_RESPONSE_BYTES == int(many.headers["x-result-byte-limit"])
    assert many.json()["results"]["bindings"]  # still a well-formed, useful answer
    huge = httpx.get(hostile_server.base + "/sparql", params={"query": doubling(16)}, timeout=30)  # 655 kB in one row
    assert huge.status_code == 200 and huge.headers["x-result-truncated"] == "true"
    assert len(huge.content) <= MAX_RESPONSE_BYTES and huge.json()["results"]["bindings"] == []


def test_a_query_past_the_memory_cap_ends_in_a_4xx_and_the_server_serves_on(hostile_server):
    r = httpx.get(hostile_server.base + "/sparql", params={"query": doubling(27, "(STRLEN(?x) AS ?n)")}, timeout=30)
    assert r.status_code == 422 and r.json()["error"]["code"] in ("query_memory", "query_timeout"), r.text
    assert hostile_server.alive()
    assert httpx.get(hostile_server.base + "/sparql", params={"query": CHEAP}, timeout=30).json()["boolean"] is True


def test_one_clients_heavy_queries_do_not_starve_another_client(hostile_server):
    """Two heavy queries from one address hold one worker between them; another address gets the other."""
    heavy_client = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=30)
    cheap_client = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.3"), timeout=30)
    finished: dict[str, float] = {}

    def heavy(tag: str) -> None:
        r = heavy_client.get(hostile_server.base + "/sparql", params={"query": HEAVY})
        finished[tag] = time.monotonic()
        assert r.status_code in (422, 503)

    threads = [threading.Thread(target=heavy, args=(f"heavy{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.5)  # both heavy queries are in: one running, one waiting for its client's slot
    r = cheap_client.get(hostile_server.base + "/sparql", params={"query": CHEAP})
    cheap_done = time.monotonic()
    for t in threads:
        t.join(4 * TIMEOUT_S)
    assert r.status_code == 200 and r.json()["boolean"] is True
    assert cheap_done < min(finished.values())  # answered while the heavy ones still ran


def test_slow_readers_do_not_grow_the_server(hostile_server):
    """Eight clients ask for a capped but large answer and never read it (bounded: 8 sockets, 10 s)."""
    deadline = time.monotonic() + 180  # measure after the background model warm-up, which grows the process itself
    while httpx.get(hostile_server.base + "/health", timeout=10).json()["status"] == "loading" and time.monotonic() < deadline:
        time.sleep(0.5)
    before = hostile_server.main_rss_mb()
    path = "/sparql?query=" + quote(doubling(14))  # one 164 kB row, under the cap
    sockets = []
    try:
        for _ in range(8):
            s = socket.create_connection(("127.0.0.1", int(hostile_server.base.rsplit(":", 1)[1])), timeout=10)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            sockets.append(s)
        time.sleep(3)
        assert hostile_server.alive()
        grown = hostile_server.main_rss_mb() - before
    finally:
        for s in sockets:
            s.close()
    assert grown < 50, f"server grew by {grown:.0f} MB with 8 slow readers"
