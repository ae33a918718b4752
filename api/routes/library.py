"""``GET /queries`` and ``GET /queries/{name}``: the named-query library over HTTP."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Request

from regkg.api.errors import error_responses
from regkg.queries.rows import row_values
from regkg.api.runtime import Runtime, runtime
from regkg.api.schemas import QueryList, QueryResult
from regkg.queries.library import get_query, library

router = APIRouter(tags=["named queries"])


@router.get("/queries", response_model=QueryList)
def list_queries():
    """Every named query with its parameters, an example binding and its SPARQL text."""
    return {"queries": [q.describe() for q in library().values()]}


@router.get(
    "/queries/{name}",
    response_model=QueryResult,
    responses=error_responses(400, 404, 503),
    openapi_extra={"parameters": [{
        "name": "param", "in": "query", "required": False, "style": "form", "explode": True,
        "schema": {"type": "object", "additionalProperties": {"type": "string"}},
        "description": "The query's parameters by name (see GET /queries); IRIs may be CURIEs such as regkg:modality/msc.",
        "example": {"modality": "regkg:modality/ips-derived-cells"},
    }]},
)
def run_query(request: Request, name: str = Path(description="A named query (GET /queries lists them)", examples=["modality-risk-class"]),
              rt: Runtime = Depends(runtime)):
    """Run one named query; its parameters are bound as RDF terms, never pasted into the text.

    Example: `/queries/modality-risk-class?modality=regkg:modality/ips-derived-cells`.
    """
    named = get_query(name)
    result = named.run(rt.store(), dict(request.query_params))
    rows = row_values(result)
    return {"name": named.name, "title": named.title, "variables": result.variables, "rows": rows, "count": len(rows)}
