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

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
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


@dataclass(frozen=True)
class Artefacts:
    """Where one build keeps what it derived for search, and with which embedding model.

    ``folder`` belongs to the build (dropped with it); ``models`` and
    ``cache`` are the data directory's, shared by every build. The adapter that opens a
    build fills this in from the settings, so the search index never reads
    settings or the environment itself.
    """

    folder: Path
    models: Path
    embed_model: str | None = None
    cache: Path | None = None  # the data directory's cache of results keyed by their inputs


class GraphStore(Protocol):
    """Reading and writing one build's graphs; ``build_id`` (None for a scratch store) keys per-build
    caches and ``artefacts`` (None: nowhere to keep them) says where its search artefacts live."""

    build_id: str | None
    artefacts: Artefacts | None

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
    """The default store: pyoxigraph, on disk or in memory.

    ``build_id`` names the build the store holds (None for a scratch store) and
    keys per-build caches; ``artefacts`` says where that build keeps what it
    derived for search. ``path`` is the store folder, for the SPARQL
    endpoint's worker processes, which open it themselves.
    """

    def __init__(self, store: ox.Store, path: Path | None = None, build_id: str | None = None,
                 artefacts: Artefacts | None = None) -> None:
        self._store = store
        self.path = path
        self.build_id = build_id
        self.artefacts = artefacts

    @classmethod
    def in_memory(cls) -> OxigraphStore:
        return cls(ox.Store())

    @classmethod
    def load_in_memory(cls, path: Path, build_id: str | None = None,
                       artefacts: Artefacts | None = None) -> OxigraphStore:
        """A copy of an on-disk build held in memory, for long-running servers.

        The graph is small (tens of thousands of quads per corpus) and read-only
        between builds; in memory the named queries run several times faster
        than through RocksDB's read-only mode.
        """
        disk = ox.Store.read_only(str(path))
        memory = ox.Store()
        memory.bulk_extend(disk.quads_for_pattern(None, None, None, None))
        return cls(memory, path, build_id, artefacts)

    @classmethod
    def open(cls, path: Path, read_only: bool = False, build_id: str | None = None,
             artefacts: Artefacts | None = None) -> OxigraphStore:
        store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        return cls(store, path, build_id, artefacts)

    def close(self) -> None:
        """Release the underlying store (its files close once no other reference holds it)."""
        self._store = None  # type: ignore[assignment]

    @property
    def native(self) -> ox.Store:
        """The pyoxigraph store itself, for code inside graph/ and ingest that needs pyoxigraph."""
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

    def copy_from(self, other: OxigraphStore) -> None:
        """Add every quad of ``other`` (all its graphs), in bulk: a staged build starting as a copy."""
        self._store.bulk_extend(other._store.quads_for_pattern(None, None, None, None))

    def update(self, sparql: str, prefixes: Mapping[str, str] | None = None) -> None:
        """Apply a SPARQL Update (admin updates, on a staged copy); raises SyntaxError for bad text and
        RuntimeError, ValueError or OSError when it cannot apply."""
        self._store.update(sparql, prefixes=dict(prefixes or {}))

    def keep_union(self, graph_iri: str) -> None:
        """Restore the build's invariant after an update: the default graph is the union of the named
        graphs. Triples written to the default graph alone move to the named graph ``graph_iri``
        first, so they survive and stay visible."""
        default = ox.DefaultGraph()
        named = {(q.subject, q.predicate, q.object) for q in self._store.quads_for_pattern(None, None, None, None)
                 if not isinstance(q.graph_name, ox.DefaultGraph)}
        loose = [q for q in self._store.quads_for_pattern(None, None, None, default)
                 if (q.subject, q.predicate, q.object) not in named]
        self._store.extend([ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(graph_iri)) for q in loose])
        self.materialise_union()

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def flush(self) -> None:
        self._store.flush()

    def __len__(self) -> int:
        return len(self._store)


# ------------------------------------------------------------------ the lifecycle of builds


@dataclass(frozen=True)
class BuildInfo:
    """One build an adapter holds: complete (finished writing), live (published), when it completed."""

    build_id: str
    complete: bool
    live: bool
    completed: str | None = None


class NoGraphError(StoreError):
    """There is no built graph yet."""


def new_build_id() -> str:
    """Sortable for people, unique for machines: UTC time to the microsecond plus a random tail."""
    return f"build-{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"


class StagedBuild(Protocol):
    """A build being written: ``store`` to fill, the ``previous`` live build to reuse documents from."""

    build_id: str
    store: GraphStore
    previous: GraphStore | None

    def publish(self) -> int: ...  # make it live, prune old builds; the number of distinct triples


class FollowingStore(Protocol):
    """The live build for a long-running reader: ``get()`` per request follows new builds."""

    def get(self) -> GraphStore: ...


class StoreAdapter(Protocol):
    """Where builds live and how they become live: one per kind of store (embedded, SPARQL server).

    ``stage`` holds the data directory's build lock for the whole build and
    discards the staged build unless it was published; nothing outside
    ``graph/`` needs to know how an adapter keeps its builds.
    """

    def live_build_id(self) -> str | None: ...
    def open(self) -> GraphStore: ...
    def follow(self) -> FollowingStore: ...
    def stage(self, purpose: str = ...) -> AbstractContextManager[StagedBuild]: ...
    def builds(self) -> list[BuildInfo]: ...
    def drop(self, build_id: str) -> None: ...


def get_store(settings) -> StoreAdapter:
    """The adapter the settings name: ``sparql+http(s)://…`` in ``store_url`` is a SPARQL server,
    anything else the embedded pyoxigraph store in the data directory."""
    if settings.store_url:
        from regkg.graph.remote import RemoteStores

        return RemoteStores(settings)
    from regkg.graph.embedded import EmbeddedStores

    return EmbeddedStores(settings)


def connect(settings) -> GraphStore:
    """The live build of the store the settings name (raises NoGraphError before the first build)."""
    return get_store(settings).open()
