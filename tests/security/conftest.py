"""Fixtures for the attack regression suite: real servers on 127.0.0.1 with small limits, and a trap.

Everything here talks to loopback addresses only, with bounded request counts
and time limits on every wait.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import running_server

TIMEOUT_S = 3.0
MAX_RESPONSE_BYTES = 200_000
WORKER_MEMORY = 256 << 20
MAX_DEPTH = 64
TOKEN = "hostile-suite-token"


@dataclass
class Server:
    base: str
    pid: int
    log: Path

    def alive(self) -> bool:
        return httpx.get(self.base + "/health", timeout=5).status_code == 200

    def rss_mb(self) -> float:
        """Resident memory of the server process and its children (the query workers)."""
        return sum(_rss_kb(p) for p in [self.pid, *_children(self.pid)]) / 1024

    def main_rss_mb(self) -> float:
        return _rss_kb(self.pid) / 1024


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _serve(data_dir: Path, log: Path, extra_env: dict[str, str]) -> Iterator[Server]:
    env = {"REGKG_DATA": str(data_dir), "REGKG_QUERY_TIMEOUT": str(TIMEOUT_S),
           "REGKG_MAX_RESPONSE_BYTES": str(MAX_RESPONSE_BYTES), "REGKG_WORKER_MEMORY": str(WORKER_MEMORY),
           "REGKG_MAX_QUERY_DEPTH": str(MAX_DEPTH), **extra_env}
    with running_server(env, log) as proc:
        yield Server(proc.base, proc.pid, log)


@pytest.fixture(scope="session")
def hostile_server(built_settings, tmp_path_factory) -> Iterator[Server]:
    """`regkg serve` on the product graph, with small limits so every defence is cheap to reach."""
    yield from _serve(built_settings.data_dir, tmp_path_factory.mktemp("logs") / "serve.log", {})


@pytest.fixture(scope="session")
def admin_server(tmp_path_factory) -> Iterator[Server]:
    """A server over its own small graph (ontology and curated knowledge) that accepts updates."""
    from regkg.graph.build import build
    from tests.conftest import make_settings

    settings = make_settings(tmp_path_factory.mktemp("admin-data"))
    build(settings, [])
    yield from _serve(settings.data_dir, tmp_path_factory.mktemp("admin-logs") / "serve.log",
                      {"REGKG_ADMIN_TOKEN": TOKEN})


@dataclass
class Trap:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

    port: int
    connections: list[bytes] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"


@pytest.fixture
def trap() -> Iterator[Trap]:
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    found = Trap(listener.getsockname()[1])
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    found.connections.append(conn.recv(4096))
                except OSError:
                    found.connections.append(b"")
                body = b'{"head":{"vars":[]},"results":{"bindings":[]}}'
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (len(body), body))

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield found
    stop.set()
    thread.join(5)
    listener.close()
