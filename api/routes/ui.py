"""The web pages for people: ask, search, modalities, checklists, classify, documents, SPARQL, entity pages.

Every page is a view (Datasette's model): the route computes one dict of data
with ``regkg.queries`` and renders it as HTML, or returns the same dict as JSON
for ``Accept: application/json`` or a ``.json`` suffix — so the page and its
JSON agree by construction. Server-rendered Jinja templates and plain GET
forms: every view has its own address and works without JavaScript. Japanese by
default; ``?lang=en`` switches and is remembered in a cookie.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates

from regkg.api import negotiation as media
from regkg.api.errors import ApiError
from regkg.api.i18n import VALUE_WORDS, pick_lang, strings
from regkg.api.routes.services import read_side, with_models
from regkg.api.routes.sparql import check, client_of, execute
from regkg.api.runtime import Runtime, runtime
from regkg.graph.store import StoreError, bind_values
from regkg.ontology.namespaces import compact
from regkg.queries.citations import note_in
from regkg.queries.columns import boolean_columns, column_heads, page_columns
from regkg.queries.describe import describe, local_path
from regkg.queries.documents import documents
from regkg.queries.errors import InputError
from regkg.queries.export import citation_href, evidence_kinds, evidence_label
from regkg.queries.library import get_query, library
from regkg.queries.locators import citation_place, locator_text
from regkg.queries.modalities import all_modalities, requirements_of
from regkg.queries.names import modality_names
from regkg.queries.rows import row_values

router = APIRouter(include_in_schema=False)

templates = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")
templates.env.globals.update(local=local_path, curie=compact, cite_href=citation_href, evidence_kinds=evidence_kinds,
                             evidence_label=evidence_label, note_in=note_in, place=citation_place)
templates.env.filters["locator"] = locator_text
templates.env.filters["columns"] = lambda rows: list(dict.fromkeys(k for r in rows for k in r))
#: the corpus marks a cut excerpt in English ("[… excerpt ends here]", "[… fragment ends]"; NFKC turns the
#: ellipsis into three dots); a page shows the marker in its own language
EXCERPT_MARK = re.compile(r"\[(?:…|\.\.\.) ?(?:excerpt ends here|fragment ends)\]")
templates.env.filters["excerpt"] = lambda text, t: EXCERPT_MARK.sub(t["excerpt_ends"], text or "")


def page_lang(request: Request) -> str:
    return pick_lang(request.query_params.get("lang"), request.cookies.get("lang"))


def wants_json(request: Request) -> bool:
    """``.json`` suffix, or an ``Accept`` that prefers JSON to HTML."""
    if request.url.path.endswith(".json"):
        return True
    accept = request.headers.get("accept")
    return bool(accept) and media.choose(accept, (media.HTML, media.JSON)) == media.JSON and not media.prefers_html(accept)


def render(request: Request, name: str, section: str, status: int = 200, **context) -> HTMLResponse:
    lang = page_lang(request)
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
    response.headers["Vary"] = "Accept, Cookie"
    return response


def view(request: Request, template: str, section: str, data: dict, status: int = 200, error: str | None = None,
         **page_only) -> Response:
    """One view, two renderings: ``data`` as JSON, or the page (which may also use ``page_only`` helpers)."""
    if wants_json(request):
        if error:
            return JSONResponse({"error": {"code": "bad_request" if status < 500 else "error", "message": error}}, status_code=status)
        return JSONResponse(jsonable_encoder(data), status_code=status, headers={"Vary": "Accept"})
    return render(request, template, section, status, error=error, **data, **page_only)


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


def modality_options(rt: Runtime, lang: str) -> list[dict]:
    """The modalities for a form's picker and autocomplete, sorted by their name in the page language."""
    items = all_modalities(rt.store())
    other = "en" if lang == "ja" else "ja"
    for m in items:
        m["name"] = m.get("label_" + lang) or m.get("label_" + other) or m["id"]
    return sorted(items, key=lambda m: m["name"].casefold())


# ---------------------------------------------------------------- ask

@router.get("/", response_class=HTMLResponse)
@router.get("/ui/ask", response_class=HTMLResponse)
@router.get("/ui/ask.json")
def home(request: Request, q: str | None = None, rt: Runtime = Depends(runtime)):
    answer, error, status = None, None, 200
    if q and q.strip():
        answer, error, status = attempt(lambda: with_models(rt, "ask").ask(rt.store(), q.strip()[:2000]))
    return view(request, "home.html", "ask", {"q": q, "answer": answer}, status, error)


# ---------------------------------------------------------------- search

@router.get("/ui/search", response_class=HTMLResponse)
@router.get("/ui/search.json")
def search_page(request: Request, q: str | None = None, type: str | None = None,
                document: str | None = None, page: int = 1, rt: Runtime = Depends(runtime)):
    unit_lang = request.query_params.get("unit_lang")  # not ``lang``: that one is the page language
    filters = {"unit_lang": unit_lang or "", "type": type or "", "document": document or ""}
    result, error, status = None, None, 200
    if q and q.strip():
        def run():
            from regkg.queries.search_page import search_page as run_search

            with_models(rt, "search")
            return run_search(rt.store(), q.strip()[:2000], page, unit_lang if unit_lang in ("ja", "en") else None,
                              type or None, document or None)

        result, error, status = attempt(run)
    base = [(k, v) for k, v in {"q": q or "", **filters}.items() if v]
    return view(request, "search.html", "search", {"q": q, "filters": filters, "result": result}, status, error,
                documents=documents(rt.store()), base_query=urlencode(base))


# ---------------------------------------------------------------- modalities

@router.get("/ui/modalities", response_class=HTMLResponse)
@router.get("/ui/modalities.json")
def modalities_page(request: Request, rt: Runtime = Depends(runtime)):
    return view(request, "modalities.html", "modalities", {"modalities": modality_options(rt, page_lang(request))})


@router.get("/ui/modalities/{id}", response_class=HTMLResponse)
@router.get("/ui/modalities/{id}.json")
def modality_page(request: Request, id: str, rt: Runtime = Depends(runtime)):
    data, error, status = attempt(requirements_of, rt.store(), id)
    if data is None:
        return view(request, "modalities.html", "modalities", {"modalities": modality_options(rt, page_lang(request))},
                    status, error)
    return view(request, "modality.html", "modalities", {"data": data})


# ---------------------------------------------------------------- checklist

def _pathways() -> list[dict]:
    return [{"id": pid, "label_ja": v["label_ja"], "label_en": v["label_en"]} for pid, v in read_side("checklist").PATHWAYS.items()]


def _form_fields(rt: Runtime) -> list[dict]:
    from regkg.queries.therapy_form import fields

    return fields(rt.store(), VALUE_WORDS)


def _checklist_data(rt: Runtime, modality: str, pathway: str | None, attrs: dict) -> dict:
    from regkg.queries.therapy_form import modality_attributes

    module = read_side("checklist")
    built = module.build_checklist(rt.store(), modality, pathway or None, attrs or None)
    data = built.to_dict()
    data.pop("seconds", None)
    data["defaults"] = modality_attributes(rt.store(), built.modality)
    return data


@router.get("/ui/checklist", response_class=HTMLResponse)
@router.get("/ui/checklist.json")
def checklist_page(request: Request, modality: str | None = None, pathway: str | None = None, rt: Runtime = Depends(runtime)):
    from regkg.queries.therapy_form import chosen as chosen_attributes

    lang = page_lang(request)
    attrs = chosen_attributes(dict(request.query_params))
    checklist, error, status, download = None, None, 200, None
    if modality and modality.strip():
        checklist, error, status = attempt(_checklist_data, rt, modality, pathway, attrs)
        if checklist is not None:
            download = "/checklist?" + urlencode({"modality": checklist["modality"], "pathway": checklist["pathway"],
                                                  **attrs, "lang": lang})
            pathway = checklist["pathway"]
    elif pathway:
        error, status = strings(lang)["choose_modality"], 400
    defaults = checklist["defaults"] if checklist else {}
    data = {"checklist": checklist, "chosen": {"modality": modality, "pathway": pathway, "attributes": attrs}}
    return view(request, "checklist.html", "checklist", data, status, error, modalities=modality_options(rt, lang),
                pathways=_pathways(), fields=_form_fields(rt), defaults=defaults, download_href=download)


# ---------------------------------------------------------------- classify

@router.get("/ui/classify", response_class=HTMLResponse)
@router.get("/ui/classify.json")
def classify_page(request: Request, modality: str | None = None, rt: Runtime = Depends(runtime)):
    """The deciding questions as a short form; the answer names the class, the rule, its citation and what is open."""
    from regkg.queries.therapy_form import chosen as chosen_attributes
    from regkg.queries.therapy_form import modality_attributes

    lang = page_lang(request)
    attrs = chosen_attributes(dict(request.query_params))
    defaults, named, error, status = {}, None, None, 200
    if modality and modality.strip():
        try:
            named = modality_names(rt.store()).resolve(modality)
            defaults = modality_attributes(rt.store(), named.iri)
        except InputError as exc:
            error, status = str(exc), exc.status
    given = {**defaults, **attrs}
    result = None
    if given and not error:
        result, error, status = attempt(read_side("classify").classify, given, rt.settings.cache_dir)
    checklist_href = None
    if result and result.get("risk_class"):
        slug = result["risk_class"]["iri"].rsplit("/", 1)[-1]
        pathway = next((pid for pid, v in read_side("checklist").PATHWAYS.items() if v["risk_class"] == slug), None)
        if named and pathway:
            checklist_href = "/ui/checklist?" + urlencode({"modality": named.slug, "pathway": pathway, **attrs})
        elif pathway:
            checklist_href = "/ui/checklist?" + urlencode({"pathway": pathway})
    data = {"modality": named.__dict__ if named else None, "given": given, "result": result, "checklist_href": checklist_href}
    return view(request, "classify.html", "classify", data, status, error, modalities=modality_options(rt, lang),
                fields=_form_fields(rt), chosen={"modality": modality, "attributes": attrs}, defaults=defaults)


# ---------------------------------------------------------------- documents

@router.get("/ui/documents", response_class=HTMLResponse)
@router.get("/ui/documents.json")
def documents_page(request: Request, rt: Runtime = Depends(runtime)):
    return view(request, "documents.html", "documents", {"documents": documents(rt.store())})


# ---------------------------------------------------------------- SPARQL

def example_text(name: str) -> str:
    """A named query's text with its example parameters bound, ready to run."""
    named = library()[name]
    try:
        return bind_values(named.sparql, named.bindings(named.example)) if named.example else named.sparql
    except (InputError, StoreError):
        return named.sparql


@router.get("/ui/sparql", response_class=HTMLResponse)
@router.get("/ui/sparql.json")
async def sparql_page(request: Request, query: str | None = None, example: str | None = None, rt: Runtime = Depends(runtime)):
    """The query form and its results; as JSON, the same rows (the query passes the same guard as ``/sparql``)."""
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
    download = "/ui/sparql.csv?" + urlencode({"query": query}) if query is not None and result and "vars" in result else None
    data = {"query": text, "example": example, "result": result, "truncated": truncated, "limit": rt.settings.max_rows}
    return view(request, "sparql.html", "sparql", data, status, error, examples=list(library().values()),
                download_href=download)


@router.get("/ui/sparql.csv")
async def sparql_csv(request: Request, query: str, rt: Runtime = Depends(runtime)):
    """The page's results as a CSV file (with a BOM, so Excel reads Japanese), for a download link."""
    outcome = await execute(rt, check(request, rt, query), media.CSV, None, client=client_of(request))
    return Response(b"\xef\xbb\xbf" + outcome.body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="sparql-results.csv"'})


# ---------------------------------------------------------------- named queries

def _query_list() -> list[dict]:
    return [{k: v for k, v in q.describe().items() if k != "sparql"} for q in library().values()]


@router.get("/ui/queries", response_class=HTMLResponse)
@router.get("/ui/queries.json")
def queries_page(request: Request):
    """The named-query library: the graph's competency questions, each a page of its own."""
    return view(request, "queries.html", "sparql", {"queries": _query_list()})


@router.get("/ui/queries/{name}", response_class=HTMLResponse)
@router.get("/ui/queries/{name}.json")
def query_page(request: Request, name: str, rt: Runtime = Depends(runtime)):
    """One named query: a field per parameter (a modality by any name), its rows once given (or at once without any)."""
    named, error, status = attempt(get_query, name)
    if named is None:
        return view(request, "queries.html", "sparql", {"queries": _query_list()}, status, error)
    values = {p.name: request.query_params.get(p.name, "").strip() for p in named.params}
    given = {k: v for k, v in values.items() if v}
    result, booleans = None, set()
    if given or not named.params:
        ran, error, status = attempt(named.run, rt.store(), given)
        if ran is not None:
            rows = row_values(ran)
            result, booleans = {"variables": ran.variables, "rows": rows, "count": len(rows)}, boolean_columns(ran)
    data = {"query": {k: v for k, v in named.describe().items() if k != "sparql"}, "values": values, "result": result}
    lang = page_lang(request)
    columns = page_columns(result["variables"], lang, booleans) if result else []
    return view(request, "query.html", "sparql", data, status, error, sparql_href=urlencode({"example": named.name}),
                heads=column_heads([p.name for p in named.params], lang), columns=columns,
                names=term_names(rt, [r.get(c["name"], "") for r in (result or {}).get("rows", []) for c in columns], lang))


def term_names(rt: Runtime, values: list[str], lang: str) -> dict[str, str]:
    """IRI → its label in the page language (else the other), so a results cell reads as a word, not a code."""
    from regkg.queries.modalities import term_labels

    other = "en" if lang == "ja" else "ja"
    return {iri: names.get(lang) or names.get(other) for iri, names in term_labels(rt.store(), values).items()
            if names.get(lang) or names.get(other)}


# ---------------------------------------------------------------- entities and errors

def entity_page(request: Request, rt: Runtime, iri: str) -> HTMLResponse:
    """The HTML view of ``/id/…`` (the JSON and RDF views are in routes.entities)."""
    e, error, status = attempt(describe, rt.store(), iri)
    if e is None:
        return render(request, "base.html", "", status, error=error, title=strings(page_lang(request))["not_found"])
    lang = page_lang(request)
    response = render(request, "entity.html", "", e=e, title=entity_title(e, lang),
                      properties=property_names(rt, [*e["links"], *e["incoming"]], lang))
    response.headers["Vary"] = "Accept"
    return response


def entity_title(e: dict, lang: str) -> str:
    """Its label; for a provision or passage (no label) the document's name and the locator, e.g. 再生医療等の安全性の確保等に関する法律 第4条第1項."""
    other = "en" if lang == "ja" else "ja"
    names = e["labels"].get(lang) or e["labels"].get(other) or e["labels"].get("") or []
    if names:
        return names[0]
    locator = next((link["value"] for link in e["links"] if link["property"] == "rko:locator"), "")
    document = next((link.get("label_" + lang) or link.get("label_" + other) for link in e["links"]
                     if link["property"] in ("eli:is_part_of", "dcterms:isPartOf") and not link.get("named")
                     and (link.get("label_ja") or link.get("label_en"))), "")
    if locator or document:
        return " ".join(x for x in (document, locator_text(locator, lang)) if x)
    return (e.get("text") or "")[:40] or e["curie"]


def property_names(rt: Runtime, links: list[dict], lang: str) -> dict[str, str]:
    """Property CURIE → its label in the page language (``rko:locator`` → 所在), so links read as words."""
    from regkg.ontology.namespaces import expand_curie
    from regkg.queries.modalities import term_labels

    iris = {}
    for link in links:
        try:
            iris[link["property"]] = expand_curie(link["property"])
        except ValueError:
            continue
    labels = term_labels(rt.store(), set(iris.values()))
    other = "en" if lang == "ja" else "ja"
    return {curie: labels.get(iri, {}).get(lang) or labels.get(iri, {}).get(other) or curie for curie, iri in iris.items()}


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """A page, not raw JSON, when a browser meets an error (an unknown address, bad input)."""
    t = strings(page_lang(request))
    if status == 404:
        return render(request, "base.html", "", status, error=f"{t['not_found_text']} ({message})", title=t["not_found"])
    return render(request, "base.html", "", status, error=message, title=t["error"])
