"""Question answering, search, risk classification and checklists over HTTP.

The work is done in ``regkg.queries`` (shared with the CLI); these routes only
validate, call and shape. Each module is imported when first used, so the
server starts fast and the heavy ones (models, reasoner tables) load lazily.
"""

from __future__ import annotations

import importlib
import re
from types import ModuleType
from typing import Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import Response

from regkg.api.errors import ApiError, error_responses
from regkg.api.runtime import Runtime, runtime
from regkg.api.schemas import Answer, AskBody, SearchHits
from regkg.config import MAX_QUESTION_CHARS
from regkg.queries.errors import InputError

router = APIRouter(tags=["answers"])

CHECKLIST_MEDIA = {
    "json": "application/json",
    "md": "text/markdown",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def read_side(name: str) -> ModuleType:
    """``regkg.queries.<name>``, imported on first use."""
    return importlib.import_module(f"regkg.queries.{name}")


def with_models(rt: Runtime, name: str) -> ModuleType:
    """The module, once the background warm-up has loaded the models it shares."""
    module = read_side(name)
    if not rt.wait_for_models():
        raise ApiError(503, "loading", "search models are still loading; try again shortly", {"Retry-After": "5"})
    return module


QuestionText = Query(min_length=1, max_length=MAX_QUESTION_CHARS, description="A question in Japanese or English",
                     examples=["iPS細胞を用いる再生医療等のリスク分類は？"])


@router.get("/ask", response_model=Answer, responses=error_responses(400, 503))
def ask_get(q: str = QuestionText, rt: Runtime = Depends(runtime)):
    """Answer a question: a sentence in the question's language, the items, and citations to provisions."""
    return with_models(rt, "ask").ask(rt.store(), q)


@router.post("/ask", response_model=Answer, responses=error_responses(400, 413, 503))
def ask_post(body: AskBody, rt: Runtime = Depends(runtime)):
    """Same as ``GET /ask``, with the question in a JSON body ``{"q": …}``."""
    return with_models(rt, "ask").ask(rt.store(), body.q)


@router.get("/search", response_model=SearchHits, responses=error_responses(400, 503))
def search(
    rt: Runtime = Depends(runtime),
    q: str = Query(min_length=1, max_length=MAX_QUESTION_CHARS, description="Search text", examples=["造腫瘍性試験"]),
    k: int = Query(10, ge=1, le=100, description="Number of hits"),
    lang: Literal["ja", "en"] | None = Query(None, description="Only passages in this language"),
    type: str | None = Query(None, max_length=100, description="Only units of this kind (e.g. provision, passage)"),
    document: str | None = Query(None, max_length=300, description="Only this document (CURIE or doc id)"),
):
    """Hybrid semantic search over provisions and passages, best first."""
    return with_models(rt, "search").search(rt.store(), q, k=k, lang=lang, type=type, document=document)


@router.post("/classify", responses=error_responses(400, 413, 503))
def classify(
    rt: Runtime = Depends(runtime),
    attributes: dict[str, Any] = Body(
        description="Attributes of the therapy (names and values: see the `attributes` section of the web page's checklist form)",
        examples=[{"material": "cells", "cell_kind": "ips", "origin": "allogeneic"}],
    ),
) -> dict[str, Any]:
    """ASRM risk class of a described therapy, the rule that fired, and its citations."""
    return read_side("classify").classify(attributes, rt.settings.cache_dir)


@router.get(
    "/checklist",
    responses={200: {"content": {m: {"schema": {} if "json" in m else {"type": "string"}} for m in CHECKLIST_MEDIA.values()}},
               **error_responses(400, 404, 503)},
)
def checklist(
    request: Request,
    rt: Runtime = Depends(runtime),
    modality: str = Query(min_length=1, max_length=300, description="Modality: slug, CURIE, IRI, Japanese or English name or synonym",
                          examples=["regkg:modality/ips-derived-cells"]),
    pathway: str | None = Query(None, min_length=1, max_length=300,
                                description="Checklist pathway id (default: the one the modality's risk class implies, if it is unambiguous)",
                                examples=["asrm-class-1"]),
    format: Literal["json", "md", "csv", "xlsx"] = Query("json", description="Download format"),
    lang: Literal["ja", "en"] = Query("ja", description="Language of the lines' values (actor, deadline, force, …) in a download"),
):
    """A submission checklist for a modality and pathway, as JSON or a download (Markdown, CSV, Excel).

    Further query parameters named after the classifier's attributes (e.g. ``origin=allogeneic``)
    refine the checklist; what the modality implies (its material, cell kind, …) fills the rest.
    """
    attributes = {k: v for k, v in request.query_params.items() if k not in ("modality", "pathway", "format", "lang")}
    if attributes:
        known = getattr(read_side("classify"), "ATTRIBUTES", {})
        unknown = sorted(set(attributes) - set(known))
        if unknown:
            raise InputError(f"unknown parameter(s) {', '.join(unknown)}; attributes: {', '.join(known) or '(none)'}")
    from regkg.queries.export import export

    built = read_side("checklist").build_checklist(rt.store(), modality, pathway, attributes or None)
    content, media_type = export(built, format, base_url=str(request.base_url), lang=lang)
    headers = {}
    if format != "json":
        slug = re.sub(r"[^A-Za-z0-9-]+", "-", "-".join(p.rsplit("/", 1)[-1] for p in (built.modality, built.pathway)))
        headers["Content-Disposition"] = f'attachment; filename="checklist-{slug}.{format}"'
    return Response(content, media_type=media_type or CHECKLIST_MEDIA[format], headers=headers)
