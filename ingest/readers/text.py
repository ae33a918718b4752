"""Reader for plain text (the seeds: PDF-extracted text with wraps, stray spaces, slides)."""

from __future__ import annotations

from pathlib import Path

from .. import iris
from ..model import SourceDocument
from ..normalize import nfkc
from ..passages import PassageWriter
from . import read_text_file


def read(path: Path, meta: dict) -> SourceDocument:
    """All text as passages located by line range (the file has no other structure)."""
    raw = read_text_file(path)
    doc_id = iris.doc_id_for(path)
    doc = SourceDocument(doc_id=doc_id, doc_iri=iris.doc_iri(doc_id), path=path, is_law=False,
                         title=meta.get("title"), metadata=dict(meta))
    PassageWriter(doc).add_text(nfkc(raw), first_line=1)
    return doc


def document_text(path: Path) -> str:
    """The NFKC text that hand-labelled mention offsets (tests/data) refer to."""
    return nfkc(read_text_file(path))
