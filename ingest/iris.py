"""IRIs of documents and citable units (DESIGN.md, Identifiers)."""

from __future__ import annotations

import re
from pathlib import Path

from regkg.ontology.namespaces import ID, slug

from .numerals import iri_number


def doc_id_for(path: Path) -> str:
    """File stem, lower-case, ``_`` → ``-`` (``000_7B…`` → ``000-7b…``)."""
    return path.stem.lower().replace("_", "-")


def law_iri(law_id: str) -> str:
    return f"{ID}law/{law_id}"


def doc_iri(doc_id: str) -> str:
    return f"{ID}doc/{doc_id}"


def article_iri(law_id: str, number: tuple[int, ...], suppl: bool = False) -> str:
    return f"{law_iri(law_id)}/{'suppl/' if suppl else ''}art/{iri_number(number)}"


def paragraph_iri(article: str, n: int) -> str:
    return f"{article}/para/{n}"


def item_iri(parent: str, n: int | tuple[int, ...]) -> str:
    num = iri_number(n) if isinstance(n, tuple) else str(n)
    return f"{parent}/item/{num}"


def passage_iri(container: str, n: int) -> str:
    return f"{container}/p/{n}"


_KNOWN_VERSION_WORDS = {
    "制定時": "seitei-ji",
    "改正案": "kaisei-an",
    "現行": "genkou",
    "不明": "unknown",
}


def version_slug(date: str | None, label: str) -> str:
    """``2025-06-01`` when the version has a date; otherwise a readable slug of its label.

    Undated versions (the text as promulgated, 制定時) get ``seitei-ji``; other
    labels are slugged (ASCII words kept), falling back to ``undated``.
    """
    if date:
        return date
    for word, s in _KNOWN_VERSION_WORDS.items():
        if word in label:
            return s
    ascii_slug = slug(re.sub(r"\(.*?\)", "", label)) or slug(label)
    return ascii_slug[:40].strip("-") or "undated"


def version_iri(unit_iri: str, version: str) -> str:
    return f"{unit_iri}/version/{version}"
