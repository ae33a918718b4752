"""Reader for HTML (BeautifulSoup): headings give the locator path, blocks give passages."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from .. import iris
from ..model import SourceDocument
from ..normalize import nfkc
from ..passages import PassageWriter
from . import read_text_file

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BLOCKS = ("p", "li", "td", "th", "dd", "dt", "pre", "blockquote", "caption")


def read(path: Path, meta: dict) -> SourceDocument:
    """Text of block elements under the heading path; scripts, styles and navigation dropped."""
    raw = read_text_file(path)
    soup = BeautifulSoup(raw, "lxml")
    for junk in soup(["script", "style", "nav", "noscript", "header", "footer"]):
        junk.decompose()
    doc_id = iris.doc_id_for(path)
    title = meta.get("title") or (soup.title.get_text(strip=True) if soup.title else None)
    doc = SourceDocument(doc_id=doc_id, doc_iri=iris.doc_iri(doc_id), path=path, is_law=False, title=title,
                         metadata=dict(meta))
    writer = PassageWriter(doc)
    headings: list[str] = []
    body: list[str] = []

    def flush() -> None:
        if body:
            writer.add_text(nfkc("\n".join(body)), heading_path=" > ".join(headings) or None)
            body.clear()

    for el in soup.find_all([*_HEADINGS, *_BLOCKS]):
        if el.name in _HEADINGS:
            flush()
            level = int(el.name[1])
            headings[:] = headings[: level - 1] + [nfkc(el.get_text(" ", strip=True))]
        elif not el.find_parent(_BLOCKS):
            text = el.get_text("", strip=True)
            if text:
                body.append(text)
    flush()
    return doc
