"""The graph store: one small interface, the embedded pyoxigraph store behind it.

Everything above this module (build, queries, API) talks to :class:`GraphStore`
so that a remote SPARQL endpoint can stand in for the embedded store without
changes elsewhere. Queries see the union of all named graphs as their default
graph, so curated knowledge and ingested documents are queried together: a
build writes that union into the store's real default graph (see
:meth:`OxigraphStore.materialise_union`), because pyoxigraph plans queries over
a stored default graph with index lookups, where its on-the-fly union view
falls back to hash joins that are 3–15× slower on the named queries.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from regkg.ontology.namespaces import PREFIXES

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class SelectResult:
    """Rows of a SELECT query; values are pyoxigraph terms or None when unbound."""

    variables: list[str]
    rows: list[dict[str, Term | None]]

    def values(self, var: str) -> list[str]:
        """The lexical values of one column, skipping unbound cells."""
        return [row[var].value for row in self.rows if row.get(var) is not None]


class StoreError(Exception):
    """A query or load the store refused; the message is safe to show to users."""


class StoreUnavailable(StoreError):
    """A SPARQL server store could not be reached, or refused regkg's credentials."""


class StoreTimeout(StoreError):
    """A SPARQL server store did not answer within the query time limit."""


class GraphStore(Protocol):
    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> SelectResult: ...
    def ask(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> bool: ...
    def construct(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[ox.Triple]: ...
    def replace_graph(self, graph_iri: str, quads: Iterable[ox.Quad]) -> None: ...
    def load_graph(self, graph_iri: str, data: bytes, format: ox.RdfFormat) -> None: ...
    def graph_quads(self, graph_iri: str) -> list[ox.Quad]: ...
    def named_graphs(self) -> list[str]: ...
    def __len__(self) -> int: ...


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def bind_values(sparql: str, bindings: Mapping[str, Term] | None) -> str:
    """Bind variables to RDF terms with a VALUES block at the top of every WHERE clause.

    The terms are serialised by pyoxigraph (N-Triples syntax, escaped), so a
    value can never alter the query; VALUES keeps standard SPARQL semantics on
    every store, embedded or remote, unlike engine-specific substitution.
    Binding in sub-selects too lets them use a parameter (a one-row VALUES is
    a no-op where the variable is not used); UNION branches still cannot see
    it, so named queries keep parameters out of UNION branches.
    """
    if not bindings:
        return sparql
    for name in bindings:
        if not _VAR_NAME.match(name):
            raise StoreError(f"invalid variable name {name!r}")
    if _WHERE.search(sparql) is None:
        raise StoreError("cannot bind parameters: the query has no WHERE clause")
    names = list(bindings)
    block = " VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(str(bindings[n]) for n in names) + ") } "
    return _WHERE.sub(lambda m: m.group(0) + block, sparql)


class OxigraphStore:
    """The default store: pyoxigraph, on disk or in memory."""

    def __init__(self, store: ox.Store, path: Path | None = None) -> None:
        self._store = store
        self.path = path

    @classmethod
    def in_memory(cls) -> OxigraphStore:
        return cls(ox.Store())

    @classmethod
    def load_in_memory(cls, path: Path) -> OxigraphStore:
        """A copy of an on-disk build held in memory, for long-running servers.

        The graph is small (tens of thousands of quads per corpus) and read-only
        between builds; in memory the named queries run several times faster
        than through RocksDB's read-only mode. ``path`` still names the build,
        so caches keyed on it are invalidated by the next build.
        """
        disk = ox.Store.read_only(str(path))
        memory = ox.Store()
        memory.bulk_extend(disk.quads_for_pattern(None, None, None, None))
        return cls(memory, path)

    @classmethod
    def open(cls, path: Path, read_only: bool = False) -> OxigraphStore:
        store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        return cls(store, path)

    @property
    def native(self) -> ox.Store:
        """The pyoxigraph store itself, for the SPARQL endpoint's native serialisers."""
        return self._store

    def raw_query(self, sparql: str, bindings: Mapping[str, Term] | None = None):
        try:
            return self._store.query(bind_values(sparql, bindings), prefixes=PREFIXES)
        except SyntaxError as exc:
            raise StoreError(f"SPARQL syntax error: {exc}") from exc
        except (OSError, ValueError) as exc:
            raise StoreError(str(exc)) from exc

    def select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> SelectResult:
        result = self.raw_query(sparql, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("expected a SELECT query")
        variables = [v.value for v in result.variables]
        rows = [{v: sol[v] for v in variables} for sol in result]
        return SelectResult(variables, rows)

    def ask(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> bool:
        result = self.raw_query(sparql, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise StoreError("expected an ASK query")
        return bool(result)

    def construct(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> list[ox.Triple]:
        result = self.raw_query(sparql, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise StoreError("expected a CONSTRUCT or DESCRIBE query")
        return list(result)

    def replace_graph(self, graph_iri: str, quads: Iterable[ox.Quad]) -> None:
        graph = ox.NamedNode(graph_iri)
        if self._store.contains_named_graph(graph):
            self._store.remove_graph(graph)
        self._store.add_graph(graph)
        self._store.extend(quads)

    def load_graph(self, graph_iri: str, data: bytes, format: ox.RdfFormat) -> None:
        graph = ox.NamedNode(graph_iri)
        if self._store.contains_named_graph(graph):
            self._store.remove_graph(graph)
        self._store.load(data, format=format, to_graph=graph)

    def materialise_union(self) -> None:
        """Make the default graph the union of all named graphs (replacing what it held)."""
        default = ox.DefaultGraph()
        self._store.clear_graph(default)
        union = [
            ox.Quad(q.subject, q.predicate, q.object, default)
            for q in self._store.quads_for_pattern(None, None, None, None)
            if not isinstance(q.graph_name, ox.DefaultGraph)
        ]
        self._store.extend(union)

    def graph_quads(self, graph_iri: str) -> list[ox.Quad]:
        return list(self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri)))

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def flush(self) -> None:
        self._store.flush()

    def __len__(self) -> int:
        return len(self._store)


# ------------------------------------------------------------------ builds on disk
#
# Each build writes a fresh store folder under ``stores/``; a pointer file names
# the folder being served. Switching is one atomic rename of the pointer, so a
# failed or interrupted build never touches what is being served.

POINTER = "CURRENT"
KEEP_PREVIOUS = 1


def current_store_path(store_dir: Path) -> Path | None:
    pointer = store_dir / POINTER
    if not pointer.is_file():
        return None
    path = store_dir / pointer.read_text(encoding="utf-8").strip()
    return path if path.is_dir() else None


def new_store_path(store_dir: Path) -> Path:
    store_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    path = store_dir / f"build-{stamp}-{os.getpid()}"
    suffix = 0
    while path.exists():
        suffix += 1
        path = store_dir / f"build-{stamp}-{os.getpid()}-{suffix}"
    return path


def publish(store_dir: Path, built: Path) -> None:
    """Point ``CURRENT`` at ``built`` atomically, then prune old builds."""
    tmp = store_dir / (POINTER + ".tmp")
    tmp.write_text(built.name, encoding="utf-8")
    os.replace(tmp, store_dir / POINTER)
    builds = sorted(p for p in store_dir.glob("build-*") if p.is_dir() and p != built)
    for old in builds[: max(0, len(builds) - KEEP_PREVIOUS)]:
        shutil.rmtree(old, ignore_errors=True)


def discard(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


class NoGraphError(StoreError):
    """There is no built graph yet."""


def open_current(store_dir: Path, read_only: bool = True) -> OxigraphStore:
    path = current_store_path(store_dir)
    if path is None:
        raise NoGraphError(f"no graph has been built in {store_dir}; run `regkg build` first")
    return OxigraphStore.open(path, read_only=read_only)


class CurrentStore:
    """The store of the current build, reopened when a new build is published.

    A long-running server holds one of these: each request asks for ``get()``,
    which costs one stat of the pointer file, so a `regkg build` run beside the
    server takes effect without a restart and never interrupts a request.
    """

    def __init__(self, store_dir: Path) -> None:
        self.store_dir = store_dir
        self._path: Path | None = None
        self._store: OxigraphStore | None = None

    def get(self) -> OxigraphStore:
        path = current_store_path(self.store_dir)
        if path is None:
            raise NoGraphError(f"no graph has been built in {self.store_dir}; run `regkg build` first")
        if path != self._path or self._store is None:
            self._store = OxigraphStore.load_in_memory(path)
            self._path = path
        return self._store


def serving_store(settings) -> CurrentStore:
    """What a long-running server reads: the current build, followed across rebuilds
    (``.get()`` per request), embedded by default or the live build of ``REGKG_STORE``."""
    if settings.store_url:
        from regkg.graph.remote import RemoteCurrentStore

        return RemoteCurrentStore(settings)
    return CurrentStore(settings.store_dir)


def connect(settings) -> GraphStore:
    """The store the settings name: the embedded store of the current build by default,
    the live build in a SPARQL server when ``REGKG_STORE`` is ``sparql+http(s)://…``."""
    if settings.store_url:
        from regkg.graph.remote import open_remote

        return open_remote(settings)
    return open_current(settings.store_dir)
