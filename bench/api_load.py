"""`python -m bench.api_load`: load-test a local `regkg serve` (loopback only, bounded).

Starts `regkg serve --workers W` on 127.0.0.1, records the cold start (process
start → first /health answer, and → models ready), then drives each endpoint
with an async client at fixed concurrency for a fixed number of requests, and
runs the same named query directly on the store, so API overhead is a ratio.
Uses the graph in REGKG_DATA (run `regkg build` first).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time

import httpx

from regkg.api.cli_serve import serve  # noqa: F401  (fails early if the API is not installed)
from regkg.config import settings
from regkg.graph.store import connect
from regkg.queries.library import get_query

NAMED = ("/queries/modality-risk-class", {"modality": "regkg:modality/ips-derived-cells"})
TARGETS = {
    "/health": ("/health", {}),
    "named query": NAMED,
    "/sparql SELECT": ("/sparql", {"query": "SELECT ?m ?l WHERE { ?m a rko:Modality ; skos:prefLabel ?l } LIMIT 20"}),
    "/search": ("/search", {"q": "造腫瘍性試験", "k": 10}),
    "/ask": ("/ask", {"q": "iPS細胞を用いる再生医療等のリスク分類は？"}),
}


def pct(samples: list[float], p: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(p * (len(s) - 1))))]


async def load(base: str, path: str, params: dict, requests: int, concurrency: int) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(i)
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        async def worker() -> None:
            nonlocal errors
            while not queue.empty():
                queue.get_nowait()
                t = time.perf_counter()
                try:
                    r = await client.get(path, params=params)
                    errors += r.status_code != 200
                except httpx.TransportError:  # a crashed server process: count it, keep measuring
                    errors += 1
                latencies.append((time.perf_counter() - t) * 1000)
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return requests / (time.perf_counter() - start), latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--requests", type=int, default=400, help="per endpoint (ask/search: a quarter)")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "regkg.api.cli", "serve", "--port", str(args.port), "--workers", str(args.workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
    try:
        first = ready = None
        while time.perf_counter() - t0 < 300:
            try:
                body = httpx.get(base + "/health", timeout=2).json()
                first = first or time.perf_counter() - t0
                if body.get("status") == "ok":
                    ready = time.perf_counter() - t0
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        print(f"cold start: first /health answer {first:.2f} s, status ok (models ready) {ready:.2f} s" if ready
              else f"cold start: first answer {first} s; not ready within 300 s")
        # warm every worker process before measuring
        asyncio.run(load(base, "/ask", TARGETS["/ask"][1], 4, 4))
        print(f"{'endpoint':<16}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}   ({args.workers} workers, concurrency {args.concurrency})")
        for name, (path, params) in TARGETS.items():
            n = args.requests // 4 if name in ("/search", "/ask") else args.requests
            rps, lat, errors = asyncio.run(load(base, path, params, n, args.concurrency))
            print(f"{name:<16}{rps:>9.1f}{statistics.median(lat):>9.2f}{pct(lat, 0.99):>9.2f}{errors:>8}")
    finally:
        proc.terminate()
        proc.wait(30)
    store = connect(settings())
    named = get_query("modality-risk-class")
    bindings = named.bindings({"modality": NAMED[1]["modality"]})
    samples = []
    for _ in range(200):
        t = time.perf_counter()
        store.select(named.sparql, bindings)
        samples.append((time.perf_counter() - t) * 1000)
    print(f"named query directly on the store: p50 {statistics.median(samples):.2f} ms, p99 {pct(samples, 0.99):.2f} ms "
          "(compare with the API's p50 above for the overhead ratio)")


if __name__ == "__main__":
    main()
