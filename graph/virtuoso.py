"""A private Virtuoso Open Source server on 127.0.0.1, started and stopped by PID.

The remote-store tests and benchmarks need a real SPARQL server, not a mock.
This starts ``virtuoso-t`` (Debian package ``virtuoso-opensource``) in the
foreground on a fresh database in a folder of its own, listening on
127.0.0.1 only, and stops exactly that process. The configuration is the
packaged ``virtuoso.ini`` with the listeners, the database paths and the
result-row cap changed; nothing in the system installation is touched.

Command line (for CI scripts)::

    python -m regkg.graph.virtuoso start DIR [--http-port 8890] [--isql-port 1111]
    python -m regkg.graph.virtuoso stop DIR

``start`` waits until the SPARQL endpoint answers, prints the endpoint URL and
writes ``DIR/virtuoso.pid``; ``stop`` ends the process named there.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

PACKAGED_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
BINARY = "virtuoso-t"
HOST = "127.0.0.1"
#: Login of a fresh Virtuoso database.
DEFAULT_USER = "dba"
DEFAULT_PASSWORD = "dba"
INSTALL_HINT = (
    "Virtuoso is not installed: run `apt-get update && DEBIAN_FRONTEND=noninteractive "
    "apt-get install -y virtuoso-opensource` (as root)"
)


class VirtuosoError(RuntimeError):
    """Virtuoso is missing or did not come up."""


@dataclass(frozen=True)
class Virtuoso:
    """A running private server: its folder, process id and ports."""

    directory: Path
    pid: int
    http_port: int
    isql_port: int

    @property
    def sparql_url(self) -> str:
        return f"http://{HOST}:{self.http_port}/sparql"

    @property
    def store_url(self) -> str:
        """The ``REGKG_STORE`` value for this server."""
        return "sparql+" + self.sparql_url

    @property
    def update_url(self) -> str:
        return f"http://{HOST}:{self.http_port}/sparql-auth"

    @property
    def graph_store_url(self) -> str:
        return f"http://{HOST}:{self.http_port}/sparql-graph-crud-auth"

    def env(self) -> dict[str, str]:
        """Environment variables that point regkg at this server (fresh-database login)."""
        return {
            "REGKG_STORE": self.store_url,
            "REGKG_STORE_UPDATE": self.update_url,
            "REGKG_STORE_GSP": self.graph_store_url,
            "REGKG_STORE_USER": DEFAULT_USER,
            "REGKG_STORE_PASSWORD": DEFAULT_PASSWORD,
            "REGKG_STORE_AUTH": "digest",
        }

    def settings(self, base):
        """``base`` (a regkg Settings) pointed at this server, as :meth:`env` does for a shell."""
        import dataclasses

        return dataclasses.replace(base, store_url=self.store_url, store_update_url=self.update_url,
                                   store_gsp_url=self.graph_store_url, store_user=DEFAULT_USER,
                                   store_password=DEFAULT_PASSWORD, store_auth="digest")

    def stop(self, timeout: float = 30.0) -> None:
        stop_pid(self.pid, timeout)
        (self.directory / "virtuoso.pid").unlink(missing_ok=True)


def installed() -> bool:
    return shutil.which(BINARY) is not None and PACKAGED_INI.is_file()


def write_config(directory: Path, http_port: int, isql_port: int, buffers: int) -> Path:
    """A copy of the packaged ini: listeners on 127.0.0.1, database in ``directory``."""
    text = PACKAGED_INI.read_text(encoding="utf-8")
    db = "/var/lib/virtuoso-opensource-7/db/"
    text = text.replace(db, str(directory) + "/")
    section = ""
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped
        key = stripped.split("=", 1)[0].strip()
        if key == "ServerPort" and section == "[Parameters]":
            line = f"ServerPort = {HOST}:{isql_port}"
        elif key == "ServerPort" and section == "[HTTPServer]":
            line = f"ServerPort = {HOST}:{http_port}"
        elif key == "DirsAllowed":
            line = f"DirsAllowed = ., {directory}, /usr/share/virtuoso-opensource-7/vad"
        elif key == "NumberOfBuffers":
            line = f"NumberOfBuffers = {buffers}"
        elif key == "MaxDirtyBuffers":
            line = f"MaxDirtyBuffers = {buffers * 3 // 4}"
        elif key == "ResultSetMaxRows":
            line = "ResultSetMaxRows = 10000000"  # regkg reads whole result sets (search units)
        elif key == "MaxQueryExecutionTime":
            line = "MaxQueryExecutionTime = 300"
        elif key == "MaxQueryCostEstimationTime":
            # Its estimates for regkg's OPTIONAL-heavy queries are off by orders of
            # magnitude (days for queries that run in milliseconds); 0 = no pre-check.
            line = "MaxQueryCostEstimationTime = 0"
        elif key == "DefaultHost" and section == "[URIQA]":
            line = f"DefaultHost = {HOST}:{http_port}"
        out.append(line)
    path = directory / "virtuoso.ini"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def start(directory: Path, http_port: int = 8890, isql_port: int = 1111, buffers: int = 100_000,
          timeout: float = 120.0) -> Virtuoso:
    """Start a server on a fresh database in ``directory`` and wait until SPARQL answers.

    ``buffers`` are 8 KiB pages of cache (100 000 ≈ 800 MB); the packaged 10 000
    makes the ×100 benchmark graph thrash.
    """
    if not installed():
        raise VirtuosoError(INSTALL_HINT)
    directory = directory.resolve()
    directory.mkdir(parents=True, exist_ok=True)
    ini = write_config(directory, http_port, isql_port, buffers)
    log = open(directory / "virtuoso.stdout", "ab")
    proc = subprocess.Popen([BINARY, "+foreground", "+configfile", str(ini)], cwd=directory,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()
    server = Virtuoso(directory, proc.pid, http_port, isql_port)
    (directory / "virtuoso.pid").write_text(str(proc.pid), encoding="utf-8")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise VirtuosoError(f"virtuoso-t exited with {proc.returncode}; see {directory / 'virtuoso.log'}")
        try:
            r = httpx.get(server.sparql_url, params={"query": "ASK {}"}, timeout=2.0,
                          headers={"Accept": "application/sparql-results+json"})
            if r.status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    server.stop()
    raise VirtuosoError(f"Virtuoso did not answer on {server.sparql_url} within {timeout:.0f} s")


def stop_pid(pid: int, timeout: float = 30.0) -> None:
    """SIGTERM the process (Virtuoso checkpoints and exits), SIGKILL if it lingers."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                return
        except ChildProcessError:  # not our child: poll for existence instead
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _main() -> None:
    parser = argparse.ArgumentParser(prog="python -m regkg.graph.virtuoso", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_start = sub.add_parser("start")
    p_start.add_argument("directory", type=Path)
    p_start.add_argument("--http-port", type=int, default=8890)
    p_start.add_argument("--isql-port", type=int, default=1111)
    p_stop = sub.add_parser("stop")
    p_stop.add_argument("directory", type=Path)
    args = parser.parse_args()
    if args.command == "start":
        server = start(args.directory, args.http_port, args.isql_port)
        print(server.store_url)
    else:
        pid_file = args.directory / "virtuoso.pid"
        if not re.fullmatch(r"\d+\s*", pid_file.read_text(encoding="utf-8")):
            raise SystemExit(f"{pid_file} does not hold a process id")
        stop_pid(int(pid_file.read_text(encoding="utf-8")))
        pid_file.unlink()


if __name__ == "__main__":
    _main()
