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
from regkg.graph.store import NoGraphError, OxigraphStore, current_store_path, discard, new_store_path, publish
from regkg.ontology.namespaces import GRAPH, PREFIXES
from regkg.queries.errors import InputError

_lock = threading.Lock()  # one update at a time in this process
ADMIN_GRAPH = GRAPH["admin"]


def _keep_union(store: ox.Store) -> None:
    """Restore the build's invariant: the default graph is the union of the named graphs.

    Triples an update wrote to the default graph alone move to the named graph
    ``…/graph/admin`` first, so they survive and stay visible.
    """
    default = ox.DefaultGraph()
    named = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, None)
             if not isinstance(q.graph_name, ox.DefaultGraph)}
    loose = [q for q in store.quads_for_pattern(None, None, None, default) if (q.subject, q.predicate, q.object) not in named]
    store.extend([ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(str(ADMIN_GRAPH))) for q in loose])
    OxigraphStore(store).materialise_union()


def apply_update(settings: Settings, update: str) -> int:
    """Apply ``update`` to a copy of the current build and publish it; returns the new triple count."""
    with _lock:
        current = current_store_path(settings.store_dir)
        if current is None:
            raise NoGraphError(f"no graph has been built in {settings.store_dir}; run `regkg build` first")
        target = new_store_path(settings.store_dir)
        try:
            source = ox.Store.read_only(str(current))
            store = ox.Store(str(target))
            store.bulk_extend(source.quads_for_pattern(None, None, None, None))
            try:
                store.update(update, prefixes=PREFIXES)
            except SyntaxError as exc:
                raise InputError(f"SPARQL syntax error: {exc}") from exc
            _keep_union(store)
            store.flush()
            size = len(store)
            del store, source
        except BaseException:
            discard(target)
            raise
        publish(settings.store_dir, target)
        return size
