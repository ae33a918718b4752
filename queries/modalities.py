"""Modalities and what one requires: the data behind ``/modalities`` and the modality pages.

The named queries return one row per citation; here each rule, requirement,
risk or test becomes one object carrying all its citations, so a page or a
client never sees the same rule twice.
"""

from __future__ import annotations

from regkg.graph.store import GraphStore, SelectResult
from regkg.ontology.namespaces import ID
from regkg.queries.library import get_query
from regkg.queries.names import resolve_modality
from regkg.queries.rows import row_values

CITATION_COLUMNS = {"document": "document", "document_title": "title", "locator": "locator", "provision": "provision",
                    "evidence": "evidence"}
_CLASSES = """
SELECT ?rc ?ja ?en ?notation WHERE {
  ?rc a rko:RiskClass .
  OPTIONAL { ?rc skos:notation ?notation }
  OPTIONAL { ?rc skos:prefLabel ?ja FILTER(lang(?ja) = "ja") }
  OPTIONAL { ?rc skos:prefLabel ?en FILTER(lang(?en) = "en") }
}
"""
CLASS_SEPARATOR = " / "  # as the modalities query concatenates the class labels
MODALITY_BASE = str(ID["modality/"])


def cited_objects(result: SelectResult) -> list[dict]:
    """One object per distinct row apart from its citation columns, with a ``citations`` list, in query order."""
    objects: dict[tuple, dict] = {}
    for row in row_values(result):
        citation = {CITATION_COLUMNS[k]: row.pop(k) for k in list(row) if k in CITATION_COLUMNS}
        entry = objects.setdefault(tuple(sorted(row.items())), {**row, "citations": []})
        if citation and citation not in entry["citations"]:
            entry["citations"].append(citation)
    return list(objects.values())


def risk_classes(store: GraphStore) -> dict[str, dict]:
    """Risk class IRI → labels and notation (the number the Act gives it)."""
    out = {}
    for r in store.select(_CLASSES).rows:
        out[r["rc"].value] = {k: r[k].value if r.get(k) is not None else "" for k in ("ja", "en", "notation")}
    return out


def _modality(row: dict, classes: dict[str, dict]) -> dict:
    iri = row["modality"]
    item = {"id": iri.removeprefix(MODALITY_BASE), "iri": iri, "outside_asrm": row.get("outside_asrm") == "true"}
    for key in ("modality_ja", "modality_en"):
        if key in row:
            item["label_" + key.rsplit("_", 1)[1]] = row[key]
    if row.get("risk_classes"):
        by_ja = {c["ja"]: c for c in classes.values()}
        found = sorted((by_ja.get(label, {"ja": label, "en": label, "notation": label})
                        for label in row["risk_classes"].split(CLASS_SEPARATOR)), key=lambda c: c["notation"])
        item["risk_classes"] = CLASS_SEPARATOR.join(c["ja"] for c in found)
        item["risk_classes_en"] = CLASS_SEPARATOR.join(c["en"] for c in found)
    return item


def all_modalities(store: GraphStore) -> list[dict]:
    """Every modality with the ASRM classes its own rules assign, classes in the Act's order."""
    classes = risk_classes(store)
    return [_modality(r, classes) for r in row_values(get_query("modalities").run(store))]


_LABELS = """
SELECT ?x ?ja ?en WHERE {
  VALUES ?x { %s }
  OPTIONAL { ?x skos:prefLabel|rdfs:label ?ja FILTER(lang(?ja) = "ja") }
  OPTIONAL { ?x skos:prefLabel|rdfs:label ?en FILTER(lang(?en) = "en") }
}
"""


def term_labels(store: GraphStore, iris: set[str] | list[str]) -> dict[str, dict[str, str]]:
    """IRI → ``{"ja", "en"}`` labels (skos:prefLabel or rdfs:label) of terms such as classes, properties, forces."""
    iris = sorted(i for i in set(iris) if i.startswith("http") and ">" not in i and " " not in i)
    if not iris:
        return {}
    labels = {}
    for r in store.select(_LABELS % " ".join(f"<{i}>" for i in iris)).rows:
        labels[r["x"].value] = {lang: r[lang].value for lang in ("ja", "en") if r.get(lang) is not None}
    return labels


def label_terms(store: GraphStore, objects: list[dict], *keys: str) -> None:
    """Add ``<key>_ja`` / ``<key>_en`` labels beside IRI-valued ``keys`` (kinds, forces), so pages show words, not codes."""
    labels = term_labels(store, {o[k] for o in objects for k in keys if o.get(k)})
    for o in objects:
        for k in keys:
            for lang, text in labels.get(o.get(k, ""), {}).items():
                o.setdefault(f"{k}_{lang}", text)


def requirements_of(store: GraphStore, modality: str) -> dict:
    """Risk-class rules, requirements, risks and tests of a modality (any name the resolver accepts), each once, cited."""
    named = resolve_modality(store, modality)
    found = next(m for m in all_modalities(store) if m["iri"] == named.iri)
    from regkg.queries.requirements import modality_requirements

    out = {"modality": found, **{part: cited_objects(result) for part, result in modality_requirements(store, named.iri).items()}}
    label_terms(store, out["requirements"], "kind", "force")
    label_terms(store, out["tests"], "force")
    return out


def implied_classes(store: GraphStore, modality_iri: str) -> tuple[set[str], bool]:
    """(risk class IRIs, outside the ASRM?) from the nearest rules stated on the modality or a broader one."""
    rows = row_values(get_query("modality-risk-class").run(store, {"modality": modality_iri}))
    if not rows:
        return set(), False
    nearest = min(int(r.get("distance", 0)) for r in rows)
    own = [r for r in rows if int(r.get("distance", 0)) == nearest]
    return {r["risk_class"] for r in own if r.get("risk_class")}, any(r.get("outside_asrm") == "true" for r in own)
