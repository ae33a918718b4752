"""`python -m bench`: benchmark the built graph (run `regkg build` first)."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from regkg.config import settings
from regkg.graph.store import connect

from bench.named_queries import time_queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20, help="runs per query on the embedded store")
    parser.add_argument("--rdflib-repeat", type=int, default=5, help="runs per query on rdflib")
    args = parser.parse_args()
    store = connect(settings())
    table = Table(title=f"named queries: pyoxigraph (embedded) vs rdflib in memory — {len(store)} triples")
    for col in ("query", "rows", "oxigraph p50 ms", "p95", "rdflib p50 ms", "p95", "ratio"):
        table.add_column(col, justify="right" if col != "query" else "left")
    for t in time_queries(store, args.repeat, args.rdflib_repeat):
        table.add_row(t.name, str(t.rows), f"{t.oxigraph_p50_ms:.2f}", f"{t.oxigraph_p95_ms:.2f}",
                      f"{t.rdflib_p50_ms:.1f}", f"{t.rdflib_p95_ms:.1f}", f"{t.ratio:.0f}×")
    Console().print(table)


if __name__ == "__main__":
    main()
