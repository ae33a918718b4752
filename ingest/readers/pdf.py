"""Reader for PDF (pypdf text extraction); passages are located by page."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from .. import iris
from ..model import ReadError, SourceDocument
from ..normalize import nfkc
from ..passages import PassageWriter


def read(path: Path, meta: dict) -> SourceDocument:
    """One or more passages per page, ``p. N`` in the locator; corrupt PDFs are a ReadError."""
    if path.stat().st_size == 0:
        raise ReadError("empty file")
    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as e:
        raise ReadError(f"unreadable PDF: {e}") from None
    if not any(p.strip() for p in pages):
        raise ReadError("PDF has no extractable text")
    doc_id = iris.doc_id_for(path)
    title = meta.get("title")
    if not title and reader.metadata and reader.metadata.title:
        title = str(reader.metadata.title)
    doc = SourceDocument(doc_id=doc_id, doc_iri=iris.doc_iri(doc_id), path=path, is_law=False, title=title,
                         metadata=dict(meta))
    writer = PassageWriter(doc)
    for n, text in enumerate(pages, start=1):
        writer.add_text(nfkc(text), page=n)
    return doc
