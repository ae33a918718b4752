"""Checklist exports for plan authors: JSON, Markdown, CSV and XLSX.

Every format carries the same cover (modality, pathway, the risk-class decision,
date, graph build, disclaimer) and the same columns, so a line reads the same
wherever it is opened. The XLSX adds a cover sheet, one sheet per section named
in both languages, citations as links, an autofilter, a frozen header, a status
drop-down per line and print settings; the CSV starts with a BOM so Excel reads
the Japanese correctly.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox

from regkg.ontology.load import ONTOLOGY_DIR
from regkg.ontology.namespaces import ID
from regkg.queries.errors import InputError
from regkg.queries.locators import citation_place

FORMATS = {
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COLUMNS = ("No.", "項目", "Item", "主体 / Actor", "提出先・書類 / Recipient or document", "期限 / Deadline",
           "リスク / Risk", "区分 / Force or kind", "出典 / Citation", "根拠の種類 / Evidence", "状態 / Status")
KIND_EN = {"procedure": "Procedure", "plan-items": "Plan items", "tests": "Tests", "requirements": "Other requirements"}
EGOV_LAW = "https://laws.e-gov.go.jp/law/"
_LAW = str(ID["law/"])


def format_of(path_suffix: str) -> str | None:
    """The export format a file name's extension asks for (``.xlsx`` → xlsx), or None."""
    fmt = path_suffix.lower().lstrip(".")
    return {"markdown": "md", "jsonld": None}.get(fmt, fmt) if fmt else None


_EVIDENCE_KINDS = """
SELECT ?notation ?ja ?en WHERE {
  ?kind a <https://w3id.org/regkg/ontology#EvidenceKind> ; <http://www.w3.org/2004/02/skos/core#notation> ?notation .
  OPTIONAL { ?kind <http://www.w3.org/2000/01/rdf-schema#label> ?ja FILTER(lang(?ja) = "ja") }
  OPTIONAL { ?kind <http://www.w3.org/2000/01/rdf-schema#label> ?en FILTER(lang(?en) = "en") }
}
"""


def _evidence_kinds(path: Path = ONTOLOGY_DIR / "core.ttl") -> dict[str, dict[str, str]]:
    """The kinds of evidence a citation can give (law, notice, …) with their labels, as core.ttl defines them."""
    store = ox.Store()
    store.load(path.read_bytes(), ox.RdfFormat.TURTLE)
    return {r["notation"].value: {lang: r[lang].value if r[lang] else r["notation"].value for lang in ("ja", "en")}
            for r in store.query(_EVIDENCE_KINDS)}


EVIDENCE: dict[str, dict[str, str]] = _evidence_kinds()
"""Evidence kind notation (a citation's ``evidence``) → ``{"ja": "法令", "en": "law"}``."""


def evidence_kinds(citations: list[dict]) -> list[str]:
    """The distinct evidence kinds of the citations, in citation order."""
    return list(dict.fromkeys(c["evidence"] for c in citations if c.get("evidence")))


def evidence_label(kind: str, lang: str | None = None) -> str:
    """``法令 / law`` (both languages), or one language's label; an unknown kind as it is."""
    names = EVIDENCE.get(kind)
    if not names:
        return kind
    return names[lang] if lang in names else f"{names['ja']} / {names['en']}"


def evidence_text(citations: list[dict], lang: str | None = None) -> str:
    return "; ".join(evidence_label(kind, lang) for kind in evidence_kinds(citations))


def citation_label(c: dict, lang: str | None = None) -> str:
    """The document and the place, read in ``lang`` (None: as written)."""
    return " ".join(x for x in (c.get("title") or c.get("document", ""), citation_place(c, lang)) if x)


def citation_text(citations: list[dict], lang: str | None = None) -> str:
    return "; ".join(citation_label(c, lang) for c in citations)


def citation_href(c: dict, base_url: str | None = None) -> str:
    """Where a citation links: e-Gov for a law, else the unit's page on this server (or its IRI)."""
    iri = c.get("iri") or c.get("provision") or c.get("document") or ""
    if iri.startswith(_LAW):
        return EGOV_LAW + iri[len(_LAW):].split("/", 1)[0]
    if base_url and iri.startswith(str(ID)):
        return base_url.rstrip("/") + "/id/" + iri[len(str(ID)):]
    return iri


def rows(section, lang: str = "ja") -> list[list[str]]:
    """The section's lines as cells: the item in both languages, the other values in ``lang`` (ja or en)."""
    from regkg.queries.checklist import STATUS_CHOICES, in_lang

    return [
        [str(n), line.item_ja, line.item_en,
         *(in_lang(value, lang) for value in (line.actor, line.recipient, line.deadline, line.risk, line.force)),
         citation_text(line.citations, lang), evidence_text(line.citations, lang), STATUS_CHOICES[0]]
        for n, line in enumerate(section.lines, start=1)
    ]


def cover(checklist) -> list[tuple[str, str]]:
    """(field, value) pairs of the cover, both languages in each."""
    from regkg.queries.classify import outcome_labels

    outside = " / ".join(outcome_labels()["outside-asrm"])
    decision = []
    for rule in checklist.decision:
        head = (outside if rule.get("outside_asrm") == "true"
                else f"{rule.get('risk_class_ja', '')} / {rule.get('risk_class_en', '')}")
        text = f"{head}: {rule.get('criterion_ja', '')} / {rule.get('criterion_en', '')}"
        condition = " / ".join(x for x in (rule.get("condition_ja"), rule.get("condition_en")) if x)
        if condition:
            text += f"（条件 / condition: {condition}）"
        decision.append(f"{text} — {citation_text(rule.get('citations', []))}")
    out = [
        ("モダリティ / Modality", f"{checklist.modality_ja} / {checklist.modality_en}"),
        ("経路 / Pathway", f"{checklist.pathway_ja} / {checklist.pathway_en}"),
        ("リスク分類の判定 / Risk-class decision", "\n".join(decision) or "—"),
    ]
    out += [("注意 / Note", f"{n['ja']} / {n['en']} ({citation_text(n['citations'])})") for n in checklist.notes]
    out += [
        ("作成日 / Date", checklist.date),
        ("グラフのビルド / Graph build", checklist.build or "—"),
        ("IRI", checklist.modality),
        ("免責 / Disclaimer", " / ".join(checklist.disclaimer.get(k, "") for k in ("ja", "en"))),
    ]
    return out


def export(checklist, fmt: str, base_url: str | None = None, lang: str = "ja") -> tuple[bytes, str]:
    """The checklist as a file; a line's values (actor, deadline, force, …) in ``lang``, as the page that asked for it shows them."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; valid: {', '.join(FORMATS)}")
    if lang not in ("ja", "en"):
        raise InputError(f"unknown language {lang!r}; valid: ja, en")
    if fmt == "xlsx":
        return _xlsx(checklist, base_url, lang), FORMATS[fmt]
    render = {"json": _json, "md": _markdown, "csv": _csv}[fmt]
    return render(checklist, lang), FORMATS[fmt]


def _json(checklist, _lang: str) -> bytes:
    return json.dumps(checklist.to_dict(), ensure_ascii=False, indent=2).encode("utf-8")


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(checklist, lang: str) -> bytes:
    out = [f"# {checklist.pathway_ja} / {checklist.pathway_en}", ""]
    out += [f"- **{k}:** {_md_cell(v)}" for k, v in cover(checklist)]
    for section in checklist.sections:
        out += ["", f"## {section.title_ja} / {section.title_en}", ""]
        if not section.lines:
            out.append("_該当なし / none in the graph_")
            continue
        out.append("| " + " | ".join(COLUMNS) + " |")
        out.append("|" + "---|" * len(COLUMNS))
        out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows(section, lang)]
    return ("\n".join(out) + "\n").encode("utf-8")


def _csv(checklist, lang: str) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(("Section",) + COLUMNS)
    for section in checklist.sections:
        for row in rows(section, lang):
            writer.writerow([f"{section.title_ja} / {section.title_en}"] + row)
    return buf.getvalue().encode("utf-8-sig")  # BOM: Excel opens Japanese CSV correctly


_BAD_SHEET_CHARS = "[]:*?/\\"


def sheet_title(n: int, section, used: set[str]) -> str:
    """``"3 記載事項・添付書類 Plan items"``: number, Japanese title, English kind — whole words, ≤ 31 characters."""
    ja = "".join(ch for ch in section.title_ja if ch not in _BAD_SHEET_CHARS)
    en = KIND_EN.get(section.kind, "")
    for candidate in (f"{n} {ja} {en}", f"{n} {ja}", f"{n} {en}"):
        if len(candidate) <= 31 and candidate.strip() and candidate.lower() not in used:
            used.add(candidate.lower())
            return candidate
    title = f"{n} {ja}"[:31]
    used.add(title.lower())
    return title


def _xlsx(checklist, base_url: str | None, lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from regkg.queries.checklist import STATUS_CHOICES

    book = Workbook()
    front = book.active
    front.title = "表紙 Cover"
    front.append([f"{checklist.pathway_ja} / {checklist.pathway_en}"])
    front["A1"].font = Font(bold=True, size=14)
    front.append([])
    for key, value in cover(checklist):
        front.append([key, value])
        front.cell(front.max_row, 1).font = Font(bold=True)
    front.column_dimensions["A"].width = 30
    front.column_dimensions["B"].width = 110
    for row in front.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    front.append([])
    front.append(["シート / Sheets"])
    front.cell(front.max_row, 1).font = Font(bold=True)

    used: set[str] = {front.title.lower()}
    widths = (5, 36, 36, 20, 24, 16, 20, 14, 48, 18, 18)
    for n, section in enumerate(checklist.sections, start=1):
        sheet = book.create_sheet(sheet_title(n, section, used))
        front.append([f"{section.title_ja} / {section.title_en}", f"{len(section.lines)} 件 / items"])
        front.cell(front.max_row, 1).hyperlink = f"#'{sheet.title}'!A1"
        front.cell(front.max_row, 1).style = "Hyperlink"
        sheet.append([f"{section.title_ja} / {section.title_en}"])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append(list(COLUMNS))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        for line, row in zip(section.lines, rows(section, lang)):
            sheet.append(row)
            if line.citations:
                cell = sheet.cell(sheet.max_row, 9)
                cell.hyperlink = citation_href(line.citations[0], base_url)
                cell.font = Font(color="0563C1", underline="single")
        for col, width in zip("ABCDEFGHIJK", widths):
            sheet.column_dimensions[col].width = width
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "C3"
        sheet.auto_filter.ref = f"A2:K{max(len(section.lines) + 2, 2)}"
        status = DataValidation(type="list", formula1='"' + ",".join(STATUS_CHOICES) + '"', allow_blank=True)
        sheet.add_data_validation(status)
        if section.lines:
            status.add(f"K3:K{len(section.lines) + 2}")
        sheet.print_title_rows = "2:2"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    book.properties.title = f"{checklist.modality_ja} — {checklist.pathway_ja}"
    book.properties.subject = checklist.modality
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
