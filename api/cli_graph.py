"""Commands for the graph: build, stats, validate, query."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from regkg.api.cli_common import OutputFormat, cell, console, err, fail, open_store, render_rows
from regkg.config import default_corpus_dirs, settings
from regkg.graph.store import StoreError


def register(app: typer.Typer) -> None:
    app.command()(build)
    app.command()(stats)
    app.command()(validate)
    app.command()(query)
    app.command()(documents)




def build(
    corpus: Annotated[
        Optional[list[Path]],
        typer.Option("--corpus", "-c", help="Folder of source documents (repeatable). Default: ../shared/corpus beside the checkout."),
    ] = None,
    no_documents: Annotated[bool, typer.Option("--no-documents", help="Build only the ontology and curated knowledge.")] = False,
) -> None:
    """Build the graph from the ontology, curated knowledge and source documents.

    The new graph replaces the served one only if the build succeeds. Unchanged
    documents are reused from the previous build. Exit status: 0 published;
    3 published, but some documents were skipped (named in the message);
    anything else: nothing was published and the previous graph still serves.
    """
    from regkg.graph.build import BuildError, BuildLocked
    from regkg.graph.build import build as run_build
    from regkg.queries.retrieval.index import derive as derive_search

    dirs = [] if no_documents else (corpus or default_corpus_dirs())
    for d in dirs:
        if not d.is_dir():
            fail(f"corpus folder not found: {d}", 2)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True
    ) as bar:
        task = bar.add_task("ontology", total=None)

        def on_progress(event: str, data: dict) -> None:
            if event == "stage":
                bar.update(task, description=data["name"])
            elif event == "documents":
                bar.update(task, total=data["total"])
            elif event == "document":
                outcome = data["outcome"]
                bar.update(task, advance=1, description=f"documents: {Path(outcome.path).name}")

        try:
            report = run_build(settings(), dirs, on_progress, derive=[derive_search])
        except BuildLocked as exc:
            fail(str(exc), 4)
        except (BuildError, StoreError, OSError) as exc:
            fail(f"build failed, nothing was published (the previous graph still serves): {exc}")
    if report.documents:
        table = Table(title="documents")
        for col in ("document", "status", "provisions", "passages", "mentions", "xrefs resolved", "note"):
            table.add_column(col)
        for d in report.documents:
            c = d.counts
            table.add_row(
                Path(d.path).name, d.status, str(c.get("provisions", "")), str(c.get("passages", "")),
                str(c.get("mentions", "")), str(c.get("xrefs_resolved", "")), d.error or "",
            )
        console.print(table)
    console.print(f"built {report.triples} triples from {report.ontology_files} ontology files "
                  f"and {len(report.documents)} documents in {report.seconds:.1f} s: build {report.build_id}")
    _print_stats(open_store())
    if report.failed:
        skipped = "; ".join(f"{d.path}: {d.error}" for d in report.failed)
        err.print(f"[bold yellow]warning:[/] published the new graph (build {report.build_id}), but skipped "
                  f"{len(report.failed)} document(s): {skipped}")
        raise typer.Exit(3)


def _print_stats(store) -> None:
    from regkg.graph.stats import graph_stats

    stats = graph_stats(store)
    table = Table(title=f"{stats.triples} triples in {stats.graphs} named graphs")
    table.add_column("class")
    table.add_column("count", justify="right")
    for cls, n in stats.by_class.items():
        table.add_row(cls, str(n))
    console.print(table)


def stats() -> None:
    """Print counts by class, so anyone can check coverage."""
    _print_stats(open_store())


def validate(
    no_owl: Annotated[bool, typer.Option("--no-owl", help="Skip the OWL consistency check (HermiT).")] = False,
) -> None:
    """Check the ontology and curated knowledge with SHACL and an OWL reasoner; exit 1 on violations."""
    from regkg.ontology.validate import validate as run_validate

    report = run_validate(owl=not no_owl)
    for e in report.errors:
        err.print(f"[red]{e}[/]")
    if not report.conforms:
        console.print(report.shacl_text)
    console.print(f"SHACL: {'conforms' if report.conforms else f'{report.violations} violation(s)'}")
    if report.owl_consistent is not None:
        console.print(f"OWL: {report.owl_message}")
    if not report.ok:
        raise typer.Exit(1)


# ------------------------------------------------------------------ named queries


def query(
    name: Annotated[Optional[str], typer.Argument(help="A named query (see --list) or a path to an .rq file.")] = None,
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="Parameter as key=value (repeatable); IRIs may be CURIEs such as regkg:modality/msc.")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    list_queries: Annotated[bool, typer.Option("--list", "-l", help="List the named queries and their parameters.")] = False,
) -> None:
    """Run a named SPARQL query of the library with parameters bound as RDF terms."""
    from regkg.queries.errors import InputError
    from regkg.queries.library import QueryUsageError, get_query, library

    if list_queries or name is None:
        table = Table(title="named queries")
        for col in ("name", "title", "parameters"):
            table.add_column(col)
        for q in library().values():
            table.add_row(q.name, q.title, ", ".join(f"{p.name}{'' if p.required else '?'}" for p in q.params))
        console.print(table)
        return
    values: dict[str, str] = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep:
            fail(f"--param takes key=value, not {item!r}", 2)
        values[key.strip()] = value
    try:
        named = get_query(name)
    except QueryUsageError as exc:
        fail(str(exc), 2)
    store = open_store()
    try:
        result = store.select(named.sparql, named.bindings_in(store, values))
    except InputError as exc:  # an unknown modality or IRI: say so (with "did you mean"), exit non-zero
        fail(str(exc), 2)
    except StoreError as exc:
        fail(str(exc))
    if fmt is not OutputFormat.table:
        sys.stdout.write(render_rows(result.variables, result.rows, fmt) + "\n")
        return
    if not result.rows:
        console.print(f"{named.title}: no rows")
        return
    shown = [v for v in result.variables if any(r.get(v) is not None for r in result.rows)]
    if len(shown) * 12 > console.width:  # too many columns to read side by side: one block per row
        console.print(f"[bold]{named.title}[/] — {len(result.rows)} row(s)")
        for n, r in enumerate(result.rows, start=1):
            console.print(f"\n[bold]{n}[/]")
            for v in shown:
                if r.get(v) is not None:
                    console.print(f"  [dim]{v}:[/] {cell(r.get(v))}", soft_wrap=True)
        return
    table = Table(title=f"{named.title} — {len(result.rows)} row(s)")
    for v in shown:
        table.add_column(v, overflow="fold")
    for r in result.rows:
        table.add_row(*[cell(r.get(v)) for v in shown])
    console.print(table)



def documents(
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
) -> None:
    """List the source documents the graph cites: title, kind, date, and how much of each text is in the graph."""
    import csv
    import io
    import json

    from regkg.queries.documents import documents as all_documents

    docs = all_documents(open_store())
    columns = ("curie", "title_ja", "title_en", "kind", "number", "issued", "provisions", "passages", "path")
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(docs, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is OutputFormat.csv:
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(columns)
        writer.writerows([[d[c] for c in columns] for d in docs])
        sys.stdout.write(buf.getvalue())
        return
    ingested = sum(1 for d in docs if d["provisions"] or d["passages"])
    table = Table(title=f"{len(docs)} document(s) cited by the graph; the text of {ingested} is in it")
    for col, justify in (("title", "left"), ("kind", "left"), ("issued", "left"), ("provisions", "right"), ("passages", "right")):
        table.add_column(col, justify=justify, overflow="fold")
    for d in docs:
        title = d["title_ja"] or d["title_en"]
        if d["number"]:
            title += f" ({d['number']})"
        table.add_row(title, d["kind"], d["issued"], str(d["provisions"] or ""), str(d["passages"] or ""))
    console.print(table)
