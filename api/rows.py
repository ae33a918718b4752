"""Turn SELECT rows into plain JSON: IRIs in full, literals as their lexical value.

Citation columns (``document``, ``document_title``, ``locator``,
``provision``) are gathered into one ``citation`` object so every route
shows citations the same way.
"""

from __future__ import annotations

from regkg.graph.store import SelectResult

CITATION_COLUMNS = {"document": "document", "document_title": "title", "locator": "locator", "provision": "provision"}


def row_values(result: SelectResult) -> list[dict[str, str]]:
    return [{v: t.value for v, t in row.items() if t is not None} for row in result.rows]


def with_citations(result: SelectResult) -> list[dict]:
    """Rows with the citation columns moved into a ``citation`` object (absent when uncited)."""
    shaped = []
    for row in row_values(result):
        citation = {CITATION_COLUMNS[k]: row.pop(k) for k in list(row) if k in CITATION_COLUMNS}
        if citation:
            row["citation"] = citation
        shaped.append(row)
    return shaped
