"""Submission checklists, generated from the graph by named queries.

A checklist is the procedures of a pathway (one section per procedure, so
post-start duties get their own section), the plan-document items, the tests
the modality calls for with the risk behind each, and the remaining
requirements — every line with its citations. Nothing here names a
requirement: adding one to the curated knowledge adds a line.
"""

from __future__ import annotations

import time
from datetime import date
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from regkg.graph.store import GraphStore, SelectResult
from regkg.ontology.load import ONTOLOGY_DIR
from regkg.ontology.namespaces import ID, compact, expand_curie
from regkg.queries.errors import InputError, NotFound
from regkg.queries import names
from regkg.queries.library import get_query

_CHECKLIST_KINDS = """
PREFIX rko: <https://w3id.org/regkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?id ?ja ?en ?pathway ?risk_class WHERE {
  ?kind a rko:ChecklistKind ; skos:notation ?id ; rko:order ?order ; rko:coversPathway ?pathway .
  ?pathway rko:order ?step .
  OPTIONAL { ?kind skos:prefLabel ?ja FILTER(lang(?ja) = "ja") }
  OPTIONAL { ?kind skos:prefLabel ?en FILTER(lang(?en) = "en") }
  OPTIONAL { ?kind rko:forRiskClass ?risk_class }
} ORDER BY ?order ?step
"""


def _checklist_kinds(path: Path = ONTOLOGY_DIR / "pathways.ttl") -> dict:
    """The checklists users can ask for, as the curated pathways file states them (rko:ChecklistKind)."""
    store = ox.Store()
    store.load(path.read_bytes(), ox.RdfFormat.TURTLE)
    kinds: dict = {}
    for row in store.query(_CHECKLIST_KINDS):
        spec = kinds.setdefault(row["id"].value, {
            "label_ja": row["ja"].value if row["ja"] else "", "label_en": row["en"].value if row["en"] else "",
            "pathways": [], "risk_class": row["risk_class"].value.rsplit("/", 1)[-1] if row["risk_class"] else None})
        spec["pathways"].append(row["pathway"].value.rsplit("/", 1)[-1])
    return kinds


PATHWAYS: dict = _checklist_kinds()
"""Checklist id → labels, the graph pathways (slugs under regkg:pathway/) it covers and the ASRM class it is for."""

STATUS_CHOICES = ("未着手 / to do", "対応中 / in progress", "完了 / done", "該当なし / not applicable")


Label = dict[str, str]
"""A value in both languages, ``{"ja": …, "en": …}`` (either may be ""): a page or export shows its own language's."""


def no_label() -> Label:
    return {"ja": "", "en": ""}


@dataclass
class Line:
    iri: str
    item_ja: str
    item_en: str
    actor: Label = field(default_factory=no_label)
    recipient: Label = field(default_factory=no_label)
    deadline: Label = field(default_factory=no_label)
    risk: Label = field(default_factory=no_label)
    force: Label = field(default_factory=no_label)
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
    decision: list[dict] = field(default_factory=list)
    build: str = ""
    date: str = ""
    disclaimer: dict = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------- helpers

def _v(row: Mapping, name: str) -> str:
    term = row.get(name)
    return "" if term is None else term.value


def _both(row: Mapping, stem: str) -> Label:
    return {"ja": _v(row, f"{stem}_ja"), "en": _v(row, f"{stem}_en")}


def in_lang(label: Label, lang: str) -> str:
    """The label in ``lang``, else in the other language (a graph term labelled in one language only)."""
    return label.get(lang) or label.get("en" if lang == "ja" else "ja") or ""


def _citation(row: Mapping) -> dict | None:
    if row.get("document") is None:
        return None
    return {
        "document": compact(_v(row, "document")),
        "title": _v(row, "document_title"),
        "locator": _v(row, "locator"),
        "iri": _v(row, "provision") or _v(row, "document"),
        "evidence": _v(row, "evidence"),
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
    """(IRI, label ja, label en) of a modality given by any name ``names.py`` accepts; NotFound says "did you mean"."""
    named = names.resolve_modality(store, modality)
    return named.iri, named.label_ja, named.label_en


def default_pathway(store: GraphStore, modality_iri: str) -> str:
    """The checklist the modality's risk class implies, when its nearest rules give one class; else a 400 naming the options.

    A rule that may put the modality outside the ASRM (e.g. the HSCT exclusion) leaves no other checklist to
    choose, so the one class's checklist is used; its cover states that rule as part of the decision.
    """
    from regkg.queries.modalities import implied_classes

    classes, _outside = implied_classes(store, modality_iri)
    by_class = {str(ID[f"risk-class/{spec['risk_class']}"]): pid for pid, spec in PATHWAYS.items() if spec["risk_class"]}
    options = sorted(by_class[c] for c in classes if c in by_class)
    if len(options) == 1:
        return options[0]
    if not options:
        options = [pid for pid, spec in PATHWAYS.items() if not spec["risk_class"]]
    raise InputError(f"the modality's risk class does not decide the pathway; choose one of: {', '.join(options)}")


def build_info(store: GraphStore) -> str:
    """The id of the build the graph comes from (its PROV activity), or "" for a graph built otherwise."""
    rows = store.select("SELECT ?run WHERE { ?run a prov:Activity ; prov:endedAtTime ?ended } ORDER BY DESC(?ended) LIMIT 1").rows
    return rows[0]["run"].value.rsplit("/", 1)[-1] if rows else ""


def _forces(store: GraphStore) -> dict[str, tuple[int, Label]]:
    """Deontic force IRI → (rank, strongest first, as core.ttl orders them; its label in both languages)."""
    rows = store.select("SELECT ?f ?order ?ja ?en WHERE { ?f a rko:DeonticForce . OPTIONAL { ?f rko:order ?order } "
                        "OPTIONAL { ?f skos:prefLabel ?ja FILTER(lang(?ja) = 'ja') } OPTIONAL { ?f skos:prefLabel ?en FILTER(lang(?en) = 'en') } }").rows
    return {r["f"].value: (int(r["order"].value) if r.get("order") is not None else 9,
                           {"ja": _v(r, "ja"), "en": _v(r, "en")}) for r in rows}


ITEM_KINDS = {"statement": {"ja": "記載事項", "en": "statement"}, "attachment": {"ja": "添付書類", "en": "attachment"}}
"""The values of rko:itemKind (core.ttl defines the two) as the checklist shows them."""


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


def _provision_position(line: Line) -> tuple:
    """Where the line's first cited provision sits in its law (article, paragraph, item numbers), for ordering."""
    for cite in line.citations:
        parts = cite["iri"].split("/")
        numbers = [int(p) for p in parts if p.isdigit()]
        if "/art/" in cite["iri"] and numbers:
            return (0, *numbers)
    return (1,)


def _plan_item_section(store: GraphStore, pathway: str, risk_class: str | None, modality: str) -> Section:
    """The items of the plan documents: in the official form's order where the graph records it (rko:order),
    then in the order of the provisions that ask for them, each document's items together."""
    result = _run(store, "plan-items", pathway=pathway, risk_class=risk_class, modality=modality)
    order = {_v(r, "item"): int(_v(r, "order")) for r in result.rows if _v(r, "order")}
    document = {_v(r, "item"): _v(r, "plan_document") for r in result.rows}
    lines = _lines(result, "item", lambda r: Line(
        iri=_v(r, "item"), item_ja=_v(r, "item_ja"), item_en=_v(r, "item_en"),
        recipient=_both(r, "plan_document"), force=ITEM_KINDS.get(_v(r, "item_kind"), no_label())))
    first = {}
    for line in lines:  # a document whose items the form orders comes first
        doc = document[line.iri]
        first[doc] = min(first.get(doc, 10**6), order.get(line.iri, 10**6))
    lines.sort(key=lambda line: (first[document[line.iri]], document[line.iri], order.get(line.iri, 10**6),
                                 _provision_position(line), line.item_ja))
    return Section(f"plan-items/{pathway.rsplit('/', 1)[-1]}", "記載事項・添付書類", "Plan-document items and attachments", "plan-items", lines)


def _requirement_sections(store: GraphStore, modality: str, pathway: str, risk_class: str | None,
                          listed: set[str]) -> list[Section]:
    """Tests and other requirements, one line per thing required (several requirements may ask for the
    same test: their citations merge and the strongest force shows); things already listed
    (plan items) are left out."""
    result = _run(store, "checklist-requirements", modality=modality, pathway=pathway, risk_class=risk_class)
    forces = _forces(store)
    rows = [r for r in result.rows if _v(r, "target") not in listed]

    def make(r) -> Line:
        return Line(iri=_v(r, "target") or _v(r, "requirement"), item_ja=_v(r, "target_ja") or _v(r, "requirement_ja"),
                    item_en=_v(r, "target_en") or _v(r, "requirement_en"), actor=_both(r, "actor"),
                    deadline=_both(r, "deadline"), risk=_both(r, "risk"), force=forces.get(_v(r, "force"), (9, no_label()))[1])

    def strongest(selected: list) -> list[Line]:
        lines = _lines(SelectResult(result.variables, selected), "target", make)
        rank: dict[str, tuple[int, Label]] = {}
        for r in selected:
            force, target = forces.get(_v(r, "force"), (9, no_label())), _v(r, "target")
            if force[0] < rank.get(target, (9,))[0]:
                rank[target] = force
        for line in lines:
            line.force = rank.get(line.iri, (9, line.force))[1]
            risks = [_both(r, "risk") for r in selected if _v(r, "target") == line.iri]
            line.risk = {lang: "; ".join(dict.fromkeys(in_lang(x, lang) for x in risks if any(x.values())))
                         for lang in ("ja", "en")}
        return lines

    return [
        Section("tests", "必要な試験（対応するリスク）", "Required tests and the risk behind each", "tests",
                strongest([r for r in rows if _v(r, "is_test") == "true"])),
        Section("requirements", "その他の要件", "Other requirements", "requirements",
                strongest([r for r in rows if _v(r, "is_test") != "true"])),
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


DISCLAIMER = {
    "ja": "本チェックリストは知識グラフから自動生成した作業用資料であり、法的助言ではない。提出前に最新の法令・通知と所管の厚生局等で確認すること。",
    "en": "Generated from the knowledge graph as a working aid, not legal advice. Check the current law, notices and the competent regional bureau before submitting.",
}


def _decision(store: GraphStore, modality_iri: str) -> list[dict]:
    """The nearest risk-class rules of the modality: class (or outside the ASRM), criterion, condition, citations."""
    from regkg.queries.modalities import cited_objects

    rules = cited_objects(get_query("modality-risk-class").run(store, {"modality": modality_iri}))
    if not rules:
        return []
    nearest = min(int(r.get("distance", 0)) for r in rules)
    keep = ("risk_class", "risk_class_ja", "risk_class_en", "outside_asrm", "criterion_ja", "criterion_en",
            "condition_ja", "condition_en", "citations")
    own = {r["rule"]: {k: r[k] for k in keep if k in r} for r in rules if int(r.get("distance", 0)) == nearest}
    return list(own.values())


def build_checklist(store: GraphStore, modality: str, pathway: str | None = None,
                    attributes: Mapping[str, object] | None = None) -> Checklist:
    """The checklist for a modality (any name) on a pathway (a key of PATHWAYS; by default the one its risk class implies)."""
    started = time.perf_counter()
    modality_iri, modality_ja, modality_en = resolve_modality(store, modality)
    if not pathway:
        pathway = default_pathway(store, modality_iri)
    if pathway not in PATHWAYS:
        raise NotFound(f"unknown pathway {pathway!r}; valid: {', '.join(PATHWAYS)}")
    spec = PATHWAYS[pathway]
    risk_class = str(ID[f"risk-class/{spec['risk_class']}"]) if spec["risk_class"] else None
    checklist = Checklist(modality_iri, modality_ja, modality_en, pathway, spec["label_ja"], spec["label_en"], risk_class)
    if attributes:  # what the modality implies (e.g. its material) fills what the user left out
        from regkg.queries.therapy_form import modality_attributes

        attributes = {**modality_attributes(store, modality_iri), **attributes}
    checklist.notes = _notes(store, modality_iri, spec, attributes)
    checklist.decision = _decision(store, modality_iri)
    checklist.build = build_info(store)
    checklist.date = date.today().isoformat()
    checklist.disclaimer = dict(DISCLAIMER)
    sections: dict[str, Section] = {}

    def add(section: Section) -> None:  # one section per id, one line per item, across the pathways
        target = sections.setdefault(section.id, Section(section.id, section.title_ja, section.title_en, section.kind))
        seen = {line.iri for line in target.lines}
        target.lines += [line for line in section.lines if line.iri not in seen]

    for slug in spec["pathways"]:
        graph_pathway = str(ID[f"pathway/{slug}"])
        for section in _procedure_sections(store, graph_pathway, risk_class):
            add(section)
        plan_items = _plan_item_section(store, graph_pathway, risk_class, modality_iri)
        if plan_items.lines:
            add(plan_items)
    listed = {line.iri for section in sections.values() for line in section.lines}
    for slug in spec["pathways"]:
        for section in _requirement_sections(store, modality_iri, str(ID[f"pathway/{slug}"]), risk_class, listed):
            add(section)
    checklist.sections = [s for s in sections.values() if s.lines or s.kind in ("tests", "requirements")]
    _checkable(store, checklist)
    checklist.seconds = time.perf_counter() - started
    return checklist


def _checkable(store: GraphStore, checklist: Checklist) -> None:
    """Every citation linked to the cited provision or passage and quoted from it (see ``citations.py``)."""
    from regkg.queries.citations import corpus_text, mark_ended, resolve_all

    corpus = corpus_text(store)
    for section in checklist.sections:
        for line in section.lines:
            line.citations = resolve_all(corpus, line.citations)
            mark_ended(store, line.citations, None)
    for note in checklist.notes:
        note["citations"] = resolve_all(corpus, note["citations"])
        mark_ended(store, note["citations"], None)


def export_checklist(checklist: Checklist, fmt: str, lang: str = "ja") -> tuple[bytes, str]:
    """(content, media type) in json, md, csv or xlsx, the lines' values in ``lang``; see ``export.py``."""
    from regkg.queries.export import export

    return export(checklist, fmt, lang=lang)
