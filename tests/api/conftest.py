"""Fixtures for the API tests: an app on the session graph (in-process and as a real server)."""

from __future__ import annotations

import dataclasses
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from regkg.config import ServerConfig

#: Small limits so the truncation and timeout paths are cheap to reach.
MAX_ROWS = 200
TIMEOUT_S = 2.0


@pytest.fixture(scope="session")
def api_settings(built_settings):
    return dataclasses.replace(built_settings, query_timeout_s=TIMEOUT_S, max_rows=MAX_ROWS)


@pytest.fixture(scope="session")
def client(api_settings) -> Iterator[TestClient]:
    """The app in-process (lifespan run, so the SPARQL worker pool is real)."""
    from regkg.api.app import create_app

    app = create_app(api_settings, ServerConfig(max_body_bytes=20_000, query_workers=2))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """`regkg serve` on a free port of 127.0.0.1 with ``env`` over the environment (admin token unset unless
    given), its output in ``log``; yields the process once /health answers, with its base URL as ``.base``."""
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if k != "REGKG_ADMIN_TOKEN"} | env
    with log.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "regkg.api.cli", "serve", "--port", str(port)], env=full_env,
                                stdout=sink, stderr=subprocess.STDOUT)
    proc.base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(proc.base + "/health", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("regkg serve did not start: " + log.read_text(errors="replace")[-2000:])
        time.sleep(0.1)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def server(api_settings, tmp_path_factory) -> Iterator[str]:
    """A real `regkg serve` on 127.0.0.1: the base URL, once /health answers.

    The risk-class table is computed here, into the data directory's cache the server reads, so that the
    first classify page a test opens does not run the reasoner inside a request (minutes on a loaded machine)."""
    import importlib.util

    if importlib.util.find_spec("regkg.queries.classify") is not None:
        from regkg.queries.classify import precompute

        precompute(api_settings.cache_dir)
    env = {"REGKG_DATA": str(api_settings.data_dir), "REGKG_QUERY_TIMEOUT": str(TIMEOUT_S), "REGKG_MAX_ROWS": str(MAX_ROWS)}
    with running_server(env, tmp_path_factory.mktemp("serve-logs") / "serve.log") as proc:
        yield proc.base


def require_module(name: str) -> None:
    """Skip, saying why, when a read-side module another issue delivers is not in the tree yet."""
    import importlib.util

    if importlib.util.find_spec(f"regkg.queries.{name}") is None:
        pytest.skip(f"regkg.queries.{name} is not in the tree yet (delivered by another issue)")
