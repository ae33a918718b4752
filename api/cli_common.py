"""Helpers shared by the command modules: consoles, errors, opening the store, rendering rows."""

from __future__ import annotations

import csv
import io
import json
from enum import Enum

import typer
from rich.console import Console

from regkg.config import settings
from regkg.graph.store import StoreError, connect
from regkg.ontology.namespaces import compact

console = Console()
err = Console(stderr=True)


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def open_store():
    try:
        return connect(settings())
    except StoreError as exc:
        fail(str(exc))


def cell(term) -> str:
    if term is None:
        return ""
    return compact(term.value) if term.__class__.__name__ == "NamedNode" else term.value


def render_rows(variables: list[str], rows: list[dict], fmt: OutputFormat) -> str:
    if fmt is OutputFormat.json:
        return json.dumps([{v: cell(r.get(v)) for v in variables if r.get(v) is not None} for r in rows], ensure_ascii=False, indent=2)
    if fmt is OutputFormat.csv:
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(variables)
        writer.writerows([[cell(r.get(v)) for v in variables] for r in rows])
        return "\ufeff" + buf.getvalue()  # a BOM, so Excel reads the Japanese correctly
    raise ValueError(fmt)


