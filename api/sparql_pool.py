"""Run SPARQL queries in worker processes that can be killed at the time limit.

pyoxigraph cannot cancel a running query, and a Python thread cannot be
stopped, so a runaway query in a thread would hold a core until it finished
— two of them starve a two-core server. A worker process is killed at the
deadline and replaced (measured: ~0.1 s to respawn), so the limit holds for
any query and the server process keeps serving everything else.

Workers open the current build read-only (path sent with each job, so a
rebuild is picked up), apply the row and byte caps while iterating —
evaluation stops there — and serialise with pyoxigraph's own writers. This
module imports only pyoxigraph so that a fresh worker starts quickly.

Each worker is also fenced in, behind the parse-based guard of
:mod:`regkg.api.sparql_guard`: it leaves the host's network before it reads
a job (a network namespace of its own, with no interface up), so no query
can make the server send a request anywhere, whatever the guard missed; and
its data memory is capped (``RLIMIT_DATA``), so a runaway query ends its
worker, not the machine.
"""

from __future__ import annotations

import ctypes
import os
import queue
import resource
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
    max_bytes: int = 8_000_000
    prefixes: dict[str, str] = field(default_factory=dict)
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back. ``status``: ok, syntax, not_acceptable, memory or error.

    ``truncated`` names the cap that cut the results: "rows", "bytes" or "" (complete).
    """

    status: str
    body: bytes = b""
    media_type: str = ""
    truncated: str = ""
    rows: int = 0
    message: str = ""


class QueryTimeout(Exception):
    """The query ran past the time limit; its worker was killed."""


class PoolBusy(Exception):
    """Every worker stayed busy for the whole time limit."""


class WorkerFailed(Exception):
    """The worker died while running the query; ``out_of_memory`` when it died allocating."""

    def __init__(self, out_of_memory: bool = False) -> None:
        super().__init__("out of memory" if out_of_memory else "worker died")
        self.out_of_memory = out_of_memory


class NotIsolated(Exception):
    """The workers could not be cut off from the network, and the pool requires it."""


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
    except MemoryError:
        return Outcome("memory")
    except (OSError, ValueError, TypeError) as exc:
        return Outcome("error", message=str(exc))


def serialise(result: ox.QueryBoolean | ox.QuerySolutions | Iterable[ox.Triple], job: Job) -> Outcome:
    """Results in the negotiated format, cut at the row cap or the byte cap (evaluation stops there).

    Rows are gathered as TSV (N-Triples terms) while their size is counted, so
    neither a huge row count nor a few huge literals grow the worker past the
    cap; the final serialisation is checked again and halved until it fits.
    """
    if isinstance(result, ox.QueryBoolean):
        if job.result_type is None:
            return Outcome("not_acceptable", message="ASK results")
        return Outcome("ok", result.serialize(format=RESULT_FORMATS[job.result_type]), job.result_type, rows=1)
    if isinstance(result, ox.QuerySolutions):
        if job.result_type is None:
            return Outcome("not_acceptable", message="SELECT results")
        variables = result.variables
        header = "\t".join(str(v) for v in variables)
        rows, truncated = _take(("\t".join("" if s[v] is None else _tsv_term(s[v]) for v in variables) for s in result),
                                job, len(header))

        def write(part: list[str]) -> bytes:
            table = ox.parse_query_results(("\n".join([header, *part]) + "\n").encode(), format=ox.QueryResultsFormat.TSV)
            return table.serialize(format=RESULT_FORMATS[job.result_type])

        body, rows, truncated = _fit(rows, write, job.max_bytes, truncated)
        return Outcome("ok", body, job.result_type, truncated, len(rows))
    if job.graph_type is None:
        return Outcome("not_acceptable", message="an RDF graph (CONSTRUCT or DESCRIBE)")
    triples, truncated = _take(result, job, 0, size=lambda t: len(str(t)))

    def write_graph(part: list[ox.Triple]) -> bytes:
        return ox.serialize(part, format=GRAPH_FORMATS[job.graph_type], prefixes=job.prefixes)

    body, triples, truncated = _fit(triples, write_graph, job.max_bytes, truncated)
    return Outcome("ok", body, job.graph_type, truncated, len(triples))


def _take(items: Iterable, job: Job, used: int, size: Callable = len) -> tuple[list, str]:
    """Items up to the row cap and the byte cap (measured by ``size``); which cap stopped them."""
    out: list = []
    for item in items:
        if len(out) == job.max_rows:
            return out, "rows"
        used += size(item) + 1
        if used > job.max_bytes:
            return out, "bytes"
        out.append(item)
    return out, ""


def _fit(items: list, write: Callable[[list], bytes], max_bytes: int, truncated: str) -> tuple[bytes, list, str]:
    """Serialise ``items``, dropping the later half until the body is within ``max_bytes``."""
    body = write(items)
    while len(body) > max_bytes and items:
        items = items[: len(items) // 2]
        truncated = "bytes"
        body = write(items)
    return body, items, truncated


# ------------------------------------------------------------------ worker isolation

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


def isolate_from_network() -> str | None:
    """Move this process into a network namespace of its own (nothing up, not even loopback).

    Returns None on success, else why not. A new user namespace is tried as well
    where the process lacks the privilege for a network namespace alone; both
    need a single-threaded process, so this runs before anything starts threads.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    errors = []
    for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return None
        errors.append(os.strerror(ctypes.get_errno()))
    return "unshare: " + "; ".join(dict.fromkeys(errors))


def cap_memory(max_bytes: int) -> None:
    """Cap the data segment (heap and private mappings) of this process; 0 leaves it uncapped."""
    if max_bytes > 0:
        resource.setrlimit(resource.RLIMIT_DATA, (max_bytes, max_bytes))


def _worker_main(fd: int, memory_bytes: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C on the server stops it, not a half-done query
    refused = isolate_from_network()
    cap_memory(memory_bytes)
    conn = Connection(fd)
    conn.send(("ready", refused))
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

    def __init__(self, memory_bytes: int) -> None:
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "regkg.api.sparql_pool", str(theirs.fileno()), str(memory_bytes)],
            pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, close_fds=True,
            env={**os.environ, "RUST_BACKTRACE": "0"},  # an allocation failure logs one line, not a backtrace
        )
        theirs.close()
        self.conn = Connection(ours.detach())
        self.ready = False
        self.not_isolated: str | None = None  # why the worker could not leave the network, if it could not

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Wait for a fresh worker's start-up, which must not eat into the first query's time limit."""
        if not self.ready:
            if not self.conn.poll(timeout):
                raise OSError("query worker did not start")
            _, self.not_isolated = self.conn.recv()
            self.ready = True

    def died_of_memory(self) -> bool:
        """True when the worker ended by an abort or a kill of its own making (an allocation failed)."""
        try:
            code = self.process.wait(2)
        except subprocess.TimeoutExpired:
            return False
        return code == -signal.SIGABRT  # Rust aborts when an allocation fails

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.conn.close()


class QueryPool:
    """A fixed number of worker processes; a job waits for an idle one, within its own time limit.

    ``require_isolation``: refuse to run queries (:class:`NotIsolated`) on a
    machine where workers cannot be cut off from the network.
    """

    def __init__(self, size: int = 2, memory_bytes: int = 0, require_isolation: bool = True) -> None:
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.memory_bytes = memory_bytes
        self.require_isolation = require_isolation
        for _ in range(max(1, size)):
            self._add()

    def _add(self) -> None:
        worker = _Worker(self.memory_bytes)
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
            if worker.not_isolated and self.require_isolation:
                self._idle.put(worker)
                raise NotIsolated(worker.not_isolated)
            deadline = time.monotonic() + timeout
            worker.conn.send(job)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                raise QueryTimeout()
            outcome = worker.conn.recv()
        except (EOFError, OSError):
            out_of_memory = worker.died_of_memory()
            self._replace(worker)
            raise WorkerFailed(out_of_memory) from None
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

    sparql_pool._worker_main(int(sys.argv[1]), int(sys.argv[2]))
