"""Turn SELECT rows into plain JSON: IRIs in full, literals as their lexical value."""

from __future__ import annotations

from regkg.graph.store import SelectResult


def row_values(result: SelectResult) -> list[dict[str, str]]:
    return [{v: t.value for v, t in row.items() if t is not None} for row in result.rows]
