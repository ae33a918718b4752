"""Commands for question answering and search: ask, search, eval."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from regkg.api.cli_common import console, fail, open_store
from regkg.graph.store import StoreError
from regkg.queries.errors import InputError


def register(app: typer.Typer) -> None:
    app.command()(ask)
    app.command()(search)
    app.command(name="eval")(eval_)


def ask(
    question: Annotated[str, typer.Argument(help="A question in Japanese or English.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the /ask JSON.")] = False,
) -> None:
    """Answer a question from the graph (or the documents), with citations."""
    from regkg.queries.ask import ask as run_ask

    result = _guarded(lambda: run_ask(open_store(), question))
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    console.print(result["answer"], markup=False)
    for c in result["citations"]:
        console.print(f"  [dim]↳ {c['title']} {c['locator']}[/]")
        if c["quote"]:
            console.print(f"    {c['quote']}", markup=False, style="dim")
    console.print(f"[dim]method: {result['method']} · confidence {result['confidence']:.2f}[/]")


def search(
    query: Annotated[str, typer.Argument(help="Words or a question, Japanese or English.")],
    k: Annotated[int, typer.Option("-k", help="How many hits.")] = 10,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Only units in this language (ja or en).")] = None,
    type_: Annotated[Optional[str], typer.Option("--type", help="passage, provision, or an entity class (Modality, Risk, …).")] = None,
    document: Annotated[Optional[str], typer.Option("--document", help="A document (IRI, CURIE or id) or a document kind.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the /search JSON.")] = False,
) -> None:
    """Hybrid semantic search over provisions and passages."""
    from regkg.queries.search import search as run_search

    result = _guarded(lambda: run_search(open_store(), query, k=k, lang=lang, type=type_, document=document))
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    if not result["hits"]:
        console.print("no hits")
        return
    table = Table(title=f"{len(result['hits'])} hit(s) for {query!r}")
    for col in ("score", "document", "locator", "text"):
        table.add_column(col, overflow="fold")
    for h in result["hits"]:
        text = " ".join(h["text"].split())
        table.add_row(f"{h['score']:.4f}", h["title"] or h["document"], h["locator"][:40], text[:160])
    console.print(table)


def eval_(
    file: Annotated[Path, typer.Argument(help="A JSON Lines question set (QA or retrieval format).")],
    k: Annotated[int, typer.Option("-k", help="Retrieval cut-off for hit@k.")] = 5,
    per_question: Annotated[bool, typer.Option("--per-question", "-v", help="Print each question's result.")] = False,
    no_bridge: Annotated[bool, typer.Option("--no-bridge", help="Retrieval without the cross-lingual bridge.")] = False,
) -> None:
    """Measure QA (exact, partial, cited) or retrieval (hit@1, hit@k, MRR) and p50 latency."""
    from regkg.queries.evaluate import evaluate, load_rows

    rows = _guarded(lambda: load_rows(file))
    store = open_store()
    report = _guarded(lambda: evaluate(store, rows, k=k, bridge=not no_bridge))
    if per_question:
        table = Table(title="per question")
        for col in ("id", "lang", "ok", "score", "ms", "question", "answer" if report.kind == "qa" else "rank"):
            table.add_column(col, overflow="fold")
        for o in report.outcomes:
            ok = o.exact if report.kind == "qa" else o.hit_at_k
            last = o.answer[:120] if report.kind == "qa" else str(o.rank or "-")
            table.add_row(o.id, o.lang, "✓" if ok else "✗", f"{o.score:.2f}", f"{o.seconds * 1000:.0f}", o.question, last)
        console.print(table)
    table = Table(title=f"{report.kind} — {file.name}")
    table.add_column("subset")
    names = [n for n in report.metrics() if n != "n"]
    for n in ["n", *names]:
        table.add_column(n, justify="right")
    for subset, rows in report.subsets():
        m = report.metrics(rows=rows)
        table.add_row(subset, str(m["n"]), *[f"{m[n]:.1f}" if n.endswith("_ms") else f"{m[n]:.3f}" for n in names])
    console.print(table)
    if report.kind == "qa":
        table = Table(title="calibration — share of exact answers by confidence")
        for col in ("confidence", "n", "exact"):
            table.add_column(col, justify="right")
        for band, n, right in report.calibration():
            table.add_row(band, str(n), f"{right:.3f}")
        console.print(table)


def _guarded(run):
    """Run a query-side call; bad input exits 2 with its message, store errors exit 1."""
    try:
        return run()
    except InputError as exc:
        fail(str(exc), 2)
    except StoreError as exc:
        fail(str(exc))
