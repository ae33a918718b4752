"""``/sparql``: the SPARQL 1.1 Protocol endpoint, read-only and bounded by default.

- query by ``GET ?query=``, ``POST`` form-encoded, or ``POST`` ``application/sparql-query``;
- results by ``Accept`` (SPARQL JSON/XML, CSV, TSV; Turtle, N-Triples, JSON-LD, RDF/XML for graphs);
- what a text asks for is decided from its parse (:mod:`regkg.api.sparql_guard`), failing closed;
- updates (``update=``, ``application/sparql-update``, or update text sent as a query) → 403,
  unless ``REGKG_ADMIN_TOKEN`` is set and presented as ``Authorization: Bearer …``; ``LOAD`` never;
- ``SERVICE`` only to this endpoint itself (inlined), never to other addresses;
- each query runs in a killable worker process, without network access, with the time limit,
  row cap, byte cap and memory cap of the settings, at most ``client_queries`` at once per client;
  truncation is stated in the ``X-Result-Truncated`` header (``X-Result-Limit``: the row cap,
  ``X-Result-Byte-Limit``: the byte cap).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator

import anyio
import pyoxigraph as ox
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from regkg.api import negotiation as media
from regkg.api import sparql_guard as guard
from regkg.api.errors import ApiError, error_responses
from regkg.api.runtime import Runtime, runtime
from regkg.api.admin_update import apply_update
from regkg.api.client_gate import GateTimeout
from regkg.api.sparql_pool import Job, NotIsolated, Outcome, PoolBusy, QueryTimeout, WorkerFailed
from regkg.api.sparql_remote import execute_remote
from regkg.ontology.namespaces import BASE, PREFIXES

router = APIRouter(tags=["SPARQL"])

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
CANONICAL_ENDPOINT = BASE + "sparql"

_RESULTS = {
    200: {
        "description": "Query results in the negotiated format",
        "content": {m: {"schema": {} if "json" in m else {"type": "string"}} for m in (*media.RESULT_TYPES, *media.RDF_TYPES)},
        "headers": {
            "X-Result-Truncated": {"description": "`true` when the row cap or the byte cap cut the results",
                                   "schema": {"type": "string"}},
            "X-Result-Limit": {"description": "The row cap", "schema": {"type": "string"}},
            "X-Result-Byte-Limit": {"description": "The byte cap on the response body", "schema": {"type": "string"}},
        },
    },
    **error_responses(400, 403, 406, 413, 415, 422, 503),
}
CHUNK = 64 * 1024
_EXAMPLE = "SELECT ?modality ?label WHERE { ?modality a rko:Modality ; skos:prefLabel ?label } LIMIT 10"


def local_endpoints(request: Request) -> set[str]:
    """Addresses that mean "this graph" in a SERVICE clause."""
    return {str(request.url_for("sparql_get")), CANONICAL_ENDPOINT}


async def execute(rt: Runtime, text: str, result_type: str | None, graph_type: str | None,
                  default_graphs: list[str] = (), named_graphs: list[str] = (), client: str = "") -> Outcome:
    """Run a checked query in the worker pool, within the client's share; every failure becomes an :class:`ApiError`."""
    for graph in (*default_graphs, *named_graphs):
        try:
            ox.NamedNode(graph)
        except ValueError:
            raise ApiError(400, "bad_request", f"not a valid graph IRI: {graph!r}") from None
    if result_type is None and graph_type is None:
        raise ApiError(406, "not_acceptable", "acceptable: " + ", ".join((*media.RESULT_TYPES, *media.RDF_TYPES)))
    store = rt.store()
    job = Job(store_path="" if rt.remote else str(store.path), query=text, result_type=result_type, graph_type=graph_type,
              max_rows=rt.settings.max_rows, max_bytes=rt.config.max_response_bytes, prefixes=PREFIXES,
              default_graphs=tuple(default_graphs), named_graphs=tuple(named_graphs))
    timeout = rt.settings.query_timeout_s
    try:
        if rt.remote:  # the server evaluates; its answer takes the adapter's HTTP time limit
            outcome = await anyio.to_thread.run_sync(execute_remote, store, job)
        else:
            async with rt.gate.slot(client, timeout):
                outcome = await anyio.to_thread.run_sync(rt.pool.run, job, timeout)
    except QueryTimeout:
        raise ApiError(422, "query_timeout", f"the query ran longer than the {timeout:g} s limit and was stopped; "
                       "narrow it (more specific patterns, LIMIT)") from None
    except (PoolBusy, GateTimeout):
        raise ApiError(503, "busy", "all query workers open to you stayed busy (your earlier queries, or everyone's); "
                       "try again", {"Retry-After": "1"}) from None
    except NotIsolated as exc:
        raise ApiError(503, "isolation_unavailable", "SPARQL queries are off: query workers cannot be cut off from "
                       f"the network on this machine ({exc}); see REGKG_SPARQL_ISOLATION") from None
    except WorkerFailed as exc:
        if exc.out_of_memory:
            raise _memory_error(rt) from None
        raise ApiError(503, "worker_failed", "the query worker stopped; narrow the query") from None
    if outcome.status == "syntax":
        raise ApiError(400, "malformed_query", f"SPARQL syntax error: {outcome.message}")
    if outcome.status == "memory":
        raise _memory_error(rt)
    if outcome.status == "not_acceptable":
        offers = media.RESULT_TYPES if "results" in outcome.message else media.RDF_TYPES
        raise ApiError(406, "not_acceptable", f"this query returns {outcome.message}; acceptable: {', '.join(offers)}")
    if outcome.status != "ok":
        raise ApiError(400, "query_error", outcome.message)
    return outcome


def _memory_error(rt: Runtime) -> ApiError:
    limit = rt.config.worker_memory_bytes >> 20
    return ApiError(422, "query_memory", f"the query needed more than the {limit} MiB memory limit and was stopped; "
                    "narrow it (fewer joins, no ORDER BY over large results, LIMIT)")


def check(request: Request, rt: Runtime, query: str) -> str:
    """The text to run (local SERVICE inlined, comments blanked), or the ApiError that refuses it."""
    limits = guard.Limits(rt.config.max_query_chars, rt.config.max_query_depth)
    try:
        return guard.prepare_query(query, limits, local_endpoints(request))
    except guard.Refused as exc:
        raise ApiError(exc.status, exc.code, exc.message) from None


def client_of(request: Request) -> str:
    """The key a client's fair share is counted under: its peer address."""
    return request.client.host if request.client else ""


def _chunks(body: bytes) -> Iterator[bytes]:
    view = memoryview(body)
    for start in range(0, len(view), CHUNK):
        yield bytes(view[start:start + CHUNK])


async def run_query(request: Request, rt: Runtime, query: str, default_graphs: list[str], named_graphs: list[str]) -> Response:
    text = check(request, rt, query)
    accept = request.headers.get("accept")
    outcome = await execute(rt, text, media.choose(accept, media.RESULT_TYPES), media.choose(accept, media.RDF_TYPES),
                            default_graphs, named_graphs, client_of(request))
    headers = {"Vary": "Accept", "X-Result-Limit": str(rt.settings.max_rows),
               "X-Result-Byte-Limit": str(rt.config.max_response_bytes), "Content-Length": str(len(outcome.body))}
    if outcome.truncated:
        headers["X-Result-Truncated"] = "true"
    # sent in chunks, so a client that reads slowly holds the server to its pace, not to a copy of the body
    return StreamingResponse(_chunks(outcome.body), media_type=outcome.media_type, headers=headers)


_UPDATE_ERRORS = {"syntax": (400, "malformed_update"), "failed": (400, "update_failed"), "no_graph": (503, "no_graph"),
                  "locked": (409, "build_running"),
                  "timeout": (422, "update_timeout"), "crashed": (503, "update_failed")}


async def run_update(request: Request, rt: Runtime, update: str) -> Response:
    token = rt.config.admin_token
    presented = request.headers.get("authorization", "")
    scheme, _, value = presented.partition(" ")
    if not token or scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
        raise ApiError(403, "read_only", "this endpoint is read-only; updates need the administrator token")
    if rt.remote:
        raise ApiError(403, "read_only", "this server reads a shared SPARQL store (REGKG_STORE); "
                       "send updates to that server, or rebuild with `regkg build`")
    try:
        text = guard.prepare_update(update, guard.Limits(rt.config.max_query_chars, rt.config.max_query_depth))
    except guard.Refused as exc:
        raise ApiError(exc.status, exc.code, exc.message) from None
    outcome = await anyio.to_thread.run_sync(apply_update, rt.settings, text,
                                             # a copy of the whole store is loaded: more room than one query's
                                             max(60.0, 6 * rt.settings.query_timeout_s), 4 * rt.config.worker_memory_bytes,
                                             rt.config.require_isolation)
    if outcome.status != "ok":
        status, code = _UPDATE_ERRORS[outcome.status]
        raise ApiError(status, code, outcome.message)
    return Response(f'{{"status": "ok", "triples": {outcome.triples}}}', media_type=media.JSON)


@router.get("/sparql", responses=_RESULTS, name="sparql_get")
async def sparql_get(
    request: Request,
    rt: Runtime = Depends(runtime),
    query: str | None = Query(None, description="The SPARQL query (default prefixes rko:, regkg:, skos:, … are predeclared)",
                              examples=[_EXAMPLE]),
    default_graph_uri: list[str] = Query([], alias="default-graph-uri", description="Default graph(s); the union of all graphs when absent"),
    named_graph_uri: list[str] = Query([], alias="named-graph-uri", description="Named graphs visible to GRAPH"),
):
    """SPARQL 1.1 Protocol query by GET. Without ``query``, a browser is sent to the SPARQL page."""
    if query is None:
        if media.prefers_html(request.headers.get("accept")):
            return RedirectResponse("/ui/sparql", status_code=303)
        raise ApiError(400, "bad_request", "missing the 'query' parameter")
    return await run_query(request, rt, query, default_graph_uri, named_graph_uri)


@router.post(
    "/sparql",
    responses=_RESULTS,
    openapi_extra={"requestBody": {"required": True, "content": {
        FORM: {"schema": {"type": "object", "properties": {
            "query": {"type": "string"}, "update": {"type": "string"},
            "default-graph-uri": {"type": "string"}, "named-graph-uri": {"type": "string"}}},
            "example": {"query": _EXAMPLE}},
        SPARQL_QUERY: {"schema": {"type": "string"}, "example": _EXAMPLE},
        SPARQL_UPDATE: {"schema": {"type": "string"}, "example": "INSERT DATA { regkg:x rko:note \"x\" }"},
    }}},
)
async def sparql_post(request: Request, rt: Runtime = Depends(runtime)):
    """SPARQL 1.1 Protocol query (form-encoded or ``application/sparql-query``) or update (admin only)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    default_graphs = request.query_params.getlist("default-graph-uri")
    named_graphs = request.query_params.getlist("named-graph-uri")
    if content_type == FORM:
        form = await request.form()
        query, update = form.get("query"), form.get("update")
        default_graphs += [str(v) for v in form.getlist("default-graph-uri")]
        named_graphs += [str(v) for v in form.getlist("named-graph-uri")]
        if update is not None:
            return await run_update(request, rt, str(update))
        if query is None:
            raise ApiError(400, "bad_request", "the form has neither 'query' nor 'update'")
        return await run_query(request, rt, str(query), default_graphs, named_graphs)
    if content_type in (SPARQL_QUERY, SPARQL_UPDATE):
        try:
            text = (await request.body()).decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(400, "bad_request", "the body is not UTF-8") from None
        if content_type == SPARQL_UPDATE:
            return await run_update(request, rt, text)
        return await run_query(request, rt, text, default_graphs, named_graphs)
    raise ApiError(415, "unsupported_media_type", f"POST a query as {FORM} or {SPARQL_QUERY}, an update as {SPARQL_UPDATE}")
