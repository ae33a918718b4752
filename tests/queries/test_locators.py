"""Locators read in the page language: structured parts from their structure, English notes from curated data."""

from __future__ import annotations

import re

import pytest

from regkg.queries.citations import section_heading
from regkg.queries.locators import latin_words, locator_forms, locator_text

ASRM = "https://w3id.org/regkg/id/law/425AC0000000085"


def test_lines_pages_and_slides_read_in_japanese():
    assert locator_text("§ 細胞の品質管理について (一般的な指標), l. 102–104", "ja") == "§ 細胞の品質管理について (一般的な指標), 102–104行"
    assert locator_text("§ 研究班中間報告 p.6 (微生物等の混入リスク), l. 37", "ja") == "§ 研究班中間報告 6頁 (微生物等の混入リスク), 37行"
    assert locator_text("slide 多くの場合、作用機序, l. 278-284; slides 指針, l. 76", "ja") == "スライド 多くの場合、作用機序, 278–284行; スライド 指針, 76行"
    assert locator_text("§ 細胞の品質管理について, l. 92–100; Fig. qPCR解析, l. 120–126", "ja") == "§ 細胞の品質管理について, 92–100行; 図 qPCR解析, 120–126行"
    assert locator_text("§ heading, l. 5", "en") == "§ heading, l. 5"
    assert locator_text("§ heading, l. 5", None) == "§ heading, l. 5"  # a bilingual document keeps it as written


def test_a_provision_reads_from_its_numbers_in_either_language():
    assert locator_text("第23条の25第2項第3号", "en") == "Art. 23-25(2), item 3"
    assert locator_text("附則第3条", "en") == "Suppl. Art. 3"
    assert locator_text("第4条第1項（号番号未検証）", "en") == "Art. 4(1)（号番号未検証）"  # the note keeps its words
    assert locator_text("", "ja", f"{ASRM}/art/4/para/1/item/3") == "第4条第1項第3号"
    assert locator_text("", "en", f"{ASRM}/art/4/para/1/item/3") == "Art. 4(1), item 3"
    assert locator_text("令和6年法律第51号附則第3条", "en") == "令和6年法律第51号附則第3条"  # not a locator's own article


def test_an_english_note_reads_in_its_curated_japanese_form():
    written = "§ 説明文書・同意文書の記載事項 (secondary)"
    assert locator_text(written, "ja") == "§ 説明文書・同意文書の記載事項（二次資料）"
    assert locator_text(written, "en") == written
    assert locator_text("第2条（第一種再生医療等技術）— item text not in corpus", "ja") == "第2条（第一種再生医療等技術）— 号の本文はコーパスにない"


def _numbers(text: str) -> list[str]:
    return sorted(re.findall(r"\d+", text))


#: lower-case Latin words the Japanese sources themselves write inside their Japanese text
SOURCE_TERMS = {"vivo", "vitro", "on-target", "off-target"}


def _english_prose(written: str) -> list[str]:
    """Lower-case English words a Japanese page would show for this locator, beyond the headings an English
    source gives its sections (what a reader looks for in it) and the sources' own terms."""
    headings = " ".join(section_heading(part) for part in written.split(";"))
    return [w for w in latin_words(locator_text(written, "ja")) if len(w) >= 3 and w.islower()
            and w not in headings and w not in SOURCE_TERMS]


def test_every_curated_locator_reads_in_japanese():
    """A locator whose note is written in English has its curated Japanese form (ontology/locator-forms.ttl)."""
    import pyoxigraph as ox

    from regkg.ontology.load import ONTOLOGY_DIR

    store = ox.Store()
    for path in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        store.load(path.read_bytes(), ox.RdfFormat.TURTLE)
    written = {r["l"].value for r in store.query("SELECT DISTINCT ?l WHERE { ?c <https://w3id.org/regkg/ontology#locator> ?l }")}
    assert len(written) > 400
    english = sorted(w for w in written if _english_prose(w))
    assert not english, f"add a Japanese form to ontology/locator-forms.ttl for: {english[:10]}"


@pytest.mark.parametrize("written", sorted(locator_forms()))
def test_a_curated_form_names_the_same_places_and_no_new_fact(written):
    """Same numbers (sections, pages, lines, articles, dates) as the locator it renders, and no English prose."""
    form = locator_forms()[written]
    assert _numbers(form) == _numbers(written), (written, form)
    assert not _english_prose(written), form
