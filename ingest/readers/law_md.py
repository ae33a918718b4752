"""Reader for the corpus Markdown law files (laws/*.md).

Layout: ``## 第N条（caption）`` per article (``## 附則第N条`` for supplementary
provisions), optional ``### version: …`` blocks with one text each, ``### 参考:``
blocks (reference material, kept as passages), ``## 目次`` / ``## 制定文`` and
other sections (passages), and after each text a provenance line
``source: URL | version: … | partial: …``. Lines in ``[…]`` are the collector's
notes, not source text, and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import iris
from ..model import SourceDocument, Unit
from ..normalize import nfkc, normalize_inline
from ..numerals import KANJI_NUM, NUM, article_number, to_int
from ..provisions import ParsedArticle, ParsedItem, ParsedParagraph, ParsedVersion, article_units
from ..segment import split_passages
from . import read_text_file

_ARTICLE_HEADING = re.compile(rf"^(附則(?:[（(][^）)]*[）)])?)?(第{NUM}条(?:の{NUM})*)\s*(?:[（(](.*)[）)])?\s*$")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_LAW_ID = re.compile(r"^\d{3}[A-Z]{2}\d{10}$")


def is_law_markdown(path: Path, meta: dict) -> bool:
    """A law file: the manifest gives a law id, or the stem is one (425AC0000000085)."""
    return bool(meta.get("law_id")) or bool(_LAW_ID.match(path.stem))


@dataclass
class _Block:
    heading: str | None  # the ### heading, None for text directly under ##
    lines: list[tuple[int, str]] = field(default_factory=list)  # (line number, text)
    source: dict[str, str] = field(default_factory=dict)


def parse_source_line(line: str) -> dict[str, str]:
    """``source: URL | version: … | partial: …`` → {"source": URL, "version": …, "partial": …}."""
    out: dict[str, str] = {}
    for part in line.split(" | "):
        key, sep, value = part.partition(":")
        if sep and key.strip().lower() in ("source", "version", "partial"):
            out[key.strip().lower()] = value.strip()
    return out


def _source_url(source: str | None) -> str | None:
    if not source:
        return None
    m = re.search(r"https?://\S+", source)
    return m.group(0) if m else None


def _partial(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.strip().lower().startswith("yes")


def _iso_date(*texts: str | None) -> str | None:
    for t in texts:
        if t and (m := _ISO_DATE.search(t)):
            return m.group(0)
    return None


_NOTE_LINE = re.compile(r"^\s*(?:\[.*|\((?:caption|[a-zA-Z][^)]*)\).*|raw as seen.*|[A-Za-z][\w.\- ]*(?:tooltip|fragment).*:\s*)$")
_EXCERPT_END = re.compile(r"\[…[^\]]*\]")
_CHAPTER_LINE = re.compile(rf"^第{NUM}[章節款目]\s")
_CAPTION_LINE = re.compile(r"^[（(][^）)]{1,40}[）)]$")
_ART_LINE = re.compile(rf"^(?:附則)?第?({NUM})条((?:の{NUM})*)(?:\s+|(?=[^\s第の0-9{KANJI_NUM}])|$)")
_PARA_LINE = re.compile(r"^(\d+)(?:項)?(?:\s+|$)(.*)$")
# A heading line that names a unit in full ("第1条第1項第2号 (用語の定義) — 変更後:"): the locator ends
# the line or is followed by a space, a caption or a dash. A sentence that merely begins with a cross
# reference ("第二十三条の二十五第一項の承認の申請者が…") is text, not a heading.
_FULL_LOC_LINE = re.compile(rf"^第{NUM}条(?:の{NUM})*第({NUM})項(?:第({NUM})号)?(?=[\s（(—]|$)\s*(?:[（(][^）)]*[）)])?\s*(?:—\s*[^:：]*[:：])?\s*(.*)$")
_NOTE_PREFIX = re.compile(r"^[A-Za-z][^:：《]*(?:tooltip|fragment)[^:：《]*[:：]\s*")
_ITEM_LINE = re.compile(rf"^([{KANJI_NUM}]+)(?:\s*号)?(?:\s+|$)(.*)$")
_SUBITEM_LINE = re.compile(r"^[イロハニホヘトチリヌ]\s")
_LISTS_ITEMS = re.compile(r"次の各号|次に掲げる")


def _content_lines(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop collector notes and the excerpt-end marker; keep source text."""
    out = []
    for n, line in lines:
        if not line.strip() or _NOTE_LINE.match(line):
            continue
        line = _NOTE_PREFIX.sub("", _EXCERPT_END.sub("", line)).rstrip()
        if line.startswith("- "):
            line = line[2:]
        if line.strip():
            out.append((n, line))
    return out


def parse_paragraphs(lines: list[str]) -> list[ParsedParagraph]:
    """Paragraphs and items of one article text, whatever numbering the source shows.

    Paragraph 1 starts the text (after 第N条), later ones start with a number
    ("2 …" or "2項"); items start with a kanji numeral ("一 …" or "一 号").
    Unnumbered lines after a paragraph that announces items (次の各号…) are
    taken as its items in order; other unnumbered lines continue the paragraph.
    """
    paras: list[ParsedParagraph] = []
    pending_item: ParsedItem | None = None  # "一 号" line whose text is on the next line

    def current() -> ParsedParagraph:
        if not paras:
            paras.append(ParsedParagraph(1, ""))
        return paras[-1]

    def add_text(text: str) -> None:
        nonlocal pending_item
        if pending_item is not None:
            pending_item.original = text
            pending_item = None
            return
        para = current()
        if not para.original:
            para.original = text
        elif para.items:
            if _SUBITEM_LINE.match(text) or not _LISTS_ITEMS.search(para.original) or para.items[-1].numbered:
                para.items[-1].subitems.append(text)
            else:
                para.items.append(ParsedItem((len(para.items) + 1,), text))
        elif _LISTS_ITEMS.search(para.original) and not _SUBITEM_LINE.match(text):
            para.items.append(ParsedItem((1,), text))
        else:
            para.original += "\n" + text

    for raw in lines:
        line = raw.strip()
        if not line or _CHAPTER_LINE.match(line) or _CAPTION_LINE.match(line):
            continue
        if m := _ART_LINE.match(line):
            if not paras:
                rest = line[m.end():].strip()
                paras.append(ParsedParagraph(1, ""))
                m2 = _PARA_LINE.match(rest)
                if m2 and m2.group(1) == "1":
                    rest = m2.group(2)
                if rest:
                    add_text(rest)
                continue
        if m := _PARA_LINE.match(line):
            n = int(m.group(1))
            if n == 1 and paras and not paras[-1].original:
                paras[-1].original = m.group(2)
            elif n >= 1:
                paras.append(ParsedParagraph(n, m.group(2)))
            pending_item = None
            continue
        if m := _FULL_LOC_LINE.match(line):
            n = to_int(m.group(1))
            para = next((p for p in paras if p.number == n), None)
            if para is None:
                para = ParsedParagraph(n, "")
                paras.append(para)
            if m.group(2):
                item = ParsedItem((to_int(m.group(2)),), m.group(3), numbered=True)
                para.items.append(item)
                pending_item = None if m.group(3) else item
            elif m.group(3):
                para.original = m.group(3)
            continue
        if (m := _ITEM_LINE.match(line)) and paras:
            item = ParsedItem((to_int(m.group(1)),), m.group(2), numbered=True)
            current().items.append(item)
            pending_item = None if m.group(2) else item
            continue
        add_text(line)
    return [p for p in paras if p.original or p.items]


def read(path: Path, meta: dict) -> SourceDocument:
    """Parse a corpus law file into articles (with versions) and passages."""
    raw = read_text_file(path)
    law_id = meta.get("law_id") or path.stem
    doc = SourceDocument(doc_id=iris.doc_id_for(path), doc_iri=iris.law_iri(law_id), path=path,
                         is_law=True, law_id=law_id, metadata=dict(meta))
    lines = nfkc(raw).split("\n")
    sections: list[tuple[str, int, list[tuple[int, str]]]] = []
    for n, line in enumerate(lines, start=1):
        if line.startswith("# ") and not sections:
            doc.title = doc.title or line[2:].strip()
            continue
        if line.startswith("## "):
            sections.append((line[3:].strip(), n, []))
        elif sections:
            sections[-1][2].append((n, line))
    doc.title = meta.get("title") or doc.title
    passage_no = 0
    for heading, _start, body in sections:
        blocks = _blocks(body)
        m = _ARTICLE_HEADING.match(heading)
        number = article_number(m.group(2)) if m else None
        if heading.upper().startswith("NOT FOUND"):
            continue
        if number is None:
            for block in blocks:
                passage_no = _add_passages(doc, law_id, heading, block, passage_no)
            continue
        article = ParsedArticle(number=number, caption=_caption(m.group(3)), suppl=bool(m.group(1)))
        for block in blocks:
            if block.heading and not block.heading.lower().startswith("version"):
                passage_no = _add_passages(doc, law_id, heading, block, passage_no)
                continue
            label = block.heading.partition(":")[2].strip() if block.heading else block.source.get("version")
            if block.heading:
                article.explicit_versions = True
            text_lines = [t for _, t in _content_lines(block.lines)]
            article.versions.append(ParsedVersion(
                label=label, date=_iso_date(block.heading, block.source.get("version")),
                source_url=_source_url(block.source.get("source")), partial=_partial(block.source.get("partial")),
                paragraphs=parse_paragraphs(text_lines)))
        doc.units.extend(article_units(law_id, article))
    return doc


def _caption(text: str | None) -> str | None:
    """The article caption, unless the collector noted that none was shown."""
    if not text or "not shown" in text or "見出し" in text:
        return None
    return text.strip()


def _blocks(body: list[tuple[int, str]]) -> list[_Block]:
    """Split a ## section at ### headings; attach each block's source line."""
    blocks = [_Block(None)]
    for n, line in body:
        if line.startswith("### "):
            blocks.append(_Block(line[4:].strip()))
        elif line.startswith("source:"):
            blocks[-1].source = parse_source_line(line)
        else:
            blocks[-1].lines.append((n, line))
    return [b for b in blocks if b.heading or any(t.strip() for _, t in b.lines)]


def _add_passages(doc: SourceDocument, law_id: str, heading: str, block: _Block, passage_no: int) -> int:
    """Non-provision text of a law file (目次, 制定文, 参考 …) as bounded passages."""
    content = _content_lines(block.lines)
    if not content:
        return passage_no
    path = heading + (f" > {block.heading}" if block.heading else "")
    text = "\n".join(t for _, t in content)
    for chunk in split_passages(text):
        passage_no += 1
        first, last, original = _chunk_lines(text, chunk.start, chunk.end, content)
        doc.units.append(Unit(
            iri=iris.passage_iri(iris.law_iri(law_id), passage_no), kind="Passage",
            text=normalize_inline(chunk.text), original_text=original,
            locator=f"§ {path} (l. {first}–{last})",
            parent=iris.law_iri(law_id), source_url=_source_url(block.source.get("source")),
            version_label=block.source.get("version"), partial=_partial(block.source.get("partial")),
        ))
    return passage_no


def _chunk_lines(text: str, start: int, end: int, content: list[tuple[int, str]]) -> tuple[int, int, str]:
    """The file lines a passage spans and its original text with one line per file line.

    A collector's note between two source lines is left out of the passage but keeps its
    (empty) line, so line ``n`` of the file is line ``n - first`` of the original text and a
    citation of some of the passage's lines can quote exactly those.
    """
    piece = text[start:end]
    start += len(piece) - len(piece.lstrip())
    end = start + len(piece.strip())
    i, j = text.count("\n", 0, start), text.count("\n", 0, max(start, end - 1))
    own = text[start:end].split("\n")  # content lines i..j, the first and last possibly in part
    by_number = {content[i + k][0]: line for k, line in enumerate(own)}
    first, last = content[i][0], content[j][0]
    return first, last, "\n".join(by_number.get(n, "") for n in range(first, last + 1))
