"""Reader for e-Gov 法令標準XML (Law/LawBody/MainProvision/…/Article/Paragraph/Item).

Article numbers come from the ``Num`` attributes (``23_26`` → 23-26), so the
kanji titles need no parsing; supplementary provisions (SupplProvision) become
``…/suppl/art/N``; the TOC becomes a passage.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from .. import iris
from ..model import ReadError, SourceDocument
from ..normalize import nfkc
from ..passages import PassageWriter
from ..provisions import ParsedArticle, ParsedItem, ParsedParagraph, ParsedVersion, article_units

_LAW_ID = re.compile(r"\d{3}[A-Z]{2}\d{10}")


def _text(el: etree._Element | None) -> str:
    """All text inside an element (Ruby readings dropped), NFKC."""
    if el is None:
        return ""
    for rt in el.iter("Rt"):
        rt.text = ""
    return nfkc("".join(el.itertext())).strip()


def _num(value: str | None, default: int = 1) -> tuple[int, ...]:
    """``23_26`` → (23, 26); ranges such as ``3:5`` keep their first number."""
    if not value:
        return (default,)
    try:
        return tuple(int(p) for p in value.split(":")[0].split("_"))
    except ValueError:
        return (default,)


def _sentences(parent: etree._Element | None) -> str:
    """Sentence text of a ParagraphSentence/ItemSentence (Columns joined by a space)."""
    if parent is None:
        return ""
    cols = parent.findall("Column")
    if cols:
        return "　".join(_text(c) for c in cols)
    return "".join(_text(s) for s in parent.findall("Sentence")) or _text(parent)


def _item(el: etree._Element) -> ParsedItem:
    item = ParsedItem(_num(el.get("Num")), _sentences(el.find("ItemSentence")), numbered=True)
    for sub in el.iter():
        tag = sub.tag if isinstance(sub.tag, str) else ""
        if re.fullmatch(r"Subitem\d+", tag):
            title = _text(sub.find(f"{tag}Title"))
            sentence = _sentences(sub.find(f"{tag}Sentence"))
            item.subitems.append(f"{title} {sentence}".strip())
    return item


def _article(el: etree._Element, suppl: bool, source_url: str | None, date: str | None) -> ParsedArticle:
    article = ParsedArticle(number=_num(el.get("Num")), caption=_text(el.find("ArticleCaption")).strip("（）()") or None,
                            suppl=suppl)
    version = ParsedVersion(label=date or None, date=date, source_url=source_url, partial=False)
    for i, p in enumerate(el.findall("Paragraph"), start=1):
        para = ParsedParagraph(_num(p.get("Num"), i)[0], _sentences(p.find("ParagraphSentence")))
        para.items = [_item(it) for it in p.findall("Item")]
        version.paragraphs.append(para)
    article.versions.append(version)
    return article


def read(path: Path, meta: dict) -> SourceDocument:
    """Parse one e-Gov XML file; malformed XML is a ReadError with the parser's message."""
    data = path.read_bytes()
    if not data.strip():
        raise ReadError("empty file")
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as e:
        raise ReadError(f"malformed XML: {e}") from None
    law = root if root.tag == "Law" else root.find(".//Law")
    if law is None or law.find("LawBody") is None:
        raise ReadError("not e-Gov law XML (no Law/LawBody element)")
    m = _LAW_ID.search(meta.get("law_id") or path.stem)
    law_id = m.group(0) if m else (meta.get("law_id") or path.stem)
    date = None
    if dm := re.search(r"_(\d{4})(\d{2})(\d{2})_", path.stem):
        date = f"{dm.group(1)}-{dm.group(2)}-{dm.group(3)}"
    body = law.find("LawBody")
    doc = SourceDocument(doc_id=iris.doc_id_for(path), doc_iri=iris.law_iri(law_id), path=path, is_law=True,
                         law_id=law_id, title=meta.get("title") or _text(body.find("LawTitle")) or None,
                         metadata=dict(meta))
    doc.metadata.setdefault("number", _text(law.find("LawNum")) or None)
    source_url = (meta.get("sources") or [None])[0]
    toc = body.find("TOC")
    writer = PassageWriter(doc, iris.law_iri(law_id))
    if toc is not None:
        writer.add_text("\n".join(_text(c) for c in toc), heading_path="目次")
    main = body.find("MainProvision")
    for art in main.iter("Article") if main is not None else []:
        doc.units.extend(article_units(law_id, _article(art, False, source_url, date)))
    for suppl in body.findall("SupplProvision"):
        if suppl.get("AmendLawNum"):
            continue  # amending acts' supplementary provisions would collide on …/suppl/art/N
        for art in suppl.iter("Article"):
            doc.units.extend(article_units(law_id, _article(art, True, source_url, date)))
    return doc
