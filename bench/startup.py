"""`regkg serve` cold start and resident memory; `regkg ask` as a whole cold process.

The server is started as a child process on 127.0.0.1 and stopped by its PID.
Cold start is the time until ``/health`` answers 200; memory is the resident
set (of the process and its children) then and once the search models are
loaded in the background (``/health`` reports ``models``).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx


@dataclass
class Startup:
    ready_s: float
    ready_rss_mb: float
    models_s: float | None
    models_rss_mb: float | None
    models: str


def rss_mb(pid: int | None = None) -> float:
    """Resident memory of ``pid`` (default: this process) and its descendants, from /proc."""
    total, todo = 0, [pid or os.getpid()]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except (OSError, StopIteration):
            continue
        todo.extend(int(c) for c in children)
    return total / 1024


def cold_start(data_dir: Path, timeout_s: float = 120.0) -> Startup:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, REGKG_DATA=str(data_dir))
    regkg = Path(sys.executable).with_name("regkg")
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(regkg), "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/health"
    try:
        ready_s = ready_rss = models_s = models_rss = None
        models = "?"
        deadline = t0 + timeout_s
        while time.perf_counter() < deadline and proc.poll() is None:
            try:
                r = httpx.get(url, timeout=2)
            except httpx.HTTPError:
                time.sleep(0.05)
                continue
            if r.status_code == 200 and ready_s is None:
                ready_s, ready_rss = time.perf_counter() - t0, rss_mb(proc.pid)
            models = r.json().get("models", "?") if r.status_code == 200 else models
            if ready_s is not None and models not in ("loading", "?"):
                models_s, models_rss = time.perf_counter() - t0, rss_mb(proc.pid)
                break
            time.sleep(0.1)
        if ready_s is None:
            raise RuntimeError(f"regkg serve did not answer {url} within {timeout_s:.0f} s")
        return Startup(ready_s, ready_rss, models_s, models_rss, models)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)



def cold_ask(data_dir: Path, question: str, timeout_s: float = 120.0) -> float:
    """Wall seconds of one ``regkg ask`` process, from start to exit (models, index and linker loaded)."""
    env = dict(os.environ, REGKG_DATA=str(data_dir))
    regkg = Path(sys.executable).with_name("regkg")
    t0 = time.perf_counter()
    subprocess.run([str(regkg), "ask", question], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=timeout_s, check=True)
    return time.perf_counter() - t0
