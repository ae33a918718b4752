"""Each reader on real corpus text (fixtures for XML/PDF/HTML are built at test time)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from regkg.ingest.model import ReadError
from regkg.ingest.normalize import nfkc
from regkg.ingest.readers import read
from regkg.ingest.readers.law_md import parse_paragraphs

LAW = "https://w3id.org/regkg/id/law/"


def _meta(corpus: Path, rel: str) -> dict:
    return {e["path"]: e for e in json.loads((corpus / "MANIFEST.json").read_text())}.get(rel, {})


def test_law_markdown_two_versions_of_article_1(corpus: Path) -> None:
    doc = read(corpus / "laws" / "425AC0000000085.md", _meta(corpus, "laws/425AC0000000085.md"))
    units = {u.iri: u for u in doc.units}
    art1 = units[LAW + "425AC0000000085/art/1"]
    assert art1.kind == "Article" and art1.locator == "第1条" and art1.caption == "目的"
    versions = [u for u in doc.units if u.kind == "ProvisionVersion" and u.parent == art1.iri]
    assert {v.iri.rsplit("/", 1)[1] for v in versions} == {"seitei-ji", "2025-06-01"}
    new = units[LAW + "425AC0000000085/art/1/version/2025-06-01"]
    old = units[LAW + "425AC0000000085/art/1/version/seitei-ji"]
    assert "特定細胞加工物等の製造" in new.text and "特定細胞加工物等" not in old.text
    assert new.source_url.startswith("https://legaldoc.jp/") and new.partial is False
    assert new.version_date == "2025-06-01" and old.version_date is None
    # the provision carries the latest version's text
    assert units[LAW + "425AC0000000085/art/1/para/1"].text == new.text
    # 附則 → suppl, 目次 and 参考 → passages
    assert LAW + "425AC0000000085/suppl/art/1" in units
    passages = [u for u in doc.units if u.kind == "Passage"]
    assert any(p.locator.startswith("§ 目次") for p in passages)
    assert any("参考" in p.locator for p in passages)
    assert all(len(p.text) <= 400 for p in passages)


def test_pmd_act_23_26_items(corpus: Path) -> None:
    doc = read(corpus / "laws" / "335AC0000000145.md", _meta(corpus, "laws/335AC0000000145.md"))
    units = {u.iri: u for u in doc.units}
    item = units[LAW + "335AC0000000145/art/23-26/para/1/item/1"]
    assert item.kind == "Item" and item.locator == "第23条の26第1項第1号"
    assert item.text == "申請に係る再生医療等製品が均質でないこと。"
    assert item.parent == LAW + "335AC0000000145/art/23-26/para/1"
    assert LAW + "335AC0000000145/art/23-26-2/para/1/item/3" in units


def test_a_sentence_opening_with_a_cross_reference_is_not_a_unit_heading(corpus: Path) -> None:
    """PMD Act 23-26(1) opens with "第二十三条の二十五第一項の承認…": the paragraph starts there, not mid-sentence."""
    source = corpus / "laws" / "335AC0000000145.md"
    doc = read(source, _meta(corpus, "laws/335AC0000000145.md"))
    units = {u.iri: u for u in doc.units}
    lines = source.read_text(encoding="utf-8").splitlines()
    first = lines[lines.index("## 第二十三条の二十六（条件及び期限付承認）") + 1]
    para = units[LAW + "335AC0000000145/art/23-26/para/1"]
    assert para.original_text.startswith(first)
    assert para.text.startswith("第二十三条の二十五第一項の承認の申請者が")
    # a real heading line still names its unit: 第1条第1項第2号 (用語の定義) — 変更後:
    paras = parse_paragraphs(["第1条第1項第2号 (用語の定義) — 変更後:", "「甲」とは、乙をいう。"])
    assert paras[0].number == 1 and paras[0].items[0].original == "「甲」とは、乙をいう。"


def test_paragraph_parser_numbering_styles() -> None:
    paras = parse_paragraphs(["第一条 次の各号に掲げる。", "一 甲", "二 乙", "2 前項の規定。"])
    assert [p.number for p in paras] == [1, 2]
    assert [i.number for i in paras[0].items] == [(1,), (2,)]
    paras = parse_paragraphs(["1項", "本文。", "一 号", "号の本文"])
    assert paras[0].original == "本文。" and paras[0].items[0].original == "号の本文"


def _egov_xml(corpus: Path) -> str:
    """An e-Gov 法令標準XML document made from the corpus text of PMD Act Art. 23-26 and ASRM Art. 1."""
    pmd = (corpus / "laws" / "335AC0000000145.md").read_text(encoding="utf-8")
    block = pmd.split("## 第二十三条の二十六（条件及び期限付承認）")[1].split("source:")[0].strip().splitlines()
    para1, items = block[0], block[1:4]
    asrm = (corpus / "laws" / "425AC0000000085.md").read_text(encoding="utf-8")
    art1 = re.search(r"### version: 2025-06-01\n第一条(.*)", asrm).group(1)
    item_xml = "".join(
        f'<Item Num="{n}"><ItemTitle>{"一二三"[n - 1]}</ItemTitle><ItemSentence><Sentence>{t}</Sentence></ItemSentence></Item>'
        for n, t in enumerate(items, start=1))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Law Era="Showa" Year="35" Num="145" LawType="Act" Lang="ja"><LawNum>昭和三十五年法律第百四十五号</LawNum>
<LawBody><LawTitle>医薬品、医療機器等の品質、有効性及び安全性の確保等に関する法律</LawTitle>
<TOC><TOCLabel>目次</TOCLabel><TOCChapter Num="6"><ChapterTitle>第六章　再生医療等製品の製造販売業及び製造業</ChapterTitle></TOCChapter></TOC>
<MainProvision><Chapter Num="6"><ChapterTitle>第六章</ChapterTitle>
<Article Num="23_26"><ArticleCaption>（条件及び期限付承認）</ArticleCaption><ArticleTitle>第二十三条の二十六</ArticleTitle>
<Paragraph Num="1"><ParagraphNum/><ParagraphSentence><Sentence>{para1}</Sentence></ParagraphSentence>{item_xml}</Paragraph>
<Paragraph Num="2"><ParagraphNum>２</ParagraphNum><ParagraphSentence><Sentence>前項の規定による承認を受けた者は、第二十三条の二十五第一項の規定を遵守する。</Sentence></ParagraphSentence></Paragraph>
</Article></Chapter></MainProvision>
<SupplProvision><Article Num="1"><ArticleTitle>第一条</ArticleTitle><Paragraph Num="1"><ParagraphSentence><Sentence>{art1}</Sentence></ParagraphSentence></Paragraph></Article></SupplProvision>
</LawBody></Law>"""


def test_egov_xml(corpus: Path, tmp_path: Path) -> None:
    path = tmp_path / "335AC0000000145_20240401_000000000000000.xml"
    path.write_text(_egov_xml(corpus), encoding="utf-8")
    doc = read(path)
    units = {u.iri: u for u in doc.units}
    item = units[LAW + "335AC0000000145/art/23-26/para/1/item/1"]
    assert item.locator == "第23条の26第1項第1号" and "均質でないこと" in item.text
    assert units[LAW + "335AC0000000145/art/23-26"].caption == "条件及び期限付承認"
    assert units[LAW + "335AC0000000145/art/23-26/para/2"].version_date == "2024-04-01"
    assert LAW + "335AC0000000145/suppl/art/1/para/1" in units
    assert any(u.kind == "Passage" and u.locator.startswith("§ 目次") for u in doc.units)
    assert doc.metadata["number"] == "昭和三十五年法律第百四十五号"


def test_malformed_xml_is_read_error(tmp_path: Path) -> None:
    bad = tmp_path / "335AC0000000145.xml"
    bad.write_text("<Law><LawBody><Article>", encoding="utf-8")
    with pytest.raises(ReadError, match="malformed XML"):
        read(bad)


def test_guidance_markdown(corpus: Path) -> None:
    doc = read(corpus / "guidance" / "ich-q9-r1.md", _meta(corpus, "guidance/ich-q9-r1.md"))
    assert doc.doc_iri == "https://w3id.org/regkg/id/doc/ich-q9-r1"
    ps = [u for u in doc.units if u.kind == "Passage"]
    assert ps[0].iri == "https://w3id.org/regkg/id/doc/ich-q9-r1/p/1"
    assert any(p.locator.startswith("§ ICH Q9(R1) Quality Risk Management > Japan: original Q9 notice") for p in ps)
    assert all(re.search(r"l\. \d+", p.locator) for p in ps)
    assert all(len(p.text) <= 400 for p in ps)


def test_seed_text(corpus: Path) -> None:
    doc = read(corpus / "seeds" / "000_7b30933cb355a2f0.txt")
    assert doc.doc_id == "000-7b30933cb355a2f0"
    ps = doc.units
    assert ps and all(u.kind == "Passage" and len(u.text) <= 400 for u in ps)
    assert ps[0].locator.startswith("l. 1")
    assert any("間葉系幹細胞(Mesenchymal stem cell; MSC)" in p.text for p in ps)
    # original text keeps the source wraps for quotation
    assert any("\n" in p.original_text for p in ps)


def minimal_pdf(pages: list[str]) -> bytes:
    """A valid PDF with one Helvetica text line per page (offsets computed, no library needed)."""
    objs: list[bytes] = []
    n_pages = len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    font_id = 3 + 2 * n_pages
    for i, text in enumerate(pages):
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
                    f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode())
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_pdf_pages_as_locators(tmp_path: Path) -> None:
    path = tmp_path / "Slides_Deck.pdf"
    path.write_bytes(minimal_pdf(["Sterility test of cell products.", "Mycoplasma testing per lot."]))
    doc = read(path)
    assert doc.doc_id == "slides-deck"
    assert [u.locator for u in doc.units] == ["p. 1", "p. 2"]
    assert doc.units[0].text == "Sterility test of cell products."


def test_corrupt_pdf_is_read_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    with pytest.raises(ReadError):
        read(path)


def test_html(corpus: Path, tmp_path: Path) -> None:
    guidance = (corpus / "guidance" / "iseiken-1031-soudou-riyou.md").read_text(encoding="utf-8")
    paragraph = next(line for line in guidance.splitlines() if "相同利用" in line and not line.startswith("#"))
    path = tmp_path / "notice.html"
    path.write_text(f"<html><head><title>通知</title><script>var x=1;</script></head><body>"
                    f"<h1>取扱い</h1><h2>相同利用</h2><p>{paragraph}</p></body></html>", encoding="utf-8")
    doc = read(path)
    assert doc.title == "通知"
    assert doc.units[0].locator == "§ 取扱い > 相同利用"
    assert "相同利用" in doc.units[0].text and "var x" not in doc.units[0].text


def test_law_passages_are_located_at_their_own_lines(corpus: Path) -> None:
    """Each passage of a law file (目次, 参考, an unnumbered article) names its own lines, and its text as
    read keeps one line per file line, so a citation of some of those lines can quote exactly them."""
    source = corpus / "laws" / "335AC0000000145.md"
    lines = nfkc(source.read_text(encoding="utf-8")).splitlines()
    passages = [u for u in read(source, _meta(corpus, "laws/335AC0000000145.md")).units if u.kind == "Passage"]
    assert len({p.locator for p in passages}) == len(passages) > 5
    for p in passages:
        first, last = map(int, re.search(r"l\. (\d+)–(\d+)", p.locator).groups())
        original = p.original_text.split("\n")
        assert len(original) == last - first + 1, p.locator
        for n, line in enumerate(original, start=first):
            assert line.strip().removeprefix("- ") in lines[n - 1], (p.locator, n)
