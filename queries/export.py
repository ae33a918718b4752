"""Checklist exports for plan authors: JSON, Markdown, CSV and XLSX.

Every format carries the same columns, so a line reads the same wherever it is
opened; the XLSX adds a status drop-down per line, one sheet per section, a
frozen header and print settings (landscape, fit to width, header repeated).
"""

from __future__ import annotations

import csv
import io
import json

from regkg.queries.errors import InputError

FORMATS = {
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COLUMNS = ("No.", "項目", "Item", "主体 / Actor", "提出先・書類 / Recipient or document", "期限 / Deadline",
           "リスク / Risk", "区分 / Force or kind", "出典 / Citation", "状態 / Status")


def citation_text(citations: list[dict]) -> str:
    return "; ".join(" ".join(x for x in (c["title"] or c["document"], c["locator"]) if x) for c in citations)


def rows(section) -> list[list[str]]:
    from regkg.queries.checklist import STATUS_CHOICES

    return [
        [str(n), line.item_ja, line.item_en, line.actor, line.recipient, line.deadline, line.risk, line.force,
         citation_text(line.citations), STATUS_CHOICES[0]]
        for n, line in enumerate(section.lines, start=1)
    ]


def export(checklist, fmt: str) -> tuple[bytes, str]:
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; valid: {', '.join(FORMATS)}")
    render = {"json": _json, "md": _markdown, "csv": _csv, "xlsx": _xlsx}[fmt]
    return render(checklist), FORMATS[fmt]


def _json(checklist) -> bytes:
    return json.dumps(checklist.to_dict(), ensure_ascii=False, indent=2).encode("utf-8")


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(checklist) -> bytes:
    out = [f"# {checklist.pathway_ja} / {checklist.pathway_en}", "",
           f"- モダリティ / Modality: {checklist.modality_ja} / {checklist.modality_en} (`{checklist.modality}`)"]
    for note in checklist.notes:
        out.append(f"- **注意 / Note:** {note['ja']} / {note['en']} ({citation_text(note['citations'])})")
    for section in checklist.sections:
        out += ["", f"## {section.title_ja} / {section.title_en}", ""]
        if not section.lines:
            out.append("_該当なし / none in the graph_")
            continue
        out.append("| " + " | ".join(COLUMNS) + " |")
        out.append("|" + "---|" * len(COLUMNS))
        out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows(section)]
    return ("\n".join(out) + "\n").encode("utf-8")


def _csv(checklist) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(("Section",) + COLUMNS)
    for section in checklist.sections:
        for row in rows(section):
            writer.writerow([f"{section.title_ja} / {section.title_en}"] + row)
    return buf.getvalue().encode("utf-8-sig")  # BOM: Excel opens Japanese CSV correctly


def _sheet_title(section, used: set[str]) -> str:
    base = "".join(ch for ch in (section.title_en or section.id) if ch not in "[]:*?/\\")[:28] or "Section"
    title, n = base, 1
    while title.lower() in used:
        n += 1
        title = f"{base[:26]} {n}"
    used.add(title.lower())
    return title


def _xlsx(checklist) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from regkg.queries.checklist import STATUS_CHOICES

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    widths = (5, 36, 36, 20, 24, 16, 20, 10, 48, 18)
    for section in checklist.sections:
        sheet = book.create_sheet(_sheet_title(section, used))
        sheet.append([f"{section.title_ja} / {section.title_en}"])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append(list(COLUMNS))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        for row in rows(section):
            sheet.append(row)
        for col, width in zip("ABCDEFGHIJ", widths):
            sheet.column_dimensions[col].width = width
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "B3"
        status = DataValidation(type="list", formula1='"' + ",".join(STATUS_CHOICES) + '"', allow_blank=True)
        sheet.add_data_validation(status)
        if section.lines:
            status.add(f"J3:J{len(section.lines) + 2}")
        sheet.print_title_rows = "2:2"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if not checklist.sections:
        book.create_sheet("Checklist").append(["該当なし / none"])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
