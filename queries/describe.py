"""One entity, described for people and programs: labels, definition, types,
links in and out, text (for provisions and passages) and citations.

The JSON is what `/entities/{curie}` and `/id/…` return by default; the same
facts as RDF (the entity's triples plus its citation nodes) serve RDF clients.
"""

from __future__ import annotations

import pyoxigraph as ox

from regkg.graph.store import GraphStore
from regkg.ontology.namespaces import ID, compact, expand_curie
from regkg.queries.errors import InputError, NotFound
from regkg.queries.library import get_query
from regkg.queries.locators import locator_text

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RKO = "https://w3id.org/regkg/ontology#"

_OUT = """
SELECT ?p ?o (SAMPLE(?ja) AS ?o_ja) (SAMPLE(?en) AS ?o_en) WHERE {
  ?s ?p ?o . FILTER(!isBlank(?o))
  OPTIONAL { ?o skos:prefLabel|rdfs:label ?ja FILTER(lang(?ja) = "ja") }
  OPTIONAL { ?o skos:prefLabel|rdfs:label ?en FILTER(lang(?en) = "en") }
} GROUP BY ?p ?o ORDER BY ?p ?o
"""
_IN = """
SELECT ?p ?o (SAMPLE(?ja) AS ?o_ja) (SAMPLE(?en) AS ?o_en) WHERE {
  ?o ?p ?s . FILTER(isIRI(?o))
  OPTIONAL { ?o skos:prefLabel|rdfs:label ?ja FILTER(lang(?ja) = "ja") }
  OPTIONAL { ?o skos:prefLabel|rdfs:label ?en FILTER(lang(?en) = "en") }
} GROUP BY ?p ?o ORDER BY ?p ?o LIMIT 200
"""
#: Things without a label of their own, named by what they are: a provision or passage by its document and
#: locator (read in each language by ``locators.locator_text``), a risk-class rule by its criterion, a
#: modality's risk by the risk and the modality.
_UNLABELLED_NAMES = """
SELECT ?o (SAMPLE(?a_ja) AS ?ja) (SAMPLE(?a_en) AS ?en) (SAMPLE(?locator) AS ?where) WHERE {
  VALUES ?o { %s }
  {
    ?o rko:locator ?locator ; eli:is_part_of|dcterms:isPartOf ?doc . ?doc skos:prefLabel ?named .
    OPTIONAL { ?doc skos:prefLabel ?dja FILTER(lang(?dja) = "ja") }
    OPTIONAL { ?doc skos:prefLabel ?den FILTER(lang(?den) = "en") }
    BIND(COALESCE(?dja, ?den) AS ?a_ja)
    BIND(COALESCE(?den, ?dja) AS ?a_en)
  } UNION {
    ?o a rko:RiskClassRule .
    OPTIONAL { ?o rko:criterion ?a_ja FILTER(lang(?a_ja) = "ja") }
    OPTIONAL { ?o rko:criterion ?a_en FILTER(lang(?a_en) = "en") }
  } UNION {
    ?o rko:risk ?risk ; rko:modality ?m .
    OPTIONAL { ?risk skos:prefLabel ?rja FILTER(lang(?rja) = "ja") } OPTIONAL { ?risk skos:prefLabel ?ren FILTER(lang(?ren) = "en") }
    OPTIONAL { ?m skos:prefLabel ?mja FILTER(lang(?mja) = "ja") } OPTIONAL { ?m skos:prefLabel ?men FILTER(lang(?men) = "en") }
    BIND(CONCAT(COALESCE(?rja, ?ren), "（", COALESCE(?mja, ?men), "）") AS ?a_ja)
    BIND(CONCAT(COALESCE(?ren, ?rja), " (", COALESCE(?men, ?mja), ")") AS ?a_en)
  }
} GROUP BY ?o
"""
_GRAPH = """
CONSTRUCT { ?s ?p ?o . ?o ?p2 ?o2 } WHERE {
  ?s ?p ?o . OPTIONAL { FILTER(isBlank(?o)) ?o ?p2 ?o2 }
}
"""


def entity_iri(curie_or_path: str) -> str:
    """``regkg:modality/msc``, a full IRI, or a bare ``modality/msc`` path → the full IRI."""
    value = curie_or_path.strip()
    if not value:
        raise InputError("empty entity identifier")
    if ":" not in value.split("/")[0]:
        value = "regkg:" + value
    try:
        iri = expand_curie(value)
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise InputError(f"not a valid IRI: {iri!r}") from exc
    return iri


def local_path(iri: str) -> str | None:
    """The server path that dereferences an entity IRI (``/id/…``), or None for outside IRIs."""
    return "/id/" + iri[len(str(ID)):] if iri.startswith(str(ID)) else None


def _link(row: dict) -> dict:
    o = row["o"]
    link = {"property": compact(row["p"].value), "value": o.value, "iri": isinstance(o, ox.NamedNode)}
    for lang in ("ja", "en"):
        if row.get(f"o_{lang}") is not None:
            link[f"label_{lang}"] = row[f"o_{lang}"].value
    return link


def name_unlabelled(store: GraphStore, links: list[dict]) -> None:
    """Give links to things without a label (provisions, passages, rules, a modality's risks) a name, e.g.
    再生医療等の安全性の確保等に関する法律 第4条第1項, so a page never shows their codes; such links get ``named``."""
    bare = sorted({l["value"] for l in links if l["iri"] and not (l.get("label_ja") or l.get("label_en"))
                   and l["value"].startswith(str(ID)) and ">" not in l["value"] and " " not in l["value"]})
    if not bare:
        return
    names = {}
    for r in store.select(_UNLABELLED_NAMES % " ".join(f"<{i}>" for i in bare)).rows:
        ja, en, where = (r[k].value if r.get(k) is not None else "" for k in ("ja", "en", "where"))
        if where:
            ja, en = f"{ja} {locator_text(where, 'ja')}".strip(), f"{en} {locator_text(where, 'en')}".strip()
        if ja or en:
            names[r["o"].value] = {"label_ja": ja or en, "label_en": en or ja, "named": True}
    for link in links:
        if link["value"] in names and not (link.get("label_ja") or link.get("label_en")):
            link.update(names[link["value"]])


def describe(store: GraphStore, iri: str) -> dict:
    """The entity as JSON; NotFound when the graph says nothing about it."""
    subject = {"s": ox.NamedNode(iri)}
    out = store.select(_OUT, subject).rows
    incoming = store.select(_IN, subject).rows
    if not out and not incoming:
        raise NotFound(f"no entity {compact(iri)} in the graph")
    labels: dict[str, list[str]] = {}
    alt: dict[str, list[str]] = {}
    definition: dict[str, str] = {}
    types, links, text = [], [], None
    for row in out:
        p, o = row["p"].value, row["o"]
        lang = getattr(o, "language", None) or ""
        if p == SKOS + "prefLabel":
            labels.setdefault(lang, []).append(o.value)
        elif p == SKOS + "altLabel":
            alt.setdefault(lang, []).append(o.value)
        elif p == SKOS + "definition":
            definition[lang] = o.value
        elif p == RDF_TYPE:
            types.append(_link(row))
        elif p == RKO + "text":
            text = o.value
        else:
            links.append(_link(row))
    citations = []
    for row in get_query("entity-citations").run(store, {"entity": iri}).rows:
        c = {k: row[k].value for k in ("document", "locator", "provision", "evidence") if row.get(k) is not None}
        if row.get("document_title") is not None:
            c["title"] = row["document_title"].value
        if row.get("statement") is not None:
            c["statement"] = row["statement"].value
        citations.append(c)
    incoming_links = [_link(r) for r in incoming]
    name_unlabelled(store, links + incoming_links)
    in_corpus = not any(l["property"] == "rko:textInCorpus" and l["value"] == "false" for l in links)
    official = next((l["value"] for l in links if l["property"] == "rko:officialPage"), None)
    return {
        "iri": iri, "curie": compact(iri), "labels": labels, "alt_labels": alt, "definition": definition,
        "types": types, "text": text, "links": links, "incoming": incoming_links, "citations": citations,
        "text_in_corpus": in_corpus, "official_url": official,
    }


def triples(store: GraphStore, iri: str) -> list[ox.Triple]:
    """The entity's own triples and those of its blank nodes (citations): its concise description."""
    found = store.construct(_GRAPH, {"s": ox.NamedNode(iri)})
    if not found:
        raise NotFound(f"no entity {compact(iri)} in the graph")
    return found
