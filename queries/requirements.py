"""What a modality requires, for ``/modalities/{id}/requirements`` and for "what does X need?" in ``ask``.

Both read the same named queries through ``modality_requirements``. The
``ask`` answer puts the parts a user needs in order — the risk class with the
conditions that decide it, the reviewing committee and where the plan goes,
waiting periods and reports, the key tests, and the checklist — each part
with the citations of the rows it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from regkg.graph.store import GraphStore, SelectResult
from regkg.queries.answer_graph import (QUALIFIER_FACET_TYPES, Citation, Context, GraphAnswer, Item, _citations,
                                        _items, _modalities, _risk_classes, _run, _v, _who, reports, risk_class,
                                        who_by_class)
from regkg.queries.answer_text import listing
from regkg.queries.therapy_form import facet_attributes
from regkg.queries.library import get_query

#: Tests named in an answer (the checklist has them all).
KEY_TESTS = 6
MODALITY_BASE = "https://w3id.org/regkg/id/modality/"
#: The checklist page, where a plan author chooses the modality (a class alone does not decide its items).
CHECKLIST_PAGE = "/ui/checklist"


def modality_requirements(store: GraphStore, modality: str) -> dict[str, SelectResult]:
    """Risk class rules, requirements, risks and tests of one modality (its IRI), each row cited."""
    values = {"modality": modality}
    return {name: get_query(query).run(store, values) for name, query in (
        ("risk_class", "modality-risk-class"), ("requirements", "modality-requirements"),
        ("risks", "modality-risks"), ("tests", "modality-tests"))}


@dataclass
class _Part:
    ja: str
    en: str
    items: list[Item]
    citations: list[Citation]


def _class_part(answer: GraphAnswer) -> _Part:
    if not answer.items:  # outside the Act: the detail says so, and no condition decides a class
        return _Part(f"リスク区分: {answer.detail_ja}", f"Risk class: {answer.detail_en}", [], answer.citations)
    ja, en = listing(answer.items, "ja"), listing(answer.items, "en")
    if answer.because:  # the question's qualifiers decided it
        return _Part(f"リスク区分: {ja}（{answer.because[0]}ため）", f"Risk class: {en} (because it {answer.because[1]})",
                     answer.items, answer.citations)
    if answer.detail_ja:
        ja += f"（判断する条件: {answer.detail_ja}）"
    if answer.detail_en:
        en += f" (deciding conditions: {answer.detail_en})"
    return _Part(f"リスク区分: {ja}", f"Risk class: {en}", answer.items, answer.citations)


def _who_part(answer: GraphAnswer | None, ja: str, en: str) -> _Part | None:
    if answer is None or not answer.items:
        return None
    return _Part(f"{ja}: {listing(answer.items, 'ja')}", f"{en}: {listing(answer.items, 'en')}", answer.items,
                 answer.citations)


def _who_by_class(subject: Context, intent: str, cues: tuple[str, ...], ja: str, en: str) -> _Part | None:
    """Who reviews the plan, or receives it: one answer when the modality's classes agree, else each
    class with its own. Each is the step the relation's cues name, whatever else the question says:
    "the items of a class II provision plan" must not make the plan-change step (提供計画の変更) the review."""
    unasked = replace(subject, question="", cues=cues)
    found = who_by_class(unasked, intent)
    if not found:
        return _who_part(_who(intent)(unasked), ja, en)
    items = [i for _, answer in found for i in answer.items]
    citations = [c for _, answer in found for c in answer.citations]
    return _Part(f"{ja}: " + "、".join(f"{rc.ja}は{listing(a.items, 'ja')}" for rc, a in found),
                 f"{en}: " + "; ".join(f"{rc.en}: {listing(a.items, 'en')}" for rc, a in found), items, citations)


def _timed_part(ctx: Context, classes: list[str], report_steps: set[str]) -> _Part | None:
    """Steps of the class procedures with a deadline or waiting period (reports listed apart)."""
    rows = []
    for rc in classes:
        found, _ = _run(ctx, "procedure-steps", risk_class=rc)
        rows += [r for r in found if _v(r, "deadline_ja") and _v(r, "step") not in report_steps]
    if not rows:
        return None
    steps = _items(rows, "step", "ProcedureStep")
    deadline = {_v(r, "step"): (_v(r, "deadline_ja"), _v(r, "deadline_en")) for r in rows}
    ja = "、".join(f"{s.ja}（{deadline[s.iri][0]}）" for s in steps)
    en = "; ".join(f"{s.en} ({deadline[s.iri][1] or deadline[s.iri][0]})" for s in steps)
    return _Part(f"期間: {ja}", f"Waiting periods and terms: {en}", steps, _citations(rows))


def _tests_part(ctx: Context, modality: str) -> _Part | None:
    rows = [r for r in modality_requirements(ctx.store, modality)["tests"].rows]
    rows.sort(key=lambda r: not _v(r, "force").endswith("Must"))
    items = _items(rows, "test", "Test")[:KEY_TESTS]
    if not items:
        return None
    chosen = {i.iri for i in items}
    return _Part(f"主な試験: {listing(items, 'ja')}", f"Key tests: {listing(items, 'en')}", items,
                 _citations([r for r in rows if _v(r, "test") in chosen]))


def requirements(ctx: Context) -> GraphAnswer | None:
    """Everything the first linked modality needs, in parts, each cited; for a risk class named
    without a modality ("checklist for a class II plan"), what every therapy of the class needs
    (committee, where the plan goes, periods, reports) and the checklist page, where the modality
    is chosen; for a pathway alone, the requirements curated for it; None without any."""
    modalities = _modalities(ctx)
    if not modalities:
        linked_classes = ctx.of_type("RiskClass")
        if linked_classes:
            return _class_requirements(ctx, linked_classes[0])
        pathways = ctx.of_type("Pathway")
        return _pathway_requirements(ctx, pathways[0]) if pathways else None
    modality = modalities[0]
    # the modality as the question qualifies it (autologous, genetically engineered …)
    subject = replace(ctx, linked=[l for l in ctx.linked if l.iri == modality or l.type in QUALIFIER_FACET_TYPES]
                      or ctx.linked)
    found = risk_class(subject)
    parts: list[_Part | None] = [_class_part(found)] if found is not None else []
    parts += _procedure_parts(subject, _risk_classes(subject))
    parts.append(_tests_part(ctx, modality))
    slug = modality[len(MODALITY_BASE):] if modality.startswith(MODALITY_BASE) else modality
    qualifiers = {k: v for f in subject.of_type(*QUALIFIER_FACET_TYPES) for k, v in facet_attributes(ctx.store, f).items()}
    return _answer(ctx, modality, parts, f"/checklist?{urlencode({'modality': slug, **qualifiers})}")


def _pathway_requirements(ctx: Context, pathway: str) -> GraphAnswer | None:
    """What a pathway requires (conditional approval's three criteria and the council hearing …),
    each requirement cited."""
    rows, sparql = _run(ctx, "pathway-requirements", pathway=pathway)
    items = _items(rows, "requirement", "Requirement")
    if not items:
        return None
    subject = ctx.item(pathway)
    return GraphAnswer("requirements", subject, items, _citations(rows), sparql,
                       f"{subject.ja}の要件: {listing(items, 'ja')}", f"Requirements of {subject.en}: {listing(items, 'en')}")


def _class_requirements(ctx: Context, risk_class_iri: str) -> GraphAnswer | None:
    subject = replace(ctx, linked=[l for l in ctx.linked if l.iri == risk_class_iri])
    return _answer(ctx, risk_class_iri, _procedure_parts(subject, [risk_class_iri]), CHECKLIST_PAGE)


def _procedure_parts(subject: Context, classes: list[str]) -> list[_Part | None]:
    """The committee, where the plan goes, waiting periods and terms, and reports, for ``classes``."""
    cues = subject.relation_cues
    reported = reports(replace(subject, cues=cues.get("reports", ())))
    report_steps = {i.iri for i in reported.items} if reported is not None else set()
    return [_who_by_class(subject, "committee", cues.get("committee", ()), "審査する委員会", "Reviewed by"),
            _who_by_class(subject, "submit", cues.get("submit", ()), "計画の提出先", "Plan submitted to"),
            _timed_part(subject, classes, report_steps),
            _who_part(reported, "開始後の報告", "Reports after starting")]


def _answer(ctx: Context, subject: str, parts: list[_Part | None], link: str) -> GraphAnswer | None:
    """The parts in order, each keeping its citations, and the checklist link."""
    kept = [p for p in parts if p is not None]
    if not kept:
        return None
    ja = "。".join(p.ja for p in kept) + f"。チェックリスト: {link}"
    en = ". ".join(p.en for p in kept) + f". Checklist: {link}"
    # each part's first citation first, so every part stays cited when citations are capped
    citations = [p.citations[0] for p in kept if p.citations]
    citations += [c for p in kept for c in p.citations[1:]]
    items = list({i.iri: i for p in kept for i in p.items}.values())
    return GraphAnswer("requirements", ctx.item(subject), items, list(dict.fromkeys(citations)), "", ja, en)
