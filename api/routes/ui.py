"""The web page for people: ask, search, modalities, checklists, SPARQL, entity pages.

Server-rendered Jinja templates and plain GET forms: every view has its own
address (shareable, works without JavaScript, fast on any device). Japanese by
default; ``?lang=en`` switches and is remembered in a cookie.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from regkg.api import negotiation as media
from regkg.api.describe import describe, local_path
from regkg.api.errors import ApiError
from regkg.api.i18n import pick_lang, strings
from regkg.api.routes.modalities import all_modalities, requirements_of
from regkg.api.routes.services import read_side, with_models
from regkg.api.routes.sparql import check, client_of, execute
from regkg.api.runtime import Runtime, runtime
from regkg.graph.store import StoreError, bind_values
from regkg.ontology.namespaces import compact
from regkg.queries.errors import InputError
from regkg.queries.library import get_query, library

router = APIRouter(include_in_schema=False)

templates = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")
templates.env.globals.update(local=local_path, curie=compact)
templates.env.filters["columns"] = lambda rows: list(dict.fromkeys(k for r in rows for k in r))


def render(request: Request, name: str, section: str, status: int = 200, **context) -> HTMLResponse:
    lang = pick_lang(request.query_params.get("lang"), request.cookies.get("lang"))
    other = "en" if lang == "ja" else "ja"
    params = {k: v for k, v in request.query_params.multi_items() if k != "lang"}
    toggle = request.url.path + "?" + urlencode([*params.items(), ("lang", other)])
    context.setdefault("error", None)
    response = templates.TemplateResponse(
        request, name, {"lang": lang, "t": strings(lang), "section": section, "toggle_href": toggle, **context},
        status_code=status,
    )
    if request.query_params.get("lang") == lang:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


def attempt(fn: Callable, *args, **kwargs) -> tuple[object | None, str | None, int]:
    """Call the read side; a failure becomes a message on the page, not an error page."""
    try:
        return fn(*args, **kwargs), None, 200
    except ApiError as exc:
        return None, exc.message, exc.status
    except InputError as exc:
        return None, str(exc), exc.status
    except StoreError as exc:
        return None, str(exc), 400


@router.get("/", response_class=HTMLResponse)
def home(request: Request, q: str | None = None, rt: Runtime = Depends(runtime)):
    answer, error, status = None, None, 200
    if q and q.strip():
        answer, error, status = attempt(lambda: with_models(rt, "ask").ask(rt.store(), q.strip()[:2000]))
    return render(request, "home.html", "ask", status, q=q, answer=answer, error=error)


def _documents(rt: Runtime) -> list[dict]:
    rows = get_query("documents-by-issuer").run(rt.store()).rows
    docs = {}
    for r in rows:
        iri = r["document"].value
        title = r.get("document_ja") or r.get("document_en")
        docs.setdefault(iri, {"curie": compact(iri), "title": title.value if title else compact(iri)})
    return sorted(docs.values(), key=lambda d: d["title"])


@router.get("/ui/search", response_class=HTMLResponse)
def search_page(request: Request, q: str | None = None, type: str | None = None,
                document: str | None = None, rt: Runtime = Depends(runtime)):
    unit_lang = request.query_params.get("unit_lang")  # not ``lang``: that one is the page language
    filters = {"lang": unit_lang or "", "type": type or "", "document": document or ""}
    hits, error, status = None, None, 200
    if q and q.strip():
        result, error, status = attempt(lambda: with_models(rt, "search").search(
            rt.store(), q.strip()[:2000], k=20, lang=unit_lang if unit_lang in ("ja", "en") else None,
            type=type or None, document=document or None))
        hits = result["hits"] if result else None
    return render(request, "search.html", "search", status, q=q, hits=hits, filters=filters,
                  documents=_documents(rt), error=error)


@router.get("/ui/modalities", response_class=HTMLResponse)
def modalities_page(request: Request, rt: Runtime = Depends(runtime)):
    return render(request, "modalities.html", "modalities", modalities=all_modalities(rt.store()))


@router.get("/ui/modalities/{id}", response_class=HTMLResponse)
def modality_page(request: Request, id: str, rt: Runtime = Depends(runtime)):
    data, error, status = attempt(requirements_of, rt.store(), id)
    if data is None:
        return render(request, "modalities.html", "modalities", status, modalities=all_modalities(rt.store()), error=error)
    return render(request, "modality.html", "modalities", data=data)


def _pathways(lang: str) -> list[dict]:
    try:
        known = read_side("checklist").PATHWAYS
    except ApiError:
        return []
    lang_key = "label_" + lang
    return [{"id": pid, "label": (v.get(lang_key) or v.get("label_en") or pid) if isinstance(v, dict) else str(v)}
            for pid, v in known.items()]


@router.get("/ui/checklist", response_class=HTMLResponse)
def checklist_page(request: Request, modality: str | None = None, pathway: str | None = None, rt: Runtime = Depends(runtime)):
    try:
        attributes = read_side("classify").ATTRIBUTES
    except ApiError:
        attributes = {}
    chosen_attrs = {k: v for k, v in request.query_params.items() if k in attributes and v}
    checklist, error, status = None, None, 200
    download = None
    if modality and pathway:
        def build():
            module = read_side("checklist")
            built = module.build_checklist(rt.store(), modality, pathway, chosen_attrs or None)
            return json.loads(module.export_checklist(built, "json")[0])

        checklist, error, status = attempt(build)
        download = "/checklist?" + urlencode({"modality": modality, "pathway": pathway, **chosen_attrs})
        if checklist is not None and not isinstance(checklist, dict):
            checklist = {"items": checklist}
    elif modality or pathway:
        error, status = strings(pick_lang(request.query_params.get("lang"), request.cookies.get("lang")))["choose"], 400
    return render(request, "checklist.html", "checklist", status, modalities=all_modalities(rt.store()),
                  pathways=_pathways(pick_lang(request.query_params.get("lang"), request.cookies.get("lang"))), attributes=attributes, checklist=checklist, download_href=download,
                  chosen={"modality": modality, "pathway": pathway, "attributes": chosen_attrs}, error=error)


def example_text(name: str) -> str:
    """A named query's text with its example parameters bound, ready to run."""
    named = library()[name]
    try:
        return bind_values(named.sparql, named.bindings(named.example)) if named.example else named.sparql
    except (InputError, StoreError):
        return named.sparql


@router.get("/ui/sparql", response_class=HTMLResponse)
async def sparql_page(request: Request, query: str | None = None, example: str | None = None, rt: Runtime = Depends(runtime)):
    examples = list(library().values())
    if example not in library():
        example = None
    text = query if query is not None else example_text(example or "modalities")
    result, truncated, error, status = None, False, None, 200
    if query is not None:
        try:
            outcome = await execute(rt, check(request, rt, query), media.SPARQL_JSON, media.TURTLE,
                                    client=client_of(request))
            truncated = bool(outcome.truncated)
            if outcome.media_type == media.TURTLE:
                result = {"text": outcome.body.decode("utf-8")}
            else:
                data = json.loads(outcome.body)
                if "boolean" in data:
                    result = {"boolean": data["boolean"]}
                else:
                    rows = [{v: b[v]["value"] for v in b} for b in data["results"]["bindings"]]
                    result = {"vars": data["head"]["vars"], "rows": rows}
        except ApiError as exc:
            error, status = exc.message, exc.status
    return render(request, "sparql.html", "sparql", status, examples=examples, example=example, query=text,
                  result=result, truncated=truncated, limit=rt.settings.max_rows, error=error)


def entity_page(request: Request, rt: Runtime, iri: str) -> HTMLResponse:
    """The HTML view of ``/id/…`` (the JSON and RDF views are in routes.entities)."""
    e, error, status = attempt(describe, rt.store(), iri)
    if e is None:
        return render(request, "base.html", "", status, error=error)
    lang = pick_lang(request.query_params.get("lang"), request.cookies.get("lang"))
    other = "en" if lang == "ja" else "ja"
    names = e["labels"].get(lang) or e["labels"].get(other) or e["labels"].get("") or [e["curie"]]
    response = render(request, "entity.html", "", e=e, title=names[0])
    response.headers["Vary"] = "Accept"
    return response
