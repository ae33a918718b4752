"""`python -m bench [queries|growth|ingest|vectors|startup|citations|all]` (or `regkg bench …`): benchmark the built graph.

(a) queries: named queries, embedded store vs rdflib (vs Virtuoso); (b) growth:
named queries, search and ask on the graph ×1/×10/×100; (c) ingest: units/s on
the corpus ×1/×10/×100; (d) vectors: search at 1k/10k/100k passages, memory,
brute force vs HNSW, and a server and a cold ask started on a build of that size; startup: server cold start; citations: statements by
evidence kind and curated citations that can (precise) or cannot (imprecise) be checked. Synthetic data: bench/scale.py.

Run `regkg build` first. ``queries --virtuoso`` starts a private Virtuoso on
127.0.0.1 (stopped by PID at the end) and publishes the same build into it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

from regkg.config import default_corpus_dirs, settings
from regkg.graph.store import connect, get_store

console = Console(width=None if sys.stdout.isatty() else 220)  # tables stay whole in logs and pipes


def _table(title: str, columns: list[str]) -> Table:
    table = Table(title=title)
    for i, col in enumerate(columns):
        table.add_column(col, justify="left" if i == 0 else "right")
    return table


def _ms(value: float | None) -> str:
    return "—" if value is None or value != value else f"{value:.2f}"


def queries(args) -> None:
    from bench.named_queries import rdflib_copy, time_queries

    store = connect(settings())
    # what `regkg serve` queries: the same build loaded into memory
    others, server = {"oxigraph in memory": get_store(settings()).open_in_memory()}, None
    if args.virtuoso:
        server, others["virtuoso"] = _virtuoso(store)
    try:
        timings = time_queries(store, args.repeat, args.rdflib_repeat, rdflib_copy(store), others)
    finally:
        if server is not None:
            server.stop()
    engines = ["oxigraph", "rdflib", *others]
    # rdflib holds its graph in memory: compare it with both embedded modes; a server with the store served
    ratios = [("rdflib", "oxigraph"), ("rdflib", "oxigraph in memory")] + [(e, "oxigraph in memory") for e in engines[3:]]
    cols = (["query", "rows"] + [f"{e} p50/p95 ms" for e in engines]
            + [f"{slow} / {fast.replace('oxigraph', 'ox.')}" for slow, fast in ratios])
    table = _table(f"(a) named queries, same data — {len(store)} quads (oxigraph = embedded store on disk)", cols)
    for t in timings:
        table.add_row(t.name, str(t.rows), *(f"{_ms(t.p50_ms.get(e))} / {_ms(t.p95_ms.get(e))}" for e in engines),
                      *(f"{t.ratio(slow, fast):.1f}×" for slow, fast in ratios))
    console.print(table)


def _virtuoso(store):
    import signal
    import sys

    from regkg.graph import virtuoso
    from regkg.graph.remote import publish_copy

    # `timeout` or Ctrl-C must still stop the server: SIGTERM unwinds through `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    server = virtuoso.start(Path(tempfile.mkdtemp(prefix="regkg-bench-virtuoso-")), http_port=_free_port(),
                            isql_port=_free_port())
    remote_settings = server.settings(settings())
    publish_copy(remote_settings, store)
    return server, connect(remote_settings)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def growth(args) -> None:
    from bench import growth as g

    factors = tuple(int(f) for f in args.factors.split(","))
    store = connect(settings())
    summary = _table("(b) growth — p50 ms (named queries: median over queries; worst query in brackets)",
                     ["scale", "triples", "units", "oxigraph p50", "rdflib p50", "min rdflib/oxigraph",
                      "index build s", "index MB", "search p50/p95", "ask p50/p95", "notes"])
    detail = _table("(b) growth — per named query, oxigraph p50 ms (rdflib/oxigraph)",
                    ["query", *(f"×{f}" for f in factors)])
    per_query: dict[str, list[str]] = {}
    for r in g.run(store, factors, args.repeat, args.rdflib_max, args.search_max):
        ox50 = sorted(t.p50_ms["oxigraph"] for t in r.queries)
        worst = max(r.queries, key=lambda t: t.p50_ms["oxigraph"])
        rd = sorted(t.p50_ms["rdflib"] for t in r.queries if "rdflib" in t.p50_ms)
        ratios = [t.ratio("rdflib") for t in r.queries if "rdflib" in t.p50_ms]
        summary.add_row(f"×{r.factor}", str(r.triples), str(r.units or "—"),
                        f"{ox50[len(ox50) // 2]:.2f} [{worst.name} {worst.p50_ms['oxigraph']:.1f}]",
                        f"{rd[len(rd) // 2]:.1f}" if rd else "—", f"{min(ratios):.1f}×" if ratios else "—",
                        f"{r.index_s:.1f}" if r.index_s is not None else "—",
                        f"{r.index_mb:.0f}" if r.index_mb is not None else "—",
                        f"{_ms(r.search_ms[0])} / {_ms(r.search_ms[1])}" if r.search_ms else "—",
                        f"{_ms(r.ask_ms[0])} / {_ms(r.ask_ms[1])}" if r.ask_ms else "—", "; ".join(r.notes))
        for t in r.queries:
            cell = _ms(t.p50_ms["oxigraph"]) + (f" ({t.ratio('rdflib'):.0f}×)" if "rdflib" in t.p50_ms else "")
            per_query.setdefault(t.name, []).append(cell)
        console.print(f"×{r.factor} done")
    for name, cells in per_query.items():
        detail.add_row(name, *cells)
    console.print(detail)
    console.print(summary)


def ingest(args) -> None:
    from bench import ingest as i

    corpus = default_corpus_dirs()
    if not corpus:
        console.print("(c) ingest: no corpus found beside the checkout")
        return
    factors = tuple(int(f) for f in args.factors.split(","))
    annotator, setup_s = i.annotator_for(connect(settings()))
    table = _table(f"(c) ingest throughput, corpus ×N from scratch into a store "
                   f"(annotator set-up {setup_s:.1f} s, once, not included)",
                   ["scale", "documents", "units", "quads", "failed", "s", "units/s"])
    for r in i.run(corpus[0], annotator, factors):
        table.add_row(f"×{r.factor}", str(r.documents), str(r.units), str(r.quads), str(r.failed),
                      f"{r.seconds:.1f}", f"{r.units_per_s:.0f}")
        console.print(f"×{r.factor} done")
    console.print(table)


def vectors(args) -> None:
    from bench import vectors as v
    from regkg.queries.retrieval.dense import ANN_MIN_ROWS, faiss_module

    sizes = tuple(int(n) for n in args.sizes.split(","))
    ann = f"HNSW from {ANN_MIN_ROWS} distinct sentences" if faiss_module() else "faiss not installed: brute force"
    table = _table(f"(d) search at N passages — search() path, top-10, p50/p95 ms over {len(v.SEARCH_QUERIES)} "
                   f"queries; {ann}",
                   ["passages", "sentences", "vectors", "dense", "build s", "RSS +MB", "index MB", "disk MB",
                    "search p50 / p95", "brute-force p50", "top-10 overlap", "serve ready s", "cold ask s"])
    for r in v.run(settings(), sizes, max(3, args.repeat // 2)):
        table.add_row(str(r.passages), str(r.sentences), str(r.vectors), r.method, f"{r.build_s:.1f}",
                      f"{r.rss_mb:.0f}", f"{r.index_mb:.0f}", f"{r.disk_mb:.0f}",
                      f"{_ms(r.p50_ms)} / {_ms(r.p95_ms)}",
                      _ms(r.exact_p50_ms) if r.exact_p50_ms is not None else "(is brute force)",
                      f"{r.overlap:.2f}" if r.overlap is not None else "—", f"{r.serve_ready_s:.2f}",
                      f"{r.ask_s:.2f}")
        console.print(f"{r.passages} passages done")
    console.print(table)


def startup(args) -> None:
    from bench.startup import cold_ask, cold_start

    result = cold_start(settings().data_dir)
    table = _table("(4) regkg serve and regkg ask cold start", ["measure", "value"])
    for question in args.questions.split("|"):
        table.add_row(f"regkg ask {question!r}, whole process", f"{cold_ask(settings().data_dir, question):.2f} s")
    table.add_row("/health 200 after", f"{result.ready_s:.2f} s")
    table.add_row("resident memory then", f"{result.ready_rss_mb:.0f} MB")
    table.add_row(f"models {result.models} after", f"{result.models_s:.2f} s" if result.models_s else "—")
    table.add_row("resident memory then", f"{result.models_rss_mb:.0f} MB" if result.models_rss_mb else "—")
    console.print(table)


def citations(args) -> None:
    from bench.citations import main as citation_counts

    citation_counts(args.list)


COMMANDS = {"queries": queries, "growth": growth, "ingest": ingest, "vectors": vectors, "startup": startup,
            "citations": citations}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("command", nargs="?", default="queries", choices=[*COMMANDS, "all"])
    p.add_argument("--repeat", type=int, default=20, help="runs per query on the embedded store")
    p.add_argument("--rdflib-repeat", type=int, default=5, help="runs per query on rdflib")
    p.add_argument("--virtuoso", action="store_true", help="also time a private Virtuoso (queries)")
    p.add_argument("--factors", default="1,10,100", help="graph and corpus scales (growth, ingest)")
    p.add_argument("--rdflib-max", type=int, default=10, help="largest scale timed on rdflib (growth)")
    p.add_argument("--search-max", type=int, default=100, help="largest scale for search and ask (growth)")
    p.add_argument("--sizes", default="1000,10000,100000", help="passage counts (vectors: search at N passages)")
    p.add_argument("--questions", default="第二種の提供計画は誰が審査する？|What does ICH Q5A require for viral clearance?",
                   help="questions asked by a cold `regkg ask` each, separated by | (startup)")
    p.add_argument("--list", action="store_true", help="also list the imprecise citations (citations)")
    return p


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    for name in COMMANDS if args.command == "all" else [args.command]:
        COMMANDS[name](args)


if __name__ == "__main__":
    main()
