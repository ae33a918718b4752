"""The source documents: what each is, when it was issued, and whether its text is in the graph.

One list for the documents page, ``regkg documents`` and their JSON: the
curated description of every document (title in both languages, kind, number,
date, issuer, a note on what it covers) joined with the counts of its ingested
text, if any.
"""

from __future__ import annotations

from regkg.graph.store import GraphStore
from regkg.ontology.namespaces import compact
from regkg.queries.library import get_query

_NOTES = "SELECT ?d ?note WHERE { ?d a ?t FILTER(?t IN (rko:Document, rko:LegalDocument)) . ?d rdfs:comment ?note }"
"""A document's notes: what it is and how far its facts were checked, one per language (``@ja``, ``@en``)."""


def _value(row: dict, key: str) -> str:
    term = row.get(key)
    return term.value if term is not None else ""


def documents(store: GraphStore) -> list[dict]:
    """Every document, laws first then by date; ``units`` counts its provisions and passages in the graph (0: not ingested)."""
    ingested = {_value(r, "document"): r for r in get_query("ingested-documents").run(store).rows}
    notes: dict[str, dict[str, str]] = {}
    for r in store.select(_NOTES).rows:
        notes.setdefault(r["d"].value, {})[r["note"].language or "en"] = r["note"].value
    out: dict[str, dict] = {}
    for r in get_query("documents-by-issuer").run(store).rows:
        iri = _value(r, "document")
        if iri in out:
            continue
        text = ingested.get(iri, {})
        out[iri] = {
            "iri": iri, "curie": compact(iri), "title_ja": _value(r, "document_ja"), "title_en": _value(r, "document_en"),
            "kind": _value(r, "kind"), "number": _value(r, "number"), "issued": _value(r, "issued"),
            "issuer_ja": _value(r, "issuer_ja"), "issuer_en": _value(r, "issuer_en"),
            "note_ja": notes.get(iri, {}).get("ja", ""), "note_en": notes.get(iri, {}).get("en", ""),
            "provisions": int(_value(text, "provisions") or 0), "passages": int(_value(text, "passages") or 0),
            "path": _value(text, "path"),
        }
    for iri, r in ingested.items():  # a document read from a corpus the curated knowledge does not describe
        if iri not in out:
            out[iri] = {"iri": iri, "curie": compact(iri), "title_ja": _value(r, "title"), "title_en": "", "kind": "",
                        "number": "", "issued": "", "issuer_ja": "", "issuer_en": "", "note_ja": "", "note_en": "",
                        "provisions": int(_value(r, "provisions") or 0), "passages": int(_value(r, "passages") or 0),
                        "path": _value(r, "path")}
    return sorted(out.values(), key=lambda d: (d["kind"] not in ("act", "order", "ordinance"), d["issued"] or "9999", d["curie"]))
