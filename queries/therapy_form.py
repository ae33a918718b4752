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
# the modality's facets, nearest first: its own, then those of broader modalities
_MODALITY_FACETS = """
SELECT ?p ?facet (COUNT(?mid) AS ?distance) WHERE {
  ?m skos:broader* ?via . ?via ?p ?facet .
  FILTER(?p IN (rko:materialType, rko:cellKind, rko:cellOrigin, rko:processing))
  ?m skos:broader* ?mid . ?mid skos:broader* ?via .
} GROUP BY ?p ?facet ORDER BY ?distance
"""
#: facet property of a modality → the classifier attribute it fills
FACET_ATTRIBUTE = {str(RKO.materialType): "material", str(RKO.cellKind): "cell_kind",
                   str(RKO.cellOrigin): "origin", str(RKO.processing): "processing"}
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
    """The attribute values a modality implies (nearest modality first), as the classifier's slugs."""
    from regkg.queries.classify import normalise

    implied: dict[str, str] = {}
    for r in store.select(_MODALITY_FACETS, {"m": ox.NamedNode(modality_iri)}).rows:
        name = FACET_ATTRIBUTE.get(r["p"].value)
        if name and name not in implied:
            slug = r["facet"].value.rsplit("/", 1)[-1]
            try:  # a facet the classifier does not read (e.g. 'genetically-engineered') is skipped
                implied[name] = str(normalise({"material": "cells", name: slug})[name]) if name != "material" else \
                    str(normalise({"material": slug})["material"])
            except (InputError, KeyError):
                continue
    return implied


def chosen(params: dict[str, str]) -> dict[str, str]:
    """The attribute values in a query string (empty values dropped)."""
    from regkg.queries.classify import ATTRIBUTES

    return {k: v for k, v in params.items() if k in ATTRIBUTES and v and v.strip()}
