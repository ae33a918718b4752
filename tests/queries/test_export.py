"""Checklist exports open cleanly: a cover, bilingual sheet names, linked citations, filters, a CSV BOM."""

from __future__ import annotations

import io

import pytest

from regkg.queries.checklist import build_checklist
from regkg.queries.errors import InputError
from regkg.queries.export import citation_href, export, format_of
from regkg.queries.export import rows as export_rows


@pytest.fixture(scope="module")
def checklist(store):
    return build_checklist(store, "adipose-derived-msc", "asrm-class-2")


def test_xlsx_cover_sheets_links_and_filters(checklist):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(export(checklist, "xlsx")[0]))
    cover = book.worksheets[0]
    text = " ".join(str(c.value) for row in cover.iter_rows() for c in row if c.value)
    assert "脂肪組織由来幹細胞" in text and "adipose-derived MSC" in text
    assert checklist.build in text and checklist.date in text and "第二種" in text
    for sheet in book.worksheets[1:]:
        assert len(sheet.title) <= 31
        assert any("\u3040" <= ch <= "\u9fff" for ch in sheet.title) and any(ch.isascii() and ch.isalpha() for ch in sheet.title)
        assert sheet.freeze_panes == "C3"
        if sheet.max_row > 2:
            assert sheet.auto_filter.ref.startswith("A2:K")
    links = [c.hyperlink.target for s in book.worksheets[1:] for c in s["I"] if c.hyperlink]
    assert links and any(link.startswith("https://laws.e-gov.go.jp/law/") for link in links)


def test_csv_has_a_bom_and_markdown_a_cover(checklist):
    assert export(checklist, "csv")[0].startswith(b"\xef\xbb\xbf")
    md = export(checklist, "md")[0].decode()
    assert "モダリティ / Modality" in md and checklist.build in md


def test_citation_links():
    law = {"iri": "https://w3id.org/regkg/id/law/425AC0000000085/art/4/para/1"}
    assert citation_href(law) == "https://laws.e-gov.go.jp/law/425AC0000000085"
    doc = {"iri": "https://w3id.org/regkg/id/doc/x/p/3"}
    assert citation_href(doc, "http://127.0.0.1:8000") == "http://127.0.0.1:8000/id/doc/x/p/3"


def test_format_from_the_file_name():
    assert format_of(".xlsx") == "xlsx" and format_of(".CSV") == "csv" and format_of(".markdown") == "md"


def test_evidence_column_names_each_kind_in_the_exports_language(checklist):
    from regkg.queries.export import COLUMNS, EVIDENCE, evidence_label

    assert set(EVIDENCE) == {"law", "notice", "guidance", "practice", "secondary"}  # as core.ttl defines them
    assert evidence_label("law") == "法令 / law" and evidence_label("law", "ja") == "法令"
    column = COLUMNS.index("根拠の種類 / Evidence")
    for lang in ("ja", "en"):
        rows = [row for section in checklist.sections for row in export_rows(section, lang)]
        assert rows and all(row[column] for row in rows)
        assert all(part in {evidence_label(k, lang) for k in EVIDENCE} for row in rows for part in row[column].split("; "))


def test_a_lines_values_are_in_the_exports_language(checklist):
    """The actor, recipient, deadline, risk and force cells show one language's label, as the page does."""
    from regkg.queries.export import COLUMNS

    cells = slice(COLUMNS.index("主体 / Actor"), COLUMNS.index("区分 / Force or kind") + 1)
    by_lang = {lang: [row[cells] for s in checklist.sections for row in export_rows(s, lang)] for lang in ("ja", "en")}
    for lang, rows in by_lang.items():
        assert not any(" / " in cell for row in rows for cell in row), lang
    japanese = lambda text: any("\u3040" <= ch <= "\u9fff" for ch in text)
    assert any(japanese(cell) for row in by_lang["ja"] for cell in row)
    forces = {row[-1] for row in by_lang["en"] if row[-1]}
    assert forces and not any(japanese(f) for f in forces), forces
    with pytest.raises(InputError, match="valid: ja, en"):
        export(checklist, "csv", lang="fr")
