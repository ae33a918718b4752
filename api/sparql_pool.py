"""Run SPARQL queries in worker processes that can be killed at the time limit.

pyoxigraph cannot cancel a running query, and a Python thread cannot be
stopped, so a runaway query in a thread would hold a core until it finished
— two of them starve a two-core server. A worker process is killed at the
deadline and replaced (measured: ~0.1 s to respawn), so the limit holds for
any query and the server process keeps serving everything else.

Workers open the current build read-only (path sent with each job, so a
rebuild is picked up), apply the row cap while iterating — evaluation stops
there — and serialise with pyoxigraph's own writers. This module imports only
pyoxigraph so that a fresh worker starts quickly.
"""

from __future__ import annotations

import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

import pyoxigraph as ox

from regkg.api import negotiation as media

RESULT_FORMATS = {
    media.SPARQL_JSON: ox.QueryResultsFormat.JSON,
    media.JSON: ox.QueryResultsFormat.JSON,
    media.SPARQL_XML: ox.QueryResultsFormat.XML,
    media.CSV: ox.QueryResultsFormat.CSV,
    media.TSV: ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    media.TURTLE: ox.RdfFormat.TURTLE,
    media.N_TRIPLES: ox.RdfFormat.N_TRIPLES,
    media.JSON_LD: ox.RdfFormat.JSON_LD,
    media.RDF_XML: ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class Job:
    """One query to run; ``result_type`` / ``graph_type`` are the negotiated media types (None: not acceptable)."""

    store_path: str
    query: str
    result_type: str | None
    graph_type: str | None
    max_rows: int
    prefixes: dict[str, str] = field(default_factory=dict)
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back. ``status``: ok, syntax, not_acceptable or error."""

    status: str
    body: bytes = b""
    media_type: str = ""
    truncated: bool = False
    rows: int = 0
    message: str = ""


class QueryTimeout(Exception):
    """The query ran past the time limit; its worker was killed."""


class PoolBusy(Exception):
    """Every worker stayed busy for the whole time limit."""


class WorkerFailed(Exception):
    """The worker died while running the query (for example out of memory)."""


# ------------------------------------------------------------------ in the worker

_stores: dict[str, ox.Store] = {}


def _store(path: str) -> ox.Store:
    if path not in _stores:
        _stores.clear()  # a new build: drop the old handle
        _stores[path] = ox.Store.read_only(path)
    return _stores[path]


def _tsv_term(term) -> str:
    # N-Triples syntax is the TSV syntax; only a raw tab (legal in literals) needs escaping.
    return str(term).replace("\t", "\\t")


def execute(job: Job) -> Outcome:
    """Run one job on the store at ``job.store_path``; pure, so tests can call it in-process."""
    options: dict = {"prefixes": job.prefixes}
    # without them the stored default graph answers: a build materialises the union of all graphs there
    if job.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    if job.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    return guarded(lambda: serialise(_store(job.store_path).query(job.query, **options), job))


def guarded(run: Callable[[], Outcome]) -> Outcome:
    """``run()``, with the errors a query raises (while parsing or while iterating) as outcomes."""
    try:
        return run()
    except SyntaxError as exc:
        return Outcome("syntax", message=str(exc))
    except (OSError, ValueError, TypeError) as exc:
        return Outcome("error", message=str(exc))


def serialise(result: ox.QueryBoolean | ox.QuerySolutions | Iterable[ox.Triple], job: Job) -> Outcome:
    """Results in the negotiated format, cut at the row cap (evaluation stops there)."""
    if isinstance(result, ox.QueryBoolean):
        if job.result_type is None:
            return Outcome("not_acceptable", message="ASK results")
        return Outcome("ok", result.serialize(format=RESULT_FORMATS[job.result_type]), job.result_type, rows=1)
    if isinstance(result, ox.QuerySolutions):
        if job.result_type is None:
            return Outcome("not_acceptable", message="SELECT results")
        variables = result.variables
        lines = ["\t".join(str(v) for v in variables)]
        truncated = False
        for solution in result:
            if len(lines) > job.max_rows:
                truncated = True
                break
            lines.append("\t".join("" if solution[v] is None else _tsv_term(solution[v]) for v in variables))
        table = ox.parse_query_results(("\n".join(lines) + "\n").encode(), format=ox.QueryResultsFormat.TSV)
        body = table.serialize(format=RESULT_FORMATS[job.result_type])
        return Outcome("ok", body, job.result_type, truncated, len(lines) - 1)
    if job.graph_type is None:
        return Outcome("not_acceptable", message="an RDF graph (CONSTRUCT or DESCRIBE)")
    triples = []
    truncated = False
    for triple in result:
        if len(triples) == job.max_rows:
            truncated = True
            break
        triples.append(triple)
    body = ox.serialize(triples, format=GRAPH_FORMATS[job.graph_type], prefixes=job.prefixes)
    return Outcome("ok", body, job.graph_type, truncated, len(triples))


def _worker_main(fd: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C on the server stops it, not a half-done query
    conn = Connection(fd)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return  # the server went away
        conn.send(execute(job))


# ------------------------------------------------------------------ in the server


class _Worker:
    """A plain ``python -m regkg.api.sparql_pool FD`` child talking over a socket pair.

    Started as its own program rather than by multiprocessing so it does not
    re-import the parent's ``__main__`` (the CLI, pytest, uvicorn): it loads
    pyoxigraph only and is ready in about 0.1 s.
    """

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "regkg.api.sparql_pool", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, close_fds=True,
        )
        theirs.close()
        self.conn = Connection(ours.detach())
        self.ready = False

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Wait for a fresh worker's start-up, which must not eat into the first query's time limit."""
        if not self.ready:
            if not self.conn.poll(timeout):
                raise OSError("query worker did not start")
            self.conn.recv()
            self.ready = True

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.conn.close()


class QueryPool:
    """A fixed number of worker processes; a job waits for an idle one, within its own time limit."""

    def __init__(self, size: int = 2) -> None:
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(max(1, size)):
            self._add()

    def _add(self) -> None:
        worker = _Worker()
        with self._lock:
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
        if not self._closed:
            self._add()

    def run(self, job: Job, timeout: float) -> Outcome:
        """Run ``job`` within ``timeout`` seconds of query time. Blocking: call from a thread.

        Waiting for an idle worker is bounded by ``timeout`` too (then PoolBusy).
        """
        try:
            worker = self._idle.get(timeout=max(0.0, timeout))
        except queue.Empty:
            raise PoolBusy() from None
        try:
            worker.wait_ready()
            deadline = time.monotonic() + timeout
            worker.conn.send(job)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                raise QueryTimeout()
            outcome = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            raise WorkerFailed() from None
        self._idle.put(worker)
        return outcome

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()


if __name__ == "__main__":
    # Run the copy imported under its package name, so results pickle as regkg.api.sparql_pool.Outcome.
    from regkg.api import sparql_pool

    sparql_pool._worker_main(int(sys.argv[1]))
