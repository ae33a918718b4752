"""Commands ``classify`` (ASRM risk class of a described therapy) and ``checklist`` (submission checklists)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from regkg.api.cli_common import console, fail, open_store
from regkg.config import settings
from regkg.queries.errors import InputError


def register(app: typer.Typer) -> None:
    app.command()(classify)
    app.command()(checklist)


def _help(name: str, note: str = "") -> str:
    """An option's help from the curated attribute: its allowed values (or the yes/no/unknown answers)."""
    from regkg.queries.therapy_attributes import vocabulary

    spec = vocabulary().attributes[name]
    values = spec["values"]
    choices = "true, false or unknown" if values == "boolean" else "free text" if values == "text" else ", ".join(values)
    default = f"; default {str(spec['default']).lower()}" if "default" in spec else ""
    return f"{spec['question_en']} ({choices}{default}){note}"


_RECORDED = " — recorded, not used for the class"


def classify(
    material: Annotated[Optional[str], typer.Option(help=_help("material"))] = None,
    cell_kind: Annotated[Optional[str], typer.Option(help=_help("cell_kind"))] = None,
    origin: Annotated[Optional[str], typer.Option(help=_help("origin"))] = None,
    processing: Annotated[Optional[str], typer.Option(help=_help("processing"))] = None,
    gene_introduced: Annotated[Optional[str], typer.Option(help=_help("gene_introduced"))] = None,
    homologous_use: Annotated[Optional[str], typer.Option(help=_help("homologous_use"))] = None,
    purpose: Annotated[Optional[str], typer.Option(help=_help("purpose"))] = None,
    clinical_trial: Annotated[Optional[str], typer.Option(help=_help("clinical_trial"))] = None,
    approved_product: Annotated[Optional[str], typer.Option(help=_help("approved_product"))] = None,
    route: Annotated[Optional[str], typer.Option(help=_help("route", _RECORDED))] = None,
    target: Annotated[Optional[str], typer.Option(help=_help("target", _RECORDED))] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full answer as JSON.")] = False,
) -> None:
    """Classify a described therapy into its ASRM risk class (OWL axioms + HermiT), with the criterion and its citation."""
    from regkg.queries.classify import classify as run

    given = {k: v for k, v in dict(material=material, cell_kind=cell_kind, origin=origin, processing=processing,
                                   gene_introduced=gene_introduced, homologous_use=homologous_use, purpose=purpose,
                                   clinical_trial=clinical_trial,
                                   approved_product=approved_product, route=route, target=target).items() if v is not None}
    try:
        answer = run(given, settings().cache_dir)
    except InputError as exc:
        fail(str(exc), 2)
    if as_json:
        sys.stdout.write(json.dumps(answer, ensure_ascii=False, indent=2) + "\n")
        return
    console.print(answer["explanation"]["ja"])
    console.print(answer["explanation"]["en"])
    for cite in answer["citations"]:
        console.print(f"  出典 / source: {cite['title'] or cite['document']} {cite['locator']}")
    for item in answer["undecided"]:
        options = ", ".join(f"{alt['value']} → {'/'.join(alt['outcomes'])}" for alt in item["alternatives"])
        console.print(f"  未決定 / undecided: {item['attribute']} ({options})")


def checklist(
    modality: Annotated[str, typer.Option(help="Modality: slug, CURIE, IRI, Japanese or English name or synonym, e.g. adipose-derived-msc or MSC")],
    pathway: Annotated[Optional[str], typer.Option(help="asrm-class-1|2|3, cell-processing-licence, marketing-approval, conditional-time-limited-approval, emergency-approval, ev-product-development (default: the one the modality's risk class implies)")] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="md, json, csv or xlsx (default: from the --output extension, else md)")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file (required for xlsx).")] = None,
    lang: Annotated[str, typer.Option(help="Language of the lines' values (actor, deadline, force, …): ja or en")] = "ja",
) -> None:
    """Generate a submission checklist from the graph; every line carries its citation."""
    from regkg.queries.checklist import build_checklist, export_checklist
    from regkg.queries.export import FORMATS, format_of

    if fmt is None:
        fmt = format_of(output.suffix) if output is not None and output.suffix else "md"
        if fmt not in FORMATS:
            fail(f"cannot tell the format from {output.name!r}; give --format ({', '.join(FORMATS)})", 2)
    if fmt == "xlsx" and output is None:
        fail("--format xlsx needs --output FILE", 2)
    store = open_store()
    try:
        content, _ = export_checklist(build_checklist(store, modality, pathway), fmt, lang)
    except InputError as exc:
        fail(str(exc), 2)
    if output is None:
        sys.stdout.write(content.decode("utf-8"))  # a CSV keeps its BOM, so Excel reads it from a redirect too
        return
    output.write_bytes(content)
    console.print(f"wrote {output} ({len(content)} bytes)")
