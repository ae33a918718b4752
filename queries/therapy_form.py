"""The classifier's attributes as a form people can fill in, for the checklist and classify pages.

Each attribute becomes a field with a proper control (a choice of labelled
values, yes/no/unknown, or free text); value labels come from the facet
values in the graph (``regkg:facet/<slug>``), so the page shows 体性幹細胞 /
somatic stem cells rather than ``somatic-stem``. A modality fills in what it
implies (its material, cell kind, origin, processing), so a user only answers
what the modality leaves open.
"""

from __future__ import annotations

import pyoxigraph as ox

from regkg.graph.store import GraphStore
from regkg.ontology.namespaces import ID, RKO
from regkg.queries.errors import InputError

_FACETS = """
SELECT ?f ?ja ?en WHERE {
  ?f skos:inScheme ?scheme .
  OPTIONAL { ?f skos:prefLabel ?ja FILTER(lang(?ja) = "ja") }
  OPTIONAL { ?f skos:prefLabel ?en FILTER(lang(?en) = "en") }
}
"""
# what the modality states of itself, nearest first: its own facets and flags, then those of broader modalities
_MODALITY_FACETS = """
SELECT ?p ?value (COUNT(?mid) AS ?distance) WHERE {
  ?m skos:broader* ?via . ?via ?p ?value .
  FILTER(?p IN (rko:materialType, rko:cellKind, rko:cellOrigin, rko:processing, rko:geneModified, rko:homologousUse))
  ?m skos:broader* ?mid . ?mid skos:broader* ?via .
} GROUP BY ?p ?value ORDER BY ?distance
"""
# a facet value and the broader values it is a kind of, nearest first (genetically engineered → processed)
_FACET_AND_BROADER = """
SELECT ?broader (COUNT(?mid) AS ?distance) WHERE {
  ?f skos:broader* ?broader . ?f skos:broader* ?mid . ?mid skos:broader* ?broader .
} GROUP BY ?broader ORDER BY ?distance
"""
# the yes/no attributes a facet value makes true (genetically engineered: genes introduced)
_TRUE_OF = """
SELECT ?name WHERE { ?attribute rko:trueOf ?f ; skos:notation ?name . }
"""
#: a modality's property (core.ttl) → the classifier attribute it answers: its facets and its yes/no flags
FACET_ATTRIBUTE = {str(RKO.materialType): "material", str(RKO.cellKind): "cell_kind",
                   str(RKO.cellOrigin): "origin", str(RKO.processing): "processing",
                   str(RKO.geneModified): "gene_introduced", str(RKO.homologousUse): "homologous_use"}
BOOLEAN = ("true", "false")


def _facet_labels(store: GraphStore) -> dict[str, dict[str, str]]:
    base = str(ID["facet/"])
    out = {}
    for r in store.select(_FACETS).rows:
        out[r["f"].value.removeprefix(base)] = {k: r[k].value if r.get(k) is not None else "" for k in ("ja", "en")}
    return out


def fields(store: GraphStore, words: dict[str, dict[str, str]] | None = None) -> list[dict]:
    """Every attribute as ``{name, label_ja, label_en, question_ja, question_en, control, options}``.

    ``control`` is ``choice`` (options with labels), ``boolean`` or ``text``. ``words`` labels values the
    graph has no facet for (e.g. routes of administration), keyed by ``<attribute>:<value>``.
    """
    from regkg.queries.classify import ATTRIBUTES

    facets = _facet_labels(store)
    words = words or {}
    out = []
    for name, spec in ATTRIBUTES.items():
        values = spec["values"]
        field = {"name": name, **{k: spec.get(k, "") for k in ("label_ja", "label_en", "question_ja", "question_en")},
                 "control": values if values in ("boolean", "text") else "choice", "options": [],
                 "decides": not spec.get("informational"), "default": spec.get("default")}
        if field["control"] == "choice":
            for value in values:
                label = facets.get(value) or words.get(f"{name}:{value}") or {}
                field["options"].append({"value": value, "label_ja": label.get("ja") or label.get("en") or value,
                                         "label_en": label.get("en") or label.get("ja") or value})
        out.append(field)
    return out


def modality_attributes(store: GraphStore, modality_iri: str) -> dict[str, str]:
    """The attribute values a modality implies (nearest modality first), as the classifier's values.

    A facet value the classifier does not name is read as the nearest broader value it does
    (``genetically-engineered`` is a kind of ``processed``, which the classifier reads as cultured);
    a yes/no flag of the modality (``rko:geneModified``) answers the matching yes/no question.
    """
    implied: dict[str, str] = {}
    for r in store.select(_MODALITY_FACETS, {"m": ox.NamedNode(modality_iri)}).rows:
        name = FACET_ATTRIBUTE.get(r["p"].value)
        if not name or name in implied:
            continue
        value = r["value"]
        found = _value(name, [value.value] if isinstance(value, ox.Literal) else _broader_slugs(store, value))
        if found is not None:
            implied[name] = found
    return implied


def facet_attributes(store: GraphStore, facet_iri: str) -> dict[str, str]:
    """The attribute values a facet value says of a therapy it describes: the attribute that names
    it (or its nearest broader value: activated → cultured), and a yes/no attribute it makes true
    (``rko:trueOf``: genetically engineered → genes introduced)."""
    from regkg.queries.classify import ATTRIBUTES

    slugs = _broader_slugs(store, ox.NamedNode(facet_iri))
    implied = {name: found for name, spec in ATTRIBUTES.items() if isinstance(spec["values"], list)
               for found in [_value(name, slugs)] if found is not None}
    for r in store.select(_TRUE_OF, {"f": ox.NamedNode(facet_iri)}).rows:
        implied[r["name"].value] = "true"
    return implied


def _broader_slugs(store: GraphStore, facet: ox.NamedNode) -> list[str]:
    """The facet's slug and those of the broader values it is a kind of, nearest first."""
    return [b["broader"].value.rsplit("/", 1)[-1] for b in store.select(_FACET_AND_BROADER, {"f": facet}).rows]


def _value(name: str, candidates: list[str]) -> str | None:
    """The classifier's value of attribute ``name`` for the first candidate it names, as the form sends it."""
    from regkg.queries.classify import normalise

    for candidate in candidates:
        try:
            given = {"material": candidate} if name == "material" else {"material": "cells", name: candidate}
            return _form_value(normalise(given)[name])
        except (InputError, KeyError):
            continue
    return None


def _form_value(value: object) -> str:
    """A normalised value as the form sends it (``True`` → ``"true"``)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def chosen(params: dict[str, str]) -> dict[str, str]:
    """The attribute values in a query string (empty values dropped)."""
    from regkg.queries.classify import ATTRIBUTES

    return {k: v for k, v in params.items() if k in ATTRIBUTES and v and v.strip()}
