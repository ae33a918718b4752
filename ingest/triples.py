"""RDF quads for one read and annotated document, all in its own named graph."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode, Quad

from regkg.ontology.namespaces import ELI, RKO

from .model import SourceDocument, Unit

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _n(iri: str) -> NamedNode:
    return NamedNode(iri)


def rko(name: str) -> NamedNode:
    return NamedNode(str(RKO[name]))


def dct(name: str) -> NamedNode:
    return NamedNode(DCT + name)


def eli(name: str) -> NamedNode:
    return NamedNode(str(ELI[name]))


def language_of(text: str) -> str:
    """``ja`` unless the text has no Japanese characters at all."""
    return "ja" if re.search(r"[\u3040-\u30ff\u3400-\u9fff]", text) else "en"


def document_quads(doc: SourceDocument, graph: str, sha256: str, corpus_path: str) -> list[Quad]:
    """The document node: type, titles, kind, number, sources, corpus path and content hash."""
    g = _n(graph)
    s = _n(doc.doc_iri)
    meta = doc.metadata
    out = [Quad(s, RDF_TYPE, rko("LegalDocument" if doc.is_law else "Document"), g)]
    if doc.is_law:
        out.append(Quad(s, RDF_TYPE, eli("LegalResource"), g))
        if doc.law_id:
            out.append(Quad(s, rko("lawId"), Literal(doc.law_id), g))
    title = doc.title or meta.get("title")
    if title:
        out.append(Quad(s, dct("title"), Literal(title, language="ja" if language_of(title) == "ja" else "en"), g))
    if meta.get("title_en"):
        out.append(Quad(s, dct("title"), Literal(meta["title_en"], language="en"), g))
    if meta.get("kind"):
        out.append(Quad(s, rko("documentKind"), Literal(meta["kind"]), g))
    if meta.get("number"):
        out.append(Quad(s, rko("documentNumber"), Literal(meta["number"]), g))
    if meta.get("issuer"):
        out.append(Quad(s, dct("publisher"), Literal(meta["issuer"]), g))
    for url in meta.get("sources") or []:
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            out.append(Quad(s, dct("source"), _n(url.split()[0]), g))
    out.append(Quad(s, rko("corpusPath"), Literal(corpus_path), g))
    out.append(Quad(s, rko("sha256"), Literal(sha256), g))
    return out


_KIND_CLASS = {"Article": "Article", "Paragraph": "Paragraph", "Item": "Item",
               "ProvisionVersion": "ProvisionVersion", "Passage": "Passage"}


def unit_quads(doc: SourceDocument, unit: Unit, graph: str) -> list[Quad]:
    """Type, text, original text, locator, language, structure and provenance of one unit."""
    g = _n(graph)
    s = _n(unit.iri)
    out = [Quad(s, RDF_TYPE, rko(_KIND_CLASS[unit.kind]), g)]
    if unit.text:
        out.append(Quad(s, rko("text"), Literal(unit.text), g))
    if unit.original_text:
        out.append(Quad(s, rko("originalText"), Literal(unit.original_text), g))
    out.append(Quad(s, rko("locator"), Literal(unit.locator), g))
    out.append(Quad(s, dct("language"), Literal(language_of(unit.text or unit.locator)), g))
    if unit.kind == "Passage":
        out.append(Quad(s, dct("isPartOf"), _n(doc.doc_iri), g))
    elif unit.kind == "ProvisionVersion":
        out.append(Quad(s, RDF_TYPE, eli("LegalExpression"), g))
        out.append(Quad(s, rko("versionOf"), _n(unit.parent or doc.doc_iri), g))
        out.append(Quad(s, eli("is_part_of"), _n(doc.doc_iri), g))
    else:
        out.append(Quad(s, eli("is_part_of"), _n(unit.parent or doc.doc_iri), g))
        if unit.parent != doc.doc_iri:
            out.append(Quad(s, eli("is_part_of"), _n(doc.doc_iri), g))
        if unit.caption:
            out.append(Quad(s, dct("title"), Literal(unit.caption, language="ja"), g))
    if unit.source_url:
        out.append(Quad(s, dct("source"), _n(unit.source_url), g))
    if unit.version_date and _ISO.match(unit.version_date):
        out.append(Quad(s, eli("date_applicability"), Literal(unit.version_date, datatype=_n(XSD + "date")), g))
    if unit.version_label:
        out.append(Quad(s, eli("version"), Literal(unit.version_label), g))
    if unit.partial is not None:
        out.append(Quad(s, rko("partial"), Literal(unit.partial), g))
    return out


def link_quads(subject: str, predicate: str, objects: Iterable[str], graph: str) -> list[Quad]:
    g = _n(graph)
    return [Quad(_n(subject), rko(predicate), _n(o), g) for o in sorted(set(objects)) if o != subject]
