"""``/sparql``: the SPARQL 1.1 Protocol endpoint, read-only and bounded by default.

- query by ``GET ?query=``, ``POST`` form-encoded, or ``POST`` ``application/sparql-query``;
- results by ``Accept`` (SPARQL JSON/XML, CSV, TSV; Turtle, N-Triples, JSON-LD, RDF/XML for graphs);
- updates (``update=``, ``application/sparql-update``, or update text sent as a query) → 403,
  unless ``REGKG_ADMIN_TOKEN`` is set and presented as ``Authorization: Bearer …``; ``LOAD`` never;
- ``SERVICE`` only to this endpoint itself (inlined), never to other addresses;
- each query runs in a killable worker process with the time limit and row cap of the settings;
  truncation is stated in the ``X-Result-Truncated`` and ``X-Result-Limit`` headers.
"""

from __future__ import annotations

import hmac

import anyio
import pyoxigraph as ox
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from regkg.api import negotiation as media
from regkg.api import sparql_guard as guard
from regkg.api.errors import ApiError, error_responses
from regkg.api.runtime import Runtime, runtime
from regkg.api.sparql_pool import Job, Outcome, PoolBusy, QueryTimeout, WorkerFailed
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
            "X-Result-Truncated": {"description": "`true` when the row cap cut the results", "schema": {"type": "string"}},
            "X-Result-Limit": {"description": "The row cap", "schema": {"type": "string"}},
        },
    },
    **error_responses(400, 403, 406, 413, 415, 422, 503),
}
_EXAMPLE = "SELECT ?modality ?label WHERE { ?modality a rko:Modality ; skos:prefLabel ?label } LIMIT 10"


def local_endpoints(request: Request) -> set[str]:
    """Addresses that mean "this graph" in a SERVICE clause."""
    return {str(request.url_for("sparql_get")), CANONICAL_ENDPOINT}


async def execute(rt: Runtime, text: str, result_type: str | None, graph_type: str | None,
                  default_graphs: list[str] = (), named_graphs: list[str] = ()) -> Outcome:
    """Run a checked query in the worker pool; every failure becomes an :class:`ApiError`."""
    for graph in (*default_graphs, *named_graphs):
        try:
            ox.NamedNode(graph)
        except ValueError:
            raise ApiError(400, "bad_request", f"not a valid graph IRI: {graph!r}") from None
    if result_type is None and graph_type is None:
        raise ApiError(406, "not_acceptable", "acceptable: " + ", ".join((*media.RESULT_TYPES, *media.RDF_TYPES)))
    store = rt.store()
    job = Job(store_path="" if rt.remote else str(store.path), query=text, result_type=result_type, graph_type=graph_type,
              max_rows=rt.settings.max_rows, prefixes=PREFIXES,
              default_graphs=tuple(default_graphs), named_graphs=tuple(named_graphs))
    timeout = rt.settings.query_timeout_s
    try:
        if rt.remote:  # the server evaluates; its answer takes the adapter's HTTP time limit
            outcome = await anyio.to_thread.run_sync(execute_remote, store, job)
        else:
            outcome = await anyio.to_thread.run_sync(rt.pool.run, job, timeout)
    except QueryTimeout:
        raise ApiError(422, "query_timeout", f"the query ran longer than the {timeout:g} s limit and was stopped; "
                       "narrow it (more specific patterns, LIMIT)") from None
    except PoolBusy:
        raise ApiError(503, "busy", "all query workers stayed busy; try again", {"Retry-After": "1"}) from None
    except WorkerFailed:
        raise ApiError(503, "worker_failed", "the query worker stopped (out of memory?); narrow the query") from None
    if outcome.status == "syntax":
        raise ApiError(400, "malformed_query", f"SPARQL syntax error: {outcome.message}")
    if outcome.status == "not_acceptable":
        offers = media.RESULT_TYPES if "results" in outcome.message else media.RDF_TYPES
        raise ApiError(406, "not_acceptable", f"this query returns {outcome.message}; acceptable: {', '.join(offers)}")
    if outcome.status != "ok":
        raise ApiError(400, "query_error", outcome.message)
    return outcome


def check(request: Request, query: str) -> str:
    """Refuse updates and SERVICE to other addresses; the text to run (local SERVICE inlined)."""
    if not query.strip():
        raise ApiError(400, "bad_request", "the query is empty")
    if guard.is_update(query):
        raise ApiError(403, "read_only", "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, …) is refused")
    try:
        return guard.inline_local_services(query, local_endpoints(request))
    except PermissionError as exc:
        raise ApiError(403, "service_refused", str(exc)) from None


async def run_query(request: Request, rt: Runtime, query: str, default_graphs: list[str], named_graphs: list[str]) -> Response:
    text = check(request, query)
    accept = request.headers.get("accept")
    outcome = await execute(rt, text, media.choose(accept, media.RESULT_TYPES), media.choose(accept, media.RDF_TYPES),
                            default_graphs, named_graphs)
    headers = {"Vary": "Accept", "X-Result-Limit": str(rt.settings.max_rows)}
    if outcome.truncated:
        headers["X-Result-Truncated"] = "true"
    return Response(outcome.body, media_type=outcome.media_type, headers=headers)


async def run_update(request: Request, rt: Runtime, update: str) -> Response:
    token = rt.config.admin_token
    presented = request.headers.get("authorization", "")
    scheme, _, value = presented.partition(" ")
    if not token or scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
        raise ApiError(403, "read_only", "this endpoint is read-only; updates need the administrator token")
    if rt.remote:
        raise ApiError(403, "read_only", "this server reads a shared SPARQL store (REGKG_STORE); "
                       "send updates to that server, or rebuild with `regkg build`")
    if guard.uses_load(update):
        raise ApiError(403, "load_refused", "LOAD is refused: the server fetches no remote documents")
    if guard.service_clauses(update):
        raise ApiError(403, "service_refused", "SERVICE is refused in updates")
    from regkg.api.admin_update import apply_update

    size = await anyio.to_thread.run_sync(apply_update, rt.settings, update)
    return Response(f'{{"status": "ok", "triples": {size}}}', media_type=media.JSON)


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
