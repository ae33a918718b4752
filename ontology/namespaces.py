"""IRIs and prefixes shared by every part of regkg (see DESIGN.md, Identifiers)."""

from __future__ import annotations

import re

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/regkg/"
RKO = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SH = Namespace("http://www.w3.org/ns/shacl#")
OBO = Namespace("http://purl.obolibrary.org/obo/")

PREFIXES: dict[str, str] = {
    "rko": str(RKO),
    "regkg": str(ID),
    "rkg": str(GRAPH),
    "eli": str(ELI),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "sh": str(SH),
    "obo": str(OBO),
}

ONTOLOGY_GRAPH = GRAPH["ontology"]
INFERRED_GRAPH = GRAPH["inferred"]


def curated_graph(topic: str) -> str:
    return str(GRAPH[f"curated/{topic}"])


def doc_graph(doc_id: str) -> str:
    return str(GRAPH[f"doc/{doc_id}"])


def sparql_prefixes() -> str:
    """PREFIX lines for the query library and ad-hoc queries."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


_SLUG_RE = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lower-case ASCII with hyphens: the form DESIGN.md requires for IRI slugs."""
    return _SLUG_RE.sub("-", text.lower()).strip("-")


def expand_curie(value: str) -> str:
    """Turn ``regkg:modality/ips`` or ``rko:Modality`` into a full IRI; leave IRIs alone."""
    if value.startswith(("http://", "https://", "urn:")):
        return value
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    raise ValueError(f"not an IRI or known CURIE: {value!r} (prefixes: {', '.join(PREFIXES)})")


def compact(iri: str) -> str:
    """The CURIE of an IRI when a known prefix matches, else the IRI itself."""
    for prefix in ("regkg", "rko", "rkg", "skos", "eli", "dcterms", "obo", "prov"):
        base = PREFIXES[prefix]
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base):]}"
    return iri
