"""What a running server holds: the current store, the SPARQL worker pool, health state.

One object per app (per uvicorn worker process), created by the factory and
reached by routes through ``request.app.state.runtime``.
"""

from __future__ import annotations

import logging
import threading

from fastapi import Request

from regkg.api.client_gate import ClientGate
from regkg.config import ServerConfig, Settings
from regkg.graph.stats import GraphStats, graph_stats
from regkg.graph.store import GraphStore, get_store

log = logging.getLogger("regkg.api")


class Runtime:
    def __init__(self, settings: Settings, config: ServerConfig) -> None:
        self.settings = settings
        self.config = config
        self.current = get_store(settings).follow()
        self.serving = False  # set by the app's lifespan while it runs
        self.pool = None  # QueryPool for the embedded store, started by the app's lifespan
        self.gate = ClientGate(config.client_queries)  # each client's share of the pool
        self.models = "loading"  # loading | ready | failed
        self.warmed = threading.Event()  # set when warm-up has finished, whatever its outcome
        self._stats: tuple[str | None, GraphStats] | None = None

    @property
    def remote(self) -> bool:
        """A SPARQL server store: the server evaluates /sparql queries, no local query workers."""
        return self.settings.store_url is not None

    def store(self) -> GraphStore:
        """The store of the current build (raises NoGraphError before the first build)."""
        return self.current.get()

    def stats(self) -> GraphStats:
        """Graph counts, computed once per build (a new build id invalidates them)."""
        store = self.store()
        if self._stats is None or self._stats[0] != store.build_id:
            self._stats = (store.build_id, graph_stats(store))
        return self._stats[1]

    def wait_for_models(self, timeout: float = 60.0) -> bool:
        """Block until warm-up is over, so a request never races it for the same models."""
        return self.warmed.wait(timeout)

    def start_warm_up(self) -> threading.Thread:
        """Load search models and indexes in the background; ``/health`` reports progress."""

        def warm() -> None:
            try:
                load()
            finally:
                self.warmed.set()

        def load() -> None:
            try:
                from regkg.queries import search

                search.warm(self.store())
                self.models = "ready"
            except Exception:  # noqa: BLE001 — reported by /health, the server keeps serving
                log.exception("warm-up failed")
                self.models = "failed"

        thread = threading.Thread(target=warm, name="regkg-warm-up", daemon=True)
        thread.start()
        return thread


def runtime(request: Request) -> Runtime:
    return request.app.state.runtime
