"""Fair shares of the SPARQL workers: at most N running queries per client, a short queue behind them.

The worker pool is small (two processes on a two-core machine). Without a
per-client limit, one caller sending heavy queries in parallel holds every
worker and everyone else's one-line query waits the full time limit. With it,
that caller's extra queries wait their own turn — within the same deadline,
and only a few of them: past ``max_waiting`` they are turned away at once —
while other callers find a free worker.

A client is the peer address of the connection; behind a reverse proxy all
callers share one address, so raise the limit to the pool size there.

Waiting polls with a growing interval instead of using an asyncio condition,
so the gate works from any event loop (a server has one per process, tests
may run several).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class GateTimeout(Exception):
    """The client's earlier queries held its share for the whole waiting time, or its queue was full."""


class ClientGate:
    def __init__(self, per_client: int, max_waiting: int = 8) -> None:
        self.per_client = max(1, per_client)
        self.max_waiting = max_waiting
        self._running: dict[str, int] = {}
        self._waiting: dict[str, int] = {}
        self._lock = threading.Lock()

    def _try_take(self, client: str) -> bool:
        with self._lock:
            if self._running.get(client, 0) < self.per_client:
                self._running[client] = self._running.get(client, 0) + 1
                return True
            return False

    def _count(self, table: dict[str, int], client: str, delta: int) -> int:
        with self._lock:
            n = table.get(client, 0) + delta
            if n > 0:
                table[client] = n
            else:
                table.pop(client, None)  # the tables hold only clients with queries in flight
            return n

    @asynccontextmanager
    async def slot(self, client: str, wait_s: float) -> AsyncIterator[None]:
        """Hold one of ``client``'s slots for the body of the ``async with``; GateTimeout after ``wait_s``."""
        if not self._try_take(client):
            if self._count(self._waiting, client, +1) > self.max_waiting:
                self._count(self._waiting, client, -1)
                raise GateTimeout()
            try:
                deadline = time.monotonic() + wait_s
                pause = 0.005
                while not self._try_take(client):
                    if time.monotonic() >= deadline:
                        raise GateTimeout()
                    await asyncio.sleep(pause)
                    pause = min(pause * 1.5, 0.1)
            finally:
                self._count(self._waiting, client, -1)
        try:
            yield
        finally:
            self._count(self._running, client, -1)
