"""Submission checklists, generated from the graph by named queries.

A checklist is the procedures of a pathway (one section per procedure, so
post-start duties get their own section), the plan-document items, the tests
the modality calls for with the risk behind each, and the remaining
requirements — every line with its citations. Nothing here names a
requirement: adding one to the curated knowledge adds a line.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from regkg.graph.store import GraphStore, SelectResult
from regkg.ontology.namespaces import ID, compact, expand_curie
from regkg.queries.errors import InputError, NotFound
from regkg.queries.library import get_query

PATHWAYS: dict = {
    "asrm-class-1": {"label_ja": "第一種再生医療等提供計画（安確法）", "label_en": "ASRM provision plan, Class I",
                     "pathways": ["asrm-provision"], "risk_class": "class-1"},
    "asrm-class-2": {"label_ja": "第二種再生医療等提供計画（安確法）", "label_en": "ASRM provision plan, Class II",
                     "pathways": ["asrm-provision"], "risk_class": "class-2"},
    "asrm-class-3": {"label_ja": "第三種再生医療等提供計画（安確法）", "label_en": "ASRM provision plan, Class III",
                     "pathways": ["asrm-provision"], "risk_class": "class-3"},
    "cell-processing-licence": {"label_ja": "特定細胞加工物の製造の許可・届出", "label_en": "Cell processing facility licence or notification",
                                "pathways": ["cell-processing-licence"], "risk_class": None},
    "marketing-approval": {"label_ja": "治験から製造販売承認へ（薬機法）", "label_en": "PMD Act clinical trial to marketing approval",
                           "pathways": ["clinical-trial", "marketing-approval"], "risk_class": None},
    "conditional-time-limited-approval": {"label_ja": "条件及び期限付承認（薬機法）", "label_en": "Conditional and time-limited approval (PMD Act)",
                                          "pathways": ["conditional-time-limited-approval"], "risk_class": None},
    "emergency-approval": {"label_ja": "緊急承認（薬機法）", "label_en": "Emergency approval (PMD Act)",
                           "pathways": ["emergency-approval"], "risk_class": None},
    "ev-product-development": {"label_ja": "EV（エクソソーム）製品の開発（JSRMガイダンス・QbD）", "label_en": "EV product development (JSRM guidance, QbD)",
                               "pathways": ["ev-product-development"], "risk_class": None},
}
"""Checklist id → labels, the graph pathways (slugs under regkg:pathway/) it covers and the ASRM class it is for."""

STATUS_CHOICES = ("未着手 / to do", "対応中 / in progress", "完了 / done", "該当なし / not applicable")


@dataclass
class Line:
    iri: str
    item_ja: str
    item_en: str
    actor: str = ""
    recipient: str = ""
    deadline: str = ""
    risk: str = ""
    force: str = ""
    citations: list[dict] = field(default_factory=list)


@dataclass
class Section:
    id: str
    title_ja: str
    title_en: str
    kind: str  # procedure | plan-items | tests | requirements
    lines: list[Line] = field(default_factory=list)


@dataclass
class Checklist:
    modality: str
    modality_ja: str
    modality_en: str
    pathway: str
    pathway_ja: str
    pathway_en: str
    risk_class: str | None
    notes: list[dict] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------- helpers

def _v(row: Mapping, name: str) -> str:
    term = row.get(name)
    return "" if term is None else term.value


def _both(row: Mapping, stem: str) -> str:
    ja, en = _v(row, f"{stem}_ja"), _v(row, f"{stem}_en")
    return " / ".join(x for x in (ja, en) if x)


def _citation(row: Mapping) -> dict | None:
    if row.get("document") is None:
        return None
    return {
        "document": compact(_v(row, "document")),
        "title": _v(row, "document_title"),
        "locator": _v(row, "locator"),
        "iri": _v(row, "provision") or _v(row, "document"),
    }


def _lines(result: SelectResult, key: str, make) -> list[Line]:
    """Group rows (one per citation) into lines, keeping the query's order."""
    lines: dict[str, Line] = {}
    for row in result.rows:
        iri = _v(row, key)
        if iri not in lines:
            lines[iri] = make(row)
        cite = _citation(row)
        if cite and cite not in lines[iri].citations:
            lines[iri].citations.append(cite)
    return list(lines.values())


def _run(store: GraphStore, name: str, **params: str | None) -> SelectResult:
    return get_query(name).run(store, {k: v for k, v in params.items() if v})


def resolve_modality(store: GraphStore, modality: str) -> tuple[str, str, str]:
    """(IRI, label ja, label en) of a modality given as slug, CURIE or IRI; NotFound lists the valid slugs."""
    text = modality.strip()
    try:
        iri = expand_curie(text) if ":" in text else str(ID[f"modality/{text}"])
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    rows = store.select(
        "SELECT ?m ?ja ?en WHERE { ?m a rko:Modality . "
        "OPTIONAL { ?m skos:prefLabel ?ja FILTER(lang(?ja) = 'ja') } OPTIONAL { ?m skos:prefLabel ?en FILTER(lang(?en) = 'en') } }"
    ).rows
    for row in rows:
        if row["m"].value == iri:
            return iri, _v(row, "ja"), _v(row, "en")
    prefix = str(ID["modality/"])
    valid = sorted(row["m"].value.removeprefix(prefix) for row in rows)
    raise NotFound(f"unknown modality {modality!r}; valid: {', '.join(valid)}")


# ---------------------------------------------------------------- sections

def _procedure_sections(store: GraphStore, pathway: str, risk_class: str | None) -> list[Section]:
    result = _run(store, "checklist-steps", pathway=pathway, risk_class=risk_class)
    sections: dict[str, Section] = {}
    for row in result.rows:
        proc = _v(row, "procedure")
        if proc not in sections:
            sections[proc] = Section(compact(proc), _v(row, "procedure_ja"), _v(row, "procedure_en"), "procedure")
    for proc, section in sections.items():
        rows = SelectResult(result.variables, [r for r in result.rows if _v(r, "procedure") == proc])
        section.lines = _lines(rows, "step", lambda r: Line(
            iri=_v(r, "step"), item_ja=_v(r, "step_ja"), item_en=_v(r, "step_en"), actor=_both(r, "actor"),
            recipient=_both(r, "recipient"), deadline=_both(r, "deadline")))
    return list(sections.values())


def _plan_item_section(store: GraphStore, pathway: str, risk_class: str | None, modality: str) -> Section:
    result = _run(store, "plan-items", pathway=pathway, risk_class=risk_class, modality=modality)
    lines = _lines(result, "item", lambda r: Line(
        iri=_v(r, "item"), item_ja=_v(r, "item_ja"), item_en=_v(r, "item_en"),
        recipient=_both(r, "plan_document"), force=_v(r, "item_kind")))
    return Section(f"plan-items/{pathway.rsplit('/', 1)[-1]}", "記載事項・添付書類", "Plan-document items and attachments", "plan-items", lines)


def _requirement_sections(store: GraphStore, modality: str, pathway: str, risk_class: str | None) -> list[Section]:
    result = _run(store, "checklist-requirements", modality=modality, pathway=pathway, risk_class=risk_class)

    def make(r) -> Line:
        return Line(iri=_v(r, "requirement"), item_ja=_v(r, "target_ja") or _v(r, "requirement_ja"),
                    item_en=_v(r, "target_en") or _v(r, "requirement_en"), actor=_both(r, "actor"),
                    deadline=_both(r, "deadline"), risk=_both(r, "risk"), force=compact(_v(r, "force")).removeprefix("rko:"))

    tests = SelectResult(result.variables, [r for r in result.rows if _v(r, "is_test") == "true"])
    others = SelectResult(result.variables, [r for r in result.rows if _v(r, "is_test") != "true"])
    return [
        Section("tests", "必要な試験（対応するリスク）", "Required tests and the risk behind each", "tests", _lines(tests, "requirement", make)),
        Section("requirements", "その他の要件", "Other requirements", "requirements", _lines(others, "requirement", make)),
    ]


def _notes(store: GraphStore, modality: str, spec: Mapping, attributes: Mapping[str, object] | None) -> list[dict]:
    """Warnings when the pathway does not fit the modality (e.g. an ASRM checklist for EVs)."""
    if not spec["risk_class"]:
        return []
    wanted = str(ID[f"risk-class/{spec['risk_class']}"])
    if attributes:
        from regkg.queries.classify import classify

        result = classify(attributes, store.artefacts.cache if store.artefacts else None)
        if result["risk_class"] and result["risk_class"]["iri"] == wanted:
            return []
        return [{"ja": result["explanation"]["ja"], "en": result["explanation"]["en"], "citations": result["citations"]}]
    rules = _run(store, "checklist-modality-rules", modality=modality)
    classes = {_v(r, "risk_class") for r in rules.rows if _v(r, "risk_class")}
    outside = [r for r in rules.rows if _v(r, "outside") == "true"]
    if wanted in classes or not rules.rows:
        return []
    first = outside[0] if outside and not classes else rules.rows[0]
    return [{
        "ja": f"このモダリティの判定規則は{spec['label_ja']}に当たらない：{_v(first, 'criterion_ja')}",
        "en": f"The modality's risk-class rules do not give this class: {_v(first, 'criterion_en')}",
        "citations": [c for c in [_citation(first)] if c],
    }]


def build_checklist(store: GraphStore, modality: str, pathway: str, attributes: Mapping[str, object] | None = None) -> Checklist:
    """The checklist for a modality (slug, CURIE or IRI) on a pathway (a key of PATHWAYS)."""
    started = time.perf_counter()
    if pathway not in PATHWAYS:
        raise NotFound(f"unknown pathway {pathway!r}; valid: {', '.join(PATHWAYS)}")
    spec = PATHWAYS[pathway]
    modality_iri, modality_ja, modality_en = resolve_modality(store, modality)
    risk_class = str(ID[f"risk-class/{spec['risk_class']}"]) if spec["risk_class"] else None
    checklist = Checklist(modality_iri, modality_ja, modality_en, pathway, spec["label_ja"], spec["label_en"], risk_class)
    checklist.notes = _notes(store, modality_iri, spec, attributes)
    for slug in spec["pathways"]:
        graph_pathway = str(ID[f"pathway/{slug}"])
        checklist.sections += _procedure_sections(store, graph_pathway, risk_class)
        plan_items = _plan_item_section(store, graph_pathway, risk_class, modality_iri)
        if plan_items.lines:
            checklist.sections.append(plan_items)
    merged: dict[str, Section] = {}
    for slug in spec["pathways"]:
        for section in _requirement_sections(store, modality_iri, str(ID[f"pathway/{slug}"]), risk_class):
            target = merged.setdefault(section.id, Section(section.id, section.title_ja, section.title_en, section.kind))
            seen = {line.iri for line in target.lines}
            target.lines += [line for line in section.lines if line.iri not in seen]
    checklist.sections += list(merged.values())
    checklist.seconds = time.perf_counter() - started
    return checklist


def export_checklist(checklist: Checklist, fmt: str) -> tuple[bytes, str]:
    """(content, media type) in json, md, csv or xlsx; see ``export.py``."""
    from regkg.queries.export import export

    return export(checklist, fmt)
