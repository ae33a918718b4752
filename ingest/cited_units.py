"""Legal units the graph cites or refers to but whose text the corpus lacks: nodes that say so.

Curated knowledge cites provisions (ASRM Art. 4(2), Enforcement Regulation
Art. 2, …) whose text no source in the corpus gives, and ingested texts refer
to such provisions. Every such IRI must still resolve: this step, run after
the documents are ingested, gives each one a node with its type, number,
locator, the law and unit it belongs to, ``rko:textInCorpus false`` and the
e-Gov page of its article (``rko:officialPage``). Units that have text, or
whose parts have text (an article held as its paragraphs), only get the
official page. Captions come from the documents where the corpus gives them
(``dcterms:title``) and are never guessed here.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from regkg.ontology.namespaces import GRAPH, ID

from .numerals import locator_number

CITED_UNITS_GRAPH = str(GRAPH["cited-units"])
EGOV_LAW_PAGE = "https://laws.e-gov.go.jp/law/"

_RKO = "https://w3id.org/regkg/ontology#"
_ELI_PART_OF = ox.NamedNode("http://data.europa.eu/eli/ontology#is_part_of")
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SKOS_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
_TEXT = ox.NamedNode(_RKO + "text")
_LEGAL_UNIT = re.compile(r"^law/(?P<law>[0-9A-Z]+)/(?P<suppl>suppl/)?art/(?P<art>\d+(?:-\d+)*)"
                         r"(?:/para/(?P<para>\d+))?(?:/item/(?P<item>\d+(?:-\d+)*))?$")


def parse_unit(iri: str) -> re.Match | None:
    """The parts of a legal-unit IRI (law, suppl, art, para, item), or None for any other IRI."""
    return _LEGAL_UNIT.match(iri[len(str(ID)):]) if iri.startswith(str(ID)) else None


def official_page(iri: str) -> str:
    """The e-Gov page of a legal unit's law, with the article anchor (``#Mp-At_4-Pr_1``); "" for other IRIs."""
    m = parse_unit(iri)
    if not m:
        return ""
    page = EGOV_LAW_PAGE + m["law"]
    if m["suppl"]:
        return page  # supplementary provisions have no anchor that is stable across amendments
    anchor = "Mp-At_" + m["art"].replace("-", "_")
    if m["para"]:
        anchor += "-Pr_" + m["para"]
        if m["item"]:
            anchor += "-It_" + m["item"].replace("-", "_")
    return f"{page}#{anchor}"


def unit_locator(m: re.Match) -> tuple[str, str]:
    """(Japanese, English) locator of a unit: ``附則第3条第1項第2号`` / ``Suppl. Art. 3(1)(ii)``-style."""
    art = tuple(int(p) for p in m["art"].split("-"))
    ja = ("附則" if m["suppl"] else "") + locator_number(art)
    en = ("Suppl. " if m["suppl"] else "") + "Art. " + m["art"]
    if m["para"]:
        ja += f"第{m['para']}項"
        en += f"({m['para']})"
    if m["item"]:
        ja += locator_number(tuple(int(p) for p in m["item"].split("-")), "号")
        en += f", item {m['item']}"
    return ja, en


def _parent(iri: str, m: re.Match) -> str:
    return iri.rsplit("/", 2)[0] if (m["para"] or m["item"]) else f"{ID}law/{m['law']}"


def cited_unit_quads(store: ox.Store) -> list[ox.Quad]:
    """Quads (in ``CITED_UNITS_GRAPH``) that make every legal unit the graph names resolve."""
    g = ox.NamedNode(CITED_UNITS_GRAPH)
    named: set[str] = set()
    typed: set[str] = set()
    with_text: set[str] = set()
    for q in store.quads_for_pattern(None, None, None, None):
        for term in (q.subject, q.object):
            if isinstance(term, ox.NamedNode) and parse_unit(term.value):
                named.add(term.value)
        if isinstance(q.subject, ox.NamedNode):
            if q.predicate == _TEXT and q.object.value.strip():
                with_text.add(q.subject.value)
            elif q.predicate == _RDF_TYPE:
                typed.add(q.subject.value)
    for iri in list(named):  # the parts a stub links to must resolve too
        m = parse_unit(iri)
        while m and (m["para"] or m["item"]):
            iri = _parent(iri, m)
            named.add(iri)
            m = parse_unit(iri)
    law_labels = _law_labels(store)
    out: list[ox.Quad] = []
    for iri in sorted(named):
        if "/version/" in iri:
            continue
        m = parse_unit(iri)
        node = ox.NamedNode(iri)
        out.append(ox.Quad(node, ox.NamedNode(_RKO + "officialPage"), ox.NamedNode(official_page(iri)), g))
        if iri in with_text or any(t.startswith(iri + "/") for t in with_text):
            continue
        out.append(ox.Quad(node, ox.NamedNode(_RKO + "textInCorpus"), ox.Literal("false", datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#boolean")), g))
        if iri in typed:
            continue
        kind = "Item" if m["item"] else "Paragraph" if m["para"] else "Article"
        ja, en = unit_locator(m)
        law_ja, law_en = law_labels.get(m["law"], ("", ""))
        out += [
            ox.Quad(node, _RDF_TYPE, ox.NamedNode(_RKO + kind), g),
            ox.Quad(node, ox.NamedNode(_RKO + "locator"), ox.Literal(ja), g),
            ox.Quad(node, _SKOS_LABEL, ox.Literal(f"{law_ja} {ja}".strip(), language="ja"), g),
            ox.Quad(node, _SKOS_LABEL, ox.Literal(f"{law_en} {en}".strip(), language="en"), g),
            ox.Quad(node, _ELI_PART_OF, ox.NamedNode(f"{ID}law/{m['law']}"), g),
        ]
        parent = _parent(iri, m)
        if parent != f"{ID}law/{m['law']}":
            out.append(ox.Quad(node, _ELI_PART_OF, ox.NamedNode(parent), g))
    return out


def _law_labels(store: ox.Store) -> dict[str, tuple[str, str]]:
    """e-Gov law id → (Japanese, English) preferred label of the law, as the curated documents give them."""
    labels: dict[str, dict[str, str]] = {}
    for q in store.quads_for_pattern(None, _SKOS_LABEL, None, None):
        m = re.fullmatch(rf"{re.escape(str(ID))}law/([0-9A-Z]+)", getattr(q.subject, "value", ""))
        if m and isinstance(q.object, ox.Literal) and q.object.language in ("ja", "en"):
            labels.setdefault(m.group(1), {})[q.object.language] = q.object.value
    return {law: (v.get("ja", ""), v.get("en", "")) for law, v in labels.items()}
