"""Forgiving names: one resolver for the CLI, the API and the pages.

People name a modality the way they know it: a slug (``msc``), a CURIE, a full
IRI, its Japanese or English label, or a synonym (``MSC``, ``間葉系幹細胞``).
All of these resolve to the same entity here, from the labels the graph holds
(so a synonym added to the curated Turtle is accepted everywhere at once). An
unknown name fails with the closest known names ("did you mean"), never with
an empty result.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

import pyoxigraph as ox

from regkg.graph.store import GraphStore
from regkg.ontology.namespaces import ID, RKO, compact, expand_curie
from regkg.queries.bounded_cache import BoundedCache
from regkg.queries.errors import InputError, NotFound

_NAMES = """
SELECT ?e ?p ?label WHERE {
  ?e a ?type .
  OPTIONAL { ?e ?p ?label FILTER(?p IN (skos:prefLabel, skos:altLabel)) }
}
"""
_ALL_NAMES = """
SELECT ?e ?p ?label WHERE { ?e ?p ?label FILTER(isIRI(?e) && ?p IN (skos:prefLabel, skos:altLabel)) }
"""
_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"


@dataclass(frozen=True)
class Named:
    """A resolved entity: its IRI, slug under ``regkg:<kind>/`` and labels."""

    iri: str
    slug: str
    label_ja: str
    label_en: str

    @property
    def curie(self) -> str:
        return compact(self.iri)


def fold(text: str) -> str:
    """The comparison form of a name: NFKC, case-folded, spaces, hyphens and underscores dropped."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-_・")


class Names:
    """The names of every entity of one class (``type_iri``; None: every labelled entity), indexed for lookup."""

    def __init__(self, store: GraphStore, kind: str, type_iri: str | None) -> None:
        self.kind = kind
        self.base = str(ID[f"{kind}/"]) if type_iri else str(ID)
        self.entities: dict[str, dict] = {}
        rows = store.select(_NAMES, {"type": ox.NamedNode(type_iri)}).rows if type_iri else store.select(_ALL_NAMES).rows
        for row in rows:
            iri = row["e"].value
            entry = self.entities.setdefault(iri, {"ja": "", "en": "", "pref": set(), "alt": set()})
            label = row.get("label")
            if label is None:
                continue
            pref = row["p"].value == _PREF
            entry["pref" if pref else "alt"].add(fold(label.value))
            if pref and label.language in ("ja", "en") and not entry[label.language]:
                entry[label.language] = label.value

    def named(self, iri: str) -> Named:
        e = self.entities[iri]
        return Named(iri, iri.removeprefix(self.base), e["ja"], e["en"])

    def all(self) -> list[Named]:
        return [self.named(iri) for iri in sorted(self.entities)]

    def _by_iri(self, text: str) -> str | None:
        candidates = [text, self.base + text]
        if ":" in text:
            try:
                candidates.insert(0, expand_curie(text))
            except ValueError:
                pass
        return next((c for c in candidates if c in self.entities), None)

    def resolve(self, text: str) -> Named:
        """The one entity ``text`` names; NotFound with suggestions, InputError when ambiguous."""
        text = (text or "").strip()
        if not text:
            raise InputError(f"empty {self.kind} name")
        iri = self._by_iri(text)
        if iri:
            return self.named(iri)
        key = fold(text)
        for field in ("pref", "alt"):  # a preferred label outranks someone else's synonym
            hits = sorted(i for i, e in self.entities.items() if key in e[field] or key == fold(i.removeprefix(self.base)))
            if len(hits) == 1:
                return self.named(hits[0])
            if len(hits) > 1:
                raise InputError(f"{text!r} names several {self.kind}s: " + ", ".join(self.named(i).slug for i in hits))
        raise NotFound(self.unknown_message(text))

    def suggest(self, text: str, n: int = 3) -> list[Named]:
        """The closest known names to ``text`` (by slug, label or synonym)."""
        key = fold(text)
        options: dict[str, str] = {}
        for iri, e in self.entities.items():
            for name in (fold(iri.removeprefix(self.base)), *e["pref"], *e["alt"]):
                options.setdefault(name, iri)
        close = difflib.get_close_matches(key, list(options), n=n * 3, cutoff=0.6)
        close += [name for name in options if key and len(key) >= 2 and key in name and name not in close]
        found = list(dict.fromkeys(options[name] for name in close))[:n]
        return [self.named(iri) for iri in found]

    def unknown_message(self, text: str) -> str:
        near = self.suggest(text)
        if near:
            return f"unknown {self.kind} {text!r}; did you mean: " + ", ".join(
                f"{m.slug} ({m.label_ja or m.label_en})" for m in near) + "?"
        return f"unknown {self.kind} {text!r}; valid: " + ", ".join(m.slug for m in self.all())


#: Name indexes of this many builds stay in memory (as for the search index and the linker): every
#: named-query run with a modality parameter resolves it, several times in one ``ask`` answer.
_NAMES_BY_BUILD: BoundedCache[tuple[str, str], Names] = BoundedCache(4)


def _names_of(store: GraphStore, kind: str, type_iri: str | None) -> Names:
    """The names of one build, read once (a build's labels never change); a scratch store, which
    may still change, is read each time."""
    if not store.build_id:
        return Names(store, kind, type_iri)
    return _NAMES_BY_BUILD.get_or_create((store.build_id, kind), lambda: Names(store, kind, type_iri))


def modality_names(store: GraphStore) -> Names:
    return _names_of(store, "modality", str(RKO.Modality))


def entity_names(store: GraphStore) -> Names:
    """Every entity the graph labels (a slug here is its path under ``regkg:``, e.g. ``actor/mhlw``)."""
    return _names_of(store, "entity", None)


def resolve_modality(store: GraphStore, text: str) -> Named:
    """A modality named by slug, CURIE, IRI, ja/en label or synonym."""
    return modality_names(store).resolve(text)
