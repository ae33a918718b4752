"""The searchable units of a graph (passages and provisions), read once per build."""

from __future__ import annotations

from dataclasses import dataclass

from regkg.graph.store import GraphStore
from regkg.queries.library import get_query


@dataclass(frozen=True)
class TextUnit:
    """One passage or provision as search sees it."""

    iri: str
    type: str  # Passage, Paragraph or Article
    text: str
    locator: str
    lang: str
    document: str
    title: str
    kind: str
    entities: tuple[str, ...]


def load_units(store: GraphStore) -> list[TextUnit]:
    """All units the ``search-units`` named query returns, in a stable order."""
    rows = get_query("search-units").run(store).rows
    out: list[TextUnit] = []
    for r in rows:
        def v(name: str) -> str:
            term = r.get(name)
            return term.value if term is not None else ""

        out.append(TextUnit(
            iri=v("unit"), type=v("unit_type").rsplit("#", 1)[-1], text=v("text"), locator=v("locator"),
            lang=v("lang") or "ja", document=v("document"), title=v("title"), kind=v("kind"),
            entities=tuple(sorted(e for e in v("entities").split() if e)),
        ))
    return out
