"""RDF as people and tools expect to read it: each triple once, readable Turtle, JSON-LD with its @context.

pyoxigraph writes a prefixed name whose local part holds a slash with the
slash escaped (``regkg:modality\\/ips``: legal, but unreadable and refused by
some tools), so Turtle gets one prefix per entity kind (``modality:ips``) and
full IRIs for deeper paths. JSON-LD goes through rdflib, which compacts it
against the same prefixes and states them in ``@context``.
"""

from __future__ import annotations

import json
import re

import pyoxigraph as ox

from regkg.api import negotiation as media
from regkg.ontology.namespaces import ID, PREFIXES

_FORMATS = {media.TURTLE: ox.RdfFormat.TURTLE, media.N_TRIPLES: ox.RdfFormat.N_TRIPLES, media.RDF_XML: ox.RdfFormat.RDF_XML}
_PREFIX_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")


def _iris(triples: list[ox.Triple]):
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode):
                yield term.value


def turtle_prefixes(triples: list[ox.Triple]) -> dict[str, str]:
    """The shared prefixes without ``regkg:``, plus ``<kind>:`` for every ``…/id/<kind>/<slug>`` IRI used."""
    prefixes = {k: v for k, v in PREFIXES.items() if v != str(ID)}
    flat, deep = set(), set()
    for iri in _iris(triples):
        if iri.startswith(str(ID)):
            kind, sep, rest = iri[len(str(ID)):].partition("/")
            (deep if "/" in rest else flat).add(kind)
    for kind in sorted(flat - deep):  # a kind with deeper IRIs (laws: …/art/4/para/1) keeps full IRIs
        if _PREFIX_NAME.match(kind) and kind not in prefixes:
            prefixes[kind] = str(ID[kind + "/"])
    return prefixes


def serialize(triples: list[ox.Triple], media_type: str) -> bytes:
    """``triples`` (duplicates dropped) in one of ``negotiation.RDF_TYPES``."""
    unique = list(dict.fromkeys(triples))
    if media_type == media.JSON_LD:
        from rdflib import Graph

        graph = Graph()
        graph.parse(data=ox.serialize(unique, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
        doc = json.loads(graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True))
        return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
    prefixes = turtle_prefixes(unique) if media_type == media.TURTLE else PREFIXES
    return ox.serialize(unique, format=_FORMATS[media_type], prefixes=prefixes)
