"""The searchable units of a graph (passages and provisions), read once per build.

A build saves them beside its store (:func:`save_units`), and every later start
reads that file instead of running the ``search-units`` query: about a
millisecond a unit, two minutes for 100 000 passages.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from regkg.files import write_atomically
from regkg.graph.store import GraphStore
from regkg.queries.library import get_query


class TextUnit(NamedTuple):
    """One passage or provision as search sees it (a tuple: a start makes 100 000 of them)."""

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


def save_units(units: list[TextUnit], path: Path) -> None:
    """Write the units as JSON, atomically."""
    write_atomically(path, json.dumps(units, ensure_ascii=False))


def read_units(path: Path) -> list[TextUnit] | None:
    """The units :func:`save_units` wrote; None when there are none, or the file is unreadable or
    not of this shape (the caller reads the store instead)."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(rows, list) or not all(isinstance(r, list) and len(r) == _FIELDS for r in rows):
        return None
    return [TextUnit(*row[:-1], tuple(row[-1])) for row in rows]


_FIELDS = len(TextUnit._fields)
