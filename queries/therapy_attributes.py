"""The classifier's attributes, values and input words, read from the curated graph.

``ontology/therapy-attributes.ttl`` is the one place that says what the
classifier asks, which values each attribute takes and which words users may
type for a value; this module runs the named queries ``therapy-attributes``
and ``therapy-attribute-values`` over it (with the facet labels of
``facets.ttl``) and hands the classifier, the CLI and the form plain
dictionaries. It reads the files, not the built store, so classification works
before any build, as the reasoner's table does.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from regkg.ontology.load import ONTOLOGY_DIR
from regkg.queries.library import get_query

SOURCES = ("therapy-attributes.ttl", "facets.ttl")
"""The curated files the vocabulary comes from."""


def word_key(text: str) -> str:
    """How a typed word is compared with the labels: NFKC, lower case, spaces and underscores as hyphens."""
    return unicodedata.normalize("NFKC", text).strip().lower().replace("_", "-").replace(" ", "-")


@dataclass(frozen=True)
class Vocabulary:
    attributes: dict[str, dict]
    """Attribute name → labels, question, ``values`` (slugs in order, "boolean" or "text"), ``property``
    (the reasoner's datatype property), ``materials`` (slugs it is asked for; empty: every material),
    and ``required``, ``default``, ``informational`` where the graph states them."""
    words: dict[str, dict[str, object]]
    """Attribute name → typed word (``word_key``) → canonical value (slug or boolean)."""
    unknown: frozenset[str]
    """Words (``word_key``) that mean "unknown"."""


def _value(term: ox.NamedNode | ox.Literal | None) -> str:
    return "" if term is None else term.value


def _slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _boolean(text: str) -> bool:
    return text in ("true", "1")


def _store(directory: Path) -> ox.Store:
    store = ox.Store()
    for name in SOURCES:
        store.load((directory / name).read_bytes(), ox.RdfFormat.TURTLE)
    return store


def _attributes(store: ox.Store) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for row in store.query(get_query("therapy-attributes").sparql):
        name = row["name"].value
        if name not in out:
            spec: dict = {
                "label_ja": _value(row["label_ja"]), "label_en": _value(row["label_en"]),
                "question_ja": _value(row["question_ja"]), "question_en": _value(row["question_en"]),
                "values": [] if row["value_type"].value == "choice" else row["value_type"].value,
                "materials": [],
            }
            if row["property"] is not None:
                spec["property"] = row["property"].value
            if row["required"] is not None and _boolean(row["required"].value):
                spec["required"] = True
            if row["informational"] is not None and _boolean(row["informational"].value):
                spec["informational"] = True
            if row["default"] is not None:
                spec["default"] = _boolean(row["default"].value)
            out[name] = spec
        if row["material"] is not None:
            out[name]["materials"].append(_slug(row["material"].value))
    return out


def _words(store: ox.Store, attributes: dict[str, dict]) -> tuple[dict[str, dict[str, object]], frozenset[str]]:
    """Fill the choice attributes' values and map every label to its value; a word naming two values
    of one attribute is an error in the curated file, not something to guess at."""
    words: dict[str, dict[str, object]] = {name: {} for name in attributes}
    unknown: set[str] = set()
    for row in store.query(get_query("therapy-attribute-values").sparql):
        label = word_key(_value(row["label"]))
        if row["name"] is None:
            unknown.add(label)
            continue
        name, iri = row["name"].value, row["value"].value
        spec = attributes[name]
        value: object = _boolean(row["boolean"].value) if row["boolean"] is not None else _slug(iri)
        if isinstance(spec["values"], list) and value not in spec["values"]:
            spec["values"].append(value)
        for word in (label, word_key(str(value))):
            if not word:
                continue
            if words[name].setdefault(word, value) != value:
                raise ValueError(f"therapy-attributes: the word {word!r} names two values of {name!r}: "
                                 f"{words[name][word]!r} and {value!r}")
    return words, frozenset(unknown)


_READINGS = """
PREFIX rko: <https://w3id.org/regkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?reading ?criterion ?part ?name ?value ?ja ?en ?document ?locator WHERE {
  ?reading a rko:ClassificationReading ; rko:readingOf ?criterion ; ?part ?pair .
  VALUES ?part { rko:readingWhen rko:readingTakes }
  ?pair rko:attribute ?attribute ; rko:attributeValue ?value . ?attribute skos:notation ?name .
  ?reading rdfs:comment ?ja FILTER(lang(?ja) = "ja")
  ?reading rdfs:comment ?en FILTER(lang(?en) = "en")
  ?reading rko:citation ?cite . ?cite dcterms:source ?document ; rko:locator ?locator .
}
"""


@dataclass(frozen=True)
class Reading:
    """A source's other reading of a criterion (``rko:ClassificationReading``): applies when the criterion alone
    gives the class and the description has every value of ``when``; the other class comes with ``takes``."""

    criterion: str
    when: tuple[tuple[str, str], ...]
    takes: tuple[tuple[str, str], ...]
    ja: str
    en: str
    citations: tuple[tuple[str, str], ...]


@lru_cache(maxsize=2)
def readings(directory: Path = ONTOLOGY_DIR) -> tuple[Reading, ...]:
    """The classification readings the curated graph states (therapy-attributes.ttl), read once per process."""
    found: dict[str, dict] = {}
    for row in _store(directory).query(_READINGS):
        r = found.setdefault(row["reading"].value, {"criterion": row["criterion"].value, "when": set(), "takes": set(),
                                                     "ja": row["ja"].value, "en": row["en"].value, "citations": set()})
        part = "when" if row["part"].value.endswith("readingWhen") else "takes"
        r[part].add((row["name"].value, _slug(row["value"].value)))
        r["citations"].add((row["document"].value, row["locator"].value))
    return tuple(Reading(r["criterion"], tuple(sorted(r["when"])), tuple(sorted(r["takes"])), r["ja"], r["en"],
                         tuple(sorted(r["citations"]))) for _, r in sorted(found.items()))


@lru_cache(maxsize=2)
def vocabulary(directory: Path = ONTOLOGY_DIR) -> Vocabulary:
    """The attributes as the curated graph states them (read once per process)."""
    store = _store(directory)
    attributes = _attributes(store)
    words, unknown = _words(store, attributes)
    return Vocabulary(attributes, words, unknown)


@lru_cache(maxsize=2)
def outcomes(directory: Path = ONTOLOGY_DIR) -> dict[str, str | None]:
    """Local name of each outcome class of the risk-class axioms → risk-class slug (None: outside the Act)."""
    rows = _store(directory).query(get_query("risk-class-outcomes").sparql)
    return {row["outcome"].value.rsplit("#", 1)[-1]: None if _boolean(row["outside"].value) else _slug(row["risk_class"].value)
            for row in rows}
