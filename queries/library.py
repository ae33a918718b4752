"""The named-query library: ``queries/*.rq`` files with a header that documents them.

Header lines at the top of each file::

    # name: modality-risks
    # title: Risks of a modality
    # description: …
    # title-ja: モダリティのリスク
    # description-ja: …
    # param: modality | iri | required | The modality, e.g. regkg:modality/msc
    # param-ja: modality | モダリティ（例: regkg:modality/msc）
    # example: modality=regkg:modality/msc

Parameters are bound as RDF terms through the store's substitution mechanism,
never pasted into the query text, so a parameter value cannot change the query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from regkg.graph.store import GraphStore, SelectResult
from regkg.queries.errors import InputError, NotFound
from regkg.ontology.namespaces import compact, expand_curie

QUERY_DIR = Path(__file__).resolve().parent
PARAM_KINDS = ("iri", "string", "integer")


class QueryUsageError(InputError):
    """Unknown or missing parameter, or a value of the wrong kind."""


class UnknownQuery(NotFound, QueryUsageError):
    """No named query has that name."""


_KNOWN = "ASK WHERE { { ?x ?p ?o } UNION { ?s ?p ?x } }"


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    required: bool
    description: str
    description_ja: str = ""

    def to_term(self, value: str) -> ox.NamedNode | ox.Literal:
        if self.kind == "iri":
            try:
                return ox.NamedNode(expand_curie(value.strip()))
            except ValueError as exc:
                raise QueryUsageError(f"parameter {self.name!r}: {exc}") from exc
        if self.kind == "integer":
            try:
                return ox.Literal(str(int(value)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
            except ValueError as exc:
                raise QueryUsageError(f"parameter {self.name!r} must be an integer, not {value!r}") from exc
        return ox.Literal(value)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    sparql: str
    example: dict[str, str]
    path: Path = field(compare=False)
    title_ja: str = ""
    description_ja: str = ""

    def bindings(self, values: Mapping[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise QueryUsageError(
                f"query {self.name!r} has no parameter {', '.join(unknown)}; "
                f"valid: {', '.join(known) or '(none)'}"
            )
        missing = [p.name for p in self.params if p.required and not values.get(p.name)]
        if missing:
            raise QueryUsageError(
                f"query {self.name!r} needs parameter(s) {', '.join(missing)}: "
                + "; ".join(f"{p.name} — {p.description}" for p in self.params if p.name in missing)
            )
        return {k: known[k].to_term(v) for k, v in values.items() if v not in (None, "")}

    def bindings_in(self, store: GraphStore, values: Mapping[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
        """``bindings`` against a graph: an entity may be given by any name (``names.py``: a modality by its
        slug, label or synonym; any other entity by its label or synonym as well as its IRI or CURIE), and an
        IRI the graph does not know is a NotFound rather than an empty result."""
        from regkg.queries.names import entity_names, resolve_modality

        values = dict(values)
        everything = None
        for p in self.params:
            text = (values.get(p.name) or "").strip()
            if p.kind != "iri" or not text:
                continue
            if p.name == "modality":
                values[p.name] = resolve_modality(store, text).iri
            elif not _is_iri(text):
                everything = everything or entity_names(store)
                values[p.name] = everything.resolve(text).iri
        bound = self.bindings(values)
        for p in self.params:
            term = bound.get(p.name)
            if p.kind == "iri" and term is not None and not store.ask(_KNOWN, {"x": term}):
                raise NotFound(f"parameter {p.name!r}: the graph has nothing about {compact(term.value)}")
        return bound

    def run(self, store: GraphStore, values: Mapping[str, str] | None = None) -> SelectResult:
        return store.select(self.sparql, self.bindings_in(store, values or {}))

    def describe(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "title_ja": self.title_ja or self.title,
            "description_ja": self.description_ja or self.description,
            "params": [p.__dict__ for p in self.params],
            "example": self.example,
            "sparql": self.sparql,
        }


def _is_iri(text: str) -> bool:
    """An absolute IRI or a CURIE of a known prefix (anything else is a name to look up)."""
    try:
        expand_curie(text)
    except ValueError:
        return False
    return True


def parse_query_file(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    params: list[Param] = []
    params_ja: dict[str, str] = {}
    example: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line.lstrip("# ").partition(":")
        if not sep:
            continue
        key, value = key.strip(), value.strip()
        if key == "param":
            parts = [p.strip() for p in value.split("|")]
            if len(parts) != 4 or parts[1] not in PARAM_KINDS or parts[2] not in ("required", "optional"):
                raise ValueError(f"{path.name}: bad param line {value!r} (name | {'/'.join(PARAM_KINDS)} | required/optional | description)")
            params.append(Param(parts[0], parts[1], parts[2] == "required", parts[3]))
        elif key == "param-ja":
            name, _, description = (part.strip() for part in value.partition("|"))
            params_ja[name] = description
        elif key == "example":
            name, _, val = value.partition("=")
            example[name.strip()] = val.strip()
        else:
            meta[key] = value
    for key in ("name", "title", "description"):
        if key not in meta:
            raise ValueError(f"{path.name}: header lacks '# {key}:'")
    if meta["name"] != path.stem:
        raise ValueError(f"{path.name}: name {meta['name']!r} must match the file name")
    if set(params_ja) - {p.name for p in params}:
        raise ValueError(f"{path.name}: '# param-ja:' for an unknown parameter: {', '.join(sorted(set(params_ja) - {p.name for p in params}))}")
    params = [Param(p.name, p.kind, p.required, p.description, params_ja.get(p.name, "")) for p in params]
    return NamedQuery(meta["name"], meta["title"], meta["description"], tuple(params), text, example, path,
                      meta.get("title-ja", ""), meta.get("description-ja", ""))


@lru_cache(maxsize=1)
def _library(directory: Path) -> dict[str, NamedQuery]:
    return {q.name: q for q in (parse_query_file(p) for p in sorted(directory.glob("*.rq")))}


def library(directory: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    return _library(directory)


def get_query(name_or_path: str) -> NamedQuery:
    """A named query by name, or an .rq file by path (for ad-hoc queries with headers)."""
    path = Path(name_or_path)
    if path.suffix == ".rq" and path.is_file():
        try:
            return parse_query_file(path)
        except ValueError as exc:  # the user's own file: say what its header lacks, not a traceback
            raise QueryUsageError(f"{exc} (an .rq file starts with '# name:', '# title:' and "
                                  "'# description:' lines, as the library's queries do)") from exc
    queries = library()
    if name_or_path not in queries:
        raise UnknownQuery(f"unknown query {name_or_path!r}; valid names: {', '.join(queries)}")
    return queries[name_or_path]
