"""In-memory shape of a read document, shared by every reader and the triple writer.

Readers only produce these objects; nothing here knows about RDF, so a new
format needs one reader module and no change elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

UnitKind = Literal["Article", "Paragraph", "Item", "ProvisionVersion", "Passage"]


@dataclass
class Unit:
    """One citable unit: a provision, a version of one, or a passage.

    ``text`` is normalised (NFKC, joined wraps); ``original_text`` is the source
    as read, kept for quotation.
    """

    iri: str
    kind: UnitKind
    text: str
    original_text: str
    locator: str
    parent: str | None = None  # eli:is_part_of (provisions) / versionOf (versions)
    source_url: str | None = None
    version_label: str | None = None
    version_date: str | None = None  # yyyy-mm-dd
    partial: bool | None = None
    caption: str | None = None
    annotate: bool = True  # versions repeat their provision's text; annotate once is enough
    annotate_text: str | None = None  # when only part of ``text`` is the unit's own (a paragraph without its items)

    @property
    def own_text(self) -> str:
        """The text annotated for this unit, so a mention is recorded once, on the smallest unit."""
        return self.annotate_text if self.annotate_text is not None else self.text


@dataclass
class SourceDocument:
    """A document after reading: identity, metadata and its citable units."""

    doc_id: str
    doc_iri: str
    path: Path
    is_law: bool
    law_id: str | None = None
    title: str | None = None
    metadata: dict = field(default_factory=dict)
    units: list[Unit] = field(default_factory=list)

    def text_units(self) -> list[Unit]:
        """Units worth annotating (provision texts and passages, not duplicate versions)."""
        return [u for u in self.units if u.annotate and u.own_text]


class ReadError(Exception):
    """A document could not be read; the message is shown to the user as the reason."""
