"""Reader for Markdown guidance and notices: each heading's text becomes passages."""

from __future__ import annotations

from pathlib import Path

from .. import iris
from ..model import SourceDocument
from ..normalize import nfkc
from ..passages import PassageWriter
from . import read_text_file


def read(path: Path, meta: dict) -> SourceDocument:
    """Passages under their heading path (``§ Title > Section > Subsection, l. a–b``)."""
    raw = read_text_file(path)
    doc_id = iris.doc_id_for(path)
    doc = SourceDocument(doc_id=doc_id, doc_iri=iris.doc_iri(doc_id), path=path, is_law=False,
                         title=meta.get("title"), metadata=dict(meta))
    writer = PassageWriter(doc)
    headings: list[str] = []
    body: list[str] = []
    body_start = 1

    def flush() -> None:
        if any(line.strip() for line in body):
            writer.add_text("\n".join(body), first_line=body_start, heading_path=" > ".join(headings) or None)

    for n, line in enumerate(nfkc(raw).split("\n"), start=1):
        stripped = line.lstrip()
        level = len(stripped) - len(stripped.lstrip("#"))
        if 1 <= level <= 6 and stripped[level:level + 1] == " ":
            flush()
            title = stripped[level:].strip()
            if level == 1 and doc.title is None:
                doc.title = title
            headings[:] = headings[: level - 1] + [title]
            body, body_start = [], n + 1
        else:
            body.append(line)
    flush()
    return doc
