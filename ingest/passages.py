"""Turn a stretch of running text into bounded, located passage units.

Shared by every non-legal reader: normalise (keeping an offset map), cut at
sentence boundaries, and give each passage a locator a person can follow —
the heading path and/or the line range (or page) it came from.
"""

from __future__ import annotations

import bisect

from . import iris
from .model import SourceDocument, Unit
from .normalize import normalize_inline, normalize_with_map
from .segment import MAX_CHARS, split_passages


class PassageWriter:
    """Numbers passages of one document consecutively (``…/p/1``, ``…/p/2`` …)."""

    def __init__(self, doc: SourceDocument, container_iri: str | None = None) -> None:
        self.doc = doc
        self.container = container_iri or doc.doc_iri
        self.count = 0

    def add_text(self, nfkc_text: str, *, first_line: int | None = None, heading_path: str | None = None,
                 page: int | None = None, max_chars: int = MAX_CHARS) -> None:
        """Add passages for ``nfkc_text`` (already NFKC), whose first line is ``first_line`` of the file."""
        clean, offsets = normalize_with_map(nfkc_text)
        if not clean:
            return
        newlines = [i for i, ch in enumerate(nfkc_text) if ch == "\n"]
        for chunk in split_passages(clean, max_chars):
            lead = len(clean[chunk.start:chunk.end]) - len(clean[chunk.start:chunk.end].lstrip())
            o_start = offsets[chunk.start + lead]
            o_end = offsets[max(chunk.start + lead, min(chunk.end, len(offsets)) - 1)]
            original = nfkc_text[o_start : o_end + 1]
            parts = []
            if heading_path:
                parts.append(f"§ {heading_path}")
            if page is not None:
                parts.append(f"p. {page}")
            if first_line is not None:
                a = first_line + bisect.bisect_left(newlines, o_start)
                b = first_line + bisect.bisect_left(newlines, o_end)
                parts.append(f"l. {a}" if a == b else f"l. {a}–{b}")
            self.count += 1
            self.doc.units.append(Unit(
                iri=iris.passage_iri(self.container, self.count), kind="Passage",
                text=normalize_inline(chunk.text), original_text=original,
                locator=", ".join(parts) or f"passage {self.count}", parent=self.doc.doc_iri,
            ))
