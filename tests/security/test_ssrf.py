"""Server-side request forgery: no query, however written or sent, makes the server connect anywhere."""

from __future__ import annotations

import httpx
import pytest

from tests.security.conftest import TOKEN

#: The two forms that got past the regex guard, their relatives, and plain SERVICE / LOAD, for a target URL.
FORMS = [
    "SELECT * WHERE {{ {{ FILTER(1<'>') }} UNION {{ SERVICE <{url}> {{ ?a ?b ?c }} }} }} # '",
    "SELECT * WHERE {{ OPTIONAL {{ ?s rdf:type rdf:x\\' }} SERVICE <{url}> {{ ?x ?y ?z }} }} # '",
    'SELECT * WHERE {{ {{ FILTER(1<">") }} UNION {{ SERVICE SILENT <{url}> {{ ?a ?b ?c }} }} }} # "',
    "SELECT * WHERE {{ ?s ?p '''a\\''' . service <{url}> {{ ?x ?y ?z }} }}",
    "ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "LOAD <{url}>",
]
WAYS = {
    "get": lambda base, q: httpx.get(base + "/sparql", params={"query": q}, timeout=15),
    "form": lambda base, q: httpx.post(base + "/sparql", data={"query": q}, timeout=15),
    "body": lambda base, q: httpx.post(base + "/sparql", content=q, timeout=15,
                                       headers={"Content-Type": "application/sparql-query"}),
    "page": lambda base, q: httpx.get(base + "/ui/sparql", params={"query": q}, timeout=15),
    "page_json": lambda base, q: httpx.get(base + "/ui/sparql.json", params={"query": q}, timeout=15),
}


@pytest.mark.parametrize("way", sorted(WAYS))
def test_no_query_form_reaches_the_network(hostile_server, trap, way):
    for form in FORMS:
        r = WAYS[way](hostile_server.base, form.format(url=trap.url))
        assert r.status_code in (400, 403), (form, r.status_code, r.text[:300])
    assert trap.connections == []
    assert hostile_server.alive()


def test_admin_updates_cannot_load_or_call_out(admin_server, trap):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    updates = [
        f"LOAD <{trap.url}>",
        f"LOAD SILENT <{trap.url}> INTO GRAPH <urn:x:g>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ FILTER(1<'>') }} ; LOAD <{trap.url}> # '",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{trap.url}> {{ ?s ?p ?o }} }}",
    ]
    for update in updates:
        r = httpx.post(admin_server.base + "/sparql", data={"update": update}, headers=auth, timeout=30)
        assert r.status_code == 403, (update, r.text)
    assert trap.connections == []


def test_workers_have_no_network_even_when_the_guard_is_bypassed(built_settings, trap):
    """The second barrier alone: a SERVICE query handed straight to the pool never reaches the trap."""
    from regkg.api import negotiation as media
    from regkg.api.sparql_pool import Job, QueryPool
    from regkg.graph.store import connect

    pool = QueryPool(1)
    try:
        for silent in ("", "SILENT"):
            job = Job(store_path=str(connect(built_settings).path),
                      query=f"SELECT * WHERE {{ SERVICE {silent} <{trap.url}> {{ ?s ?p ?o }} }}",
                      result_type=media.SPARQL_JSON, graph_type=None, max_rows=10)
            outcome = pool.run(job, 10)
            assert outcome.status in ("ok", "error"), outcome
            assert outcome.status == "error" or outcome.rows <= 1  # SILENT: an empty answer, not the trap's
    finally:
        pool.close()
    assert trap.connections == []
