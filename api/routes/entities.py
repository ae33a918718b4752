"""Entities: label autocomplete, one entity as JSON or RDF, and ``/id/…`` dereferencing.

``/id/<path>`` is where the graph's own IRIs (``https://w3id.org/regkg/id/…``)
resolve: HTML for browsers, RDF for RDF clients, JSON otherwise.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from regkg.api import negotiation as media
from regkg.queries.describe import describe, entity_iri, triples
from regkg.api.errors import ApiError, error_responses
from regkg.api.runtime import Runtime, runtime
from regkg.api.schemas import Entity, EntityHits
from regkg.api.rdf_out import serialize
from regkg.ontology.namespaces import compact
from regkg.queries.library import get_query

router = APIRouter(tags=["entities"])

_RDF_CONTENT = {m: {"schema": {} if "json" in m else {"type": "string"}} for m in media.RDF_TYPES}


@router.get("/entities", response_model=EntityHits, responses=error_responses(400, 404, 503))
def lookup(
    rt: Runtime = Depends(runtime),
    q: str = Query(min_length=1, max_length=200, description="Part of a Japanese or English label or synonym", examples=["iPS"]),
    type: str | None = Query(None, max_length=200, description="Restrict to one class, e.g. rko:Modality or Modality", examples=["rko:Modality"]),
):
    """Label autocomplete over preferred labels and synonyms, Japanese and English; exact matches first."""
    params = {"text": q}
    if type:
        params["type_filter"] = type if ":" in type else f"rko:{type}"
    hits = []
    for row in get_query("label-lookup").run(rt.store(), params).rows:
        hit = {"iri": row["entity"].value, "curie": compact(row["entity"].value)}
        for key, var in (("label", "label"), ("label_ja", "entity_ja"), ("label_en", "entity_en"), ("type", "type")):
            if row.get(var) is not None:
                hit[key] = compact(row[var].value) if key == "type" else row[var].value
        hits.append(hit)
    return {"query": q, "hits": hits}


def entity_response(request: Request, rt: Runtime, iri: str, allow_html: bool) -> Response | dict:
    """Negotiate: HTML page (only where ``allow_html``), RDF, or the JSON description."""
    accept = request.headers.get("accept")
    if allow_html and media.prefers_html(accept):
        from regkg.api.routes.ui import entity_page

        return entity_page(request, rt, iri)
    chosen = media.choose(accept, (media.JSON, *media.RDF_TYPES))
    if chosen is None:
        raise ApiError(406, "not_acceptable", "entities are available as " + ", ".join((media.JSON, *media.RDF_TYPES)))
    if chosen == media.JSON:
        return describe(rt.store(), iri)
    body = serialize(triples(rt.store(), iri), chosen)
    return Response(body, media_type=chosen, headers={"Vary": "Accept"})


@router.get(
    "/entities/{curie:path}",
    response_model=Entity,
    responses={200: {"content": _RDF_CONTENT}, **error_responses(400, 404, 406, 503)},
)
def entity(
    request: Request,
    curie: str = Path(description="CURIE or IRI, e.g. regkg:modality/ips-derived-cells", examples=["regkg:risk/tumorigenicity"]),
    rt: Runtime = Depends(runtime),
):
    """One entity: labels, definition, types, links, citations. JSON-LD, Turtle, N-Triples or RDF/XML by ``Accept``."""
    return entity_response(request, rt, entity_iri(curie), allow_html=False)


@router.get(
    "/id/{path:path}",
    response_model=Entity,
    responses={200: {"content": {**_RDF_CONTENT, media.HTML: {"schema": {"type": "string"}}}}, **error_responses(400, 404, 406, 503)},
)
def dereference(request: Request, path: str, rt: Runtime = Depends(runtime)):
    """Dereference an entity IRI ``https://w3id.org/regkg/id/<path>``: HTML for browsers, RDF by ``Accept``, else JSON;
    ``<path>.json`` is the JSON whatever the ``Accept`` (as every page's ``.json``)."""
    if path.endswith(".json"):
        return describe(rt.store(), entity_iri("regkg:" + path.removesuffix(".json")))
    return entity_response(request, rt, entity_iri("regkg:" + path), allow_html=True)
