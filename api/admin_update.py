"""SPARQL Update for administrators, applied copy-on-write like a build, in a process of its own.

The served store is opened read-only by every server process and query
worker, so an update never writes to it: the live build is copied into a new
staged build, the update runs there, and the pointer switches only if it
succeeded — the same atomic step, under the same data-directory lock, as
`regkg build`. The next `regkg build` rebuilds from the sources and so drops
these edits; they are for quick corrections between builds.

The update is parsed and run in a one-off child process, never in the server:
pyoxigraph's parser can crash on hostile input, a failed update used to leave
its store lock held, and the child — like the query workers — has no network
and a memory cap. Whatever happens to it, its exit releases every lock.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import threading
from dataclasses import dataclass

from regkg.config import Settings
from regkg.ontology.namespaces import GRAPH, PREFIXES

_lock = threading.Lock()  # one update at a time in this process
ADMIN_GRAPH = GRAPH["admin"]


@dataclass(frozen=True)
class UpdateOutcome:
    """``status``: ok, syntax (bad text), failed (the update cannot apply), no_graph, locked, timeout or crashed."""

    status: str
    triples: int = 0
    message: str = ""


def _apply_here(settings: Settings, update: str) -> UpdateOutcome:
    """Stage a copy of the live build, apply ``update``, publish; runs in the child process.

    It is a build like any other: it holds the data directory's build lock (a
    running `regkg build` makes it fail, nothing changed).
    """
    from regkg.graph.embedded import EmbeddedStores
    from regkg.graph.lock import BuildLocked

    hide = str(settings.data_dir)  # messages go to an HTTP caller: no server paths
    try:
        with EmbeddedStores(settings).stage("admin SPARQL Update") as staged:
            if staged.previous is None:
                return UpdateOutcome("no_graph", message="no graph has been built yet; run `regkg build` first")
            staged.store.copy_from(staged.previous)
            try:
                staged.store.update(update, prefixes=PREFIXES)
            except SyntaxError as exc:
                return UpdateOutcome("syntax", message=f"SPARQL syntax error: {exc}")
            except (RuntimeError, ValueError, OSError) as exc:
                return UpdateOutcome("failed", message=str(exc).replace(hide, "…"))
            staged.store.keep_union(str(ADMIN_GRAPH))  # publishing materialises the union again
            return UpdateOutcome("ok", staged.publish())
    except BuildLocked as exc:
        return UpdateOutcome("locked", message=str(exc).replace(hide, "…"))


def apply_update(settings: Settings, update: str, timeout_s: float, memory_bytes: int,
                 require_isolation: bool = True) -> UpdateOutcome:
    """Run ``update`` (already checked by the guard) in a child process; never raises for bad input."""
    with _lock:
        # the parent's own settings, handed over whole (a pipe between two copies of this program)
        request = pickle.dumps({"settings": settings, "update": update, "memory_bytes": memory_bytes,
                                "require_isolation": require_isolation})
        try:
            done = subprocess.run([sys.executable, "-m", "regkg.api.admin_update"], input=request,
                                  capture_output=True, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            return UpdateOutcome("timeout", message=f"the update ran longer than {timeout_s:g} s and was stopped")
        try:
            return UpdateOutcome(**json.loads(done.stdout.decode().strip().splitlines()[-1]))
        except (ValueError, IndexError, TypeError):
            return UpdateOutcome("crashed", message="the update process stopped (out of memory?); nothing was changed")


def _child_main() -> None:
    from regkg.api.sparql_pool import cap_memory, isolate_from_network

    request = pickle.loads(sys.stdin.buffer.read())
    if isolate_from_network() is not None and request["require_isolation"]:
        outcome = UpdateOutcome("failed", message="updates need a process cut off from the network, "
                                "and this machine does not allow one")
    else:
        cap_memory(request["memory_bytes"])
        outcome = _apply_here(request["settings"], request["update"])
    print(json.dumps(outcome.__dict__, ensure_ascii=False))


if __name__ == "__main__":
    _child_main()
