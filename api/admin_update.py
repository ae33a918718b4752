"""SPARQL Update for administrators, applied copy-on-write like a build.

The served store is opened read-only by every server process and query
worker, so an update never writes to it: the current build is copied into a
new store, the update runs there, and the pointer switches only if it
succeeded — the same atomic step as `regkg build`. The next `regkg build`
rebuilds from the sources and so drops these edits; they are for quick
corrections between builds.
"""

from __future__ import annotations

import threading

import pyoxigraph as ox

from regkg.config import Settings
from regkg.graph.embedded import EmbeddedStores
from regkg.graph.lock import BuildLocked
from regkg.graph.store import NoGraphError, OxigraphStore
from regkg.ontology.namespaces import GRAPH, PREFIXES
from regkg.queries.errors import InputError

_lock = threading.Lock()  # one update at a time in this process
ADMIN_GRAPH = GRAPH["admin"]


def _keep_union(store: OxigraphStore) -> None:
    """Restore the build's invariant: the default graph is the union of the named graphs.

    Triples an update wrote to the default graph alone move to the named graph
    ``…/graph/admin`` first, so they survive and stay visible.
    """
    native = store.native
    default = ox.DefaultGraph()
    named = {(q.subject, q.predicate, q.object) for q in native.quads_for_pattern(None, None, None, None)
             if not isinstance(q.graph_name, ox.DefaultGraph)}
    loose = [q for q in native.quads_for_pattern(None, None, None, default) if (q.subject, q.predicate, q.object) not in named]
    native.extend([ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(str(ADMIN_GRAPH))) for q in loose])


def apply_update(settings: Settings, update: str) -> int:
    """Apply ``update`` to a copy of the current build and publish it; returns the new triple count.

    It is a build like any other: it holds the data directory's build lock
    (a running `regkg build` makes it fail with InputError, nothing changed).
    """
    stores = EmbeddedStores(settings)
    with _lock:
        try:
            with stores.stage("admin SPARQL Update") as staged:
                if staged.previous is None:
                    raise NoGraphError(f"no graph has been built in {settings.data_dir}; run `regkg build` first")
                native = staged.store.native
                native.bulk_extend(staged.previous.native.quads_for_pattern(None, None, None, None))
                try:
                    native.update(update, prefixes=PREFIXES)
                except SyntaxError as exc:
                    raise InputError(f"SPARQL syntax error: {exc}") from exc
                _keep_union(staged.store)
                staged.publish()
                return len(stores.open())
        except BuildLocked as exc:
            raise InputError(str(exc)) from exc
