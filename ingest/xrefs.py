"""Legal cross-references in text, resolved to provision or document IRIs.

Recognised: 第N条[のM][第M項][第K号] (kanji or Arabic), with an optional law
name before it (法, 施行規則, 施行令, 医薬品医療機器等法, 薬機法, full titles …),
附則第N条, the relative forms 同条/同項/前項/次項/前条/次条, ICH guideline codes
(ICH Q5A(R2)) and notice numbers (医薬機審発0329第1号). A reference resolves
when its target law is known: the current law for a bare 第N条 inside a law,
the parent act for 法 inside an ordinance or a notice about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import iris
from .numerals import NUM, to_int

ASRM = "425AC0000000085"
PMD_ACT = "335AC0000000145"
ASRM_REGULATION = "426M60000100110"
ASRM_ORDER = "426CO0000000278"

#: Names and abbreviations of laws → e-Gov law id (longest names are tried first).
DEFAULT_ALIASES: dict[str, str] = {
    "再生医療等の安全性の確保等に関する法律施行規則": ASRM_REGULATION,
    "再生医療等の安全性の確保等に関する法律施行令": ASRM_ORDER,
    "再生医療等の安全性の確保等に関する法律": ASRM,
    "再生医療等安全性確保法": ASRM, "再生医療安全性確保法": ASRM, "再生医療法": ASRM, "再生法": ASRM,
    "医薬品、医療機器等の品質、有効性及び安全性の確保等に関する法律": PMD_ACT,
    "医薬品医療機器等法": PMD_ACT, "薬機法": PMD_ACT, "薬事法": PMD_ACT,
}
#: An ordinance or order → the act it implements ("法" inside it means that act).
DEFAULT_PARENTS: dict[str, str] = {ASRM_REGULATION: ASRM, ASRM_ORDER: ASRM, "503M60000100018": PMD_ACT}
#: Within the ASRM family, 施行規則 / 施行令 name these.
FAMILY_REGULATION = {ASRM: ASRM_REGULATION}
FAMILY_ORDER = {ASRM: ASRM_ORDER}

_N = rf"(?:{NUM})"
_ART = rf"第({_N})条((?:の{_N})*)"
_PARA = rf"(?:第({_N})項)?"
_ITEM = rf"(?:第({_N})号)?"
_NOTICE = re.compile(r"[一-龥]{1,8}発(?:第)?\d{4,7}第\d+号")
_ICH = re.compile(r"ICH[ -]?((?:Q|E|M|S)\d+[A-Z]?(?:\(R\d\))?)|\b(Q\d+[A-Z]?\(R\d\))")


@dataclass(frozen=True)
class Reference:
    start: int
    end: int
    surface: str
    target: str | None  # IRI, None when the target law is unknown


@dataclass
class RefContext:
    """What a unit's references are relative to."""

    law_id: str | None = None  # the law the text belongs to (bare 第N条)
    default_act: str | None = None  # what 法 means here
    unit_iri: str | None = None  # for 前項 / 前条
    aliases: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_ALIASES))
    documents: dict[str, str] = field(default_factory=dict)  # notice number / ICH code → document IRI


def context_for(law_id: str | None, text_hint: str = "", aliases: dict[str, str] | None = None,
                documents: dict[str, str] | None = None) -> RefContext:
    """Context of a document: its own law, and what 法 refers to in it."""
    if law_id:
        default_act = DEFAULT_PARENTS.get(law_id, law_id)
    else:  # a notice or guidance: 法 is the act it talks about most
        asrm = text_hint.count("再生医療等の安全性の確保等に関する法律") + text_hint.count("再生医療等安全性確保法")
        pmd = text_hint.count("医薬品、医療機器等の品質") + text_hint.count("医薬品医療機器等法") + text_hint.count("薬機法")
        default_act = ASRM if asrm >= pmd and asrm else (PMD_ACT if pmd else ASRM)
    return RefContext(law_id=law_id, default_act=default_act, aliases=dict(aliases or DEFAULT_ALIASES),
                      documents=dict(documents or {}))


def _pattern(aliases: dict[str, str]) -> re.Pattern[str]:
    names = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    prefix = rf"(?:(?P<law>{names}|同法|施行規則|施行令|規則|令|法)(?:[（(][^）)]{{0,60}}[）)])?)?"
    return re.compile(
        rf"{prefix}(?P<suppl>附則)?{_ART}{_PARA}{_ITEM}"
        rf"|(?P<rel>同条|前条|次条|同項|前項|次項)(?:第(?P<rp>{_N})項)?(?:第(?P<ri>{_N})号)?"
    )


_CACHE: dict[tuple[str, ...], re.Pattern[str]] = {}


def _unit_numbers(unit_iri: str | None) -> tuple[str | None, str | None, int | None]:
    """(law id, article number string, paragraph) of a provision IRI."""
    if not unit_iri:
        return None, None, None
    m = re.search(r"/law/([^/]+)/(?:suppl/)?art/([0-9-]+)(?:/para/(\d+))?", unit_iri)
    if not m:
        return None, None, None
    return m.group(1), m.group(2), int(m.group(3)) if m.group(3) else None


def extract(text: str, ctx: RefContext) -> list[Reference]:
    """All references in ``text`` with their targets (None when unresolved)."""
    key = tuple(sorted(ctx.aliases))
    pattern = _CACHE.get(key) or _CACHE.setdefault(key, _pattern(ctx.aliases))
    refs: list[Reference] = []
    last_law: str | None = None
    last_art: tuple[str, str] | None = None  # (law, article iri number)
    last_para: int | None = None
    own_law, own_art, own_para = _unit_numbers(ctx.unit_iri)
    for m in pattern.finditer(text):
        target: str | None = None
        if m.group("rel"):
            rel = m.group("rel")
            if rel in ("同条", "同項") and last_art:
                law, art = last_art
                para = last_para if rel == "同項" else None
            elif rel in ("前条", "次条", "前項", "次項") and own_art and own_law:
                law, art = own_law, own_art
                para = None
                if rel in ("前条", "次条"):
                    parts = art.split("-")
                    if len(parts) != 1:
                        refs.append(Reference(m.start(), m.end(), m.group(), None))
                        continue
                    art = str(int(parts[0]) + (-1 if rel == "前条" else 1))
                elif own_para:
                    para = own_para + (-1 if rel == "前項" else 1)
                else:
                    para = 1 if rel == "次項" else None
                if para == 0 or art == "0":
                    refs.append(Reference(m.start(), m.end(), m.group(), None))
                    continue
            else:
                refs.append(Reference(m.start(), m.end(), m.group(), None))
                continue
            if m.group("rp"):
                para = to_int(m.group("rp"))
            target = f"{iris.law_iri(law)}/art/{art}"
            if para:
                target += f"/para/{para}"
                if m.group("ri"):
                    target += f"/item/{to_int(m.group('ri'))}"
            refs.append(Reference(m.start(), m.end(), m.group(), target))
            continue
        law = _law_for(m.group("law"), ctx, last_law)
        art_parts = (to_int(m.group(3)), *(to_int(b) for b in re.findall(NUM, m.group(4) or "")))
        art = "-".join(str(p) for p in art_parts)
        para = to_int(m.group(5)) if m.group(5) else None
        item = to_int(m.group(6)) if m.group(6) else None
        if item is not None and para is None:
            para = 1  # 第N条第K号: items of a one-paragraph article
        if law:
            target = f"{iris.law_iri(law)}/{'suppl/' if m.group('suppl') else ''}art/{art}"
            if para:
                target += f"/para/{para}"
            if item:
                target += f"/item/{item}"
            last_law, last_art, last_para = law, (law, art), para
        refs.append(Reference(m.start(), m.end(), m.group(), target))
    refs.extend(_document_refs(text, ctx))
    return refs


def _law_for(name: str | None, ctx: RefContext, last_law: str | None) -> str | None:
    if name is None:
        return ctx.law_id
    if name in ctx.aliases:
        return ctx.aliases[name]
    if name == "同法":
        return last_law
    if name == "法":
        return ctx.default_act
    act = ctx.default_act or ""
    if name in ("施行規則", "規則"):
        return FAMILY_REGULATION.get(act)
    if name in ("施行令", "令"):
        return FAMILY_ORDER.get(act)
    return None


def _document_refs(text: str, ctx: RefContext) -> list[Reference]:
    refs = []
    for m in _NOTICE.finditer(text):
        refs.append(Reference(m.start(), m.end(), m.group(), _lookup_notice(m.group(), ctx.documents)))
    for m in _ICH.finditer(text):
        code = (m.group(1) or m.group(2)).replace(" ", "")
        refs.append(Reference(m.start(), m.end(), m.group(), ctx.documents.get(_ich_key(code))))
    return refs


def _lookup_notice(number: str, documents: dict[str, str]) -> str | None:
    """Notice numbers match on their distinctive part (発0329第1号), since bureau names get abbreviated."""
    if number in documents:
        return documents[number]
    tail = number[number.index("発"):]
    hits = {iri for key, iri in documents.items() if key.endswith(tail) and "発" in key}
    return hits.pop() if len(hits) == 1 else None


def _ich_key(code: str) -> str:
    return "ICH " + code.upper()


def document_keys(meta: dict, doc_iri: str) -> dict[str, str]:
    """Keys under which other texts cite a document: its notice numbers and ICH code."""
    keys: dict[str, str] = {}
    for field_ in (meta.get("number") or "", meta.get("title") or "", meta.get("title_en") or ""):
        for m in _NOTICE.finditer(field_):
            keys[m.group()] = doc_iri
        for m in _ICH.finditer(field_):
            keys[_ich_key(m.group(1) or m.group(2))] = doc_iri
    return keys
