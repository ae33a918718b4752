from pathlib import Path

from regkg.ingest.normalize import nfkc, normalize, normalize_with_map
from regkg.ingest.numerals import article_number, iri_number, locator_number, to_int


def test_nfkc_folds_kangxi_radicals_in_seed_003(corpus: Path) -> None:
    raw = (corpus / "seeds" / "003_35fcc31887c68d9f.txt").read_text(encoding="utf-8")
    assert "\u2f24" in raw  # ⼤ KANGXI RADICAL BIG, as extracted from the PDF
    text = normalize(raw)
    assert "\u2f24" not in text and "新潟大学大学院" in text
    assert "歯学" in text  # ⻭ (CJK radicals supplement) folded too


def test_full_width_and_spaces_between_japanese() -> None:
    assert normalize("第２３条　の　規定") == "第23条の規定"
    assert normalize("効果 又は性能") == "効果又は性能"
    assert normalize("ICH Q5A (R2) test") == "ICH Q5A (R2) test"


def test_line_wraps_joined_inside_sentences_only(corpus: Path) -> None:
    raw = (corpus / "seeds" / "001_4cca66a7f5034154.txt").read_text(encoding="utf-8")
    text = normalize(raw)
    # the PDF wraps "人体" / "が元来持っている" across a blank line
    assert "人体が元来持っている「再生力」" in text
    # a heading stays on its own line
    assert "\n1 再生医療とその歴史\n" in text


def test_offset_map_points_into_nfkc_text(corpus: Path) -> None:
    t = nfkc((corpus / "seeds" / "000_7b30933cb355a2f0.txt").read_text(encoding="utf-8"))
    clean, offsets = normalize_with_map(t)
    assert len(clean) == len(offsets)
    assert all(clean[i] == t[offsets[i]] for i in range(len(clean)) if not clean[i].isspace())


def test_article_numbers() -> None:
    assert to_int("百四十五") == 145 and to_int("二十三") == 23 and to_int("12") == 12
    parts = article_number("第二十三条の二十六の二")
    assert parts == (23, 26, 2)
    assert iri_number(parts) == "23-26-2"
    assert locator_number((23, 26)) == "第23条の26"


def test_a_unit_keeps_one_line_per_list_item():
    from regkg.ingest.normalize import normalize_inline

    text = "次の三つの\n概念が導入された。\n- 形式性\n- リスクに基づく\n意思決定\n- 主観性"
    assert normalize_inline(text).split("\n") == ["次の三つの概念が導入された。", "- 形式性", "- リスクに基づく意思決定", "- 主観性"]
    assert normalize_inline("A sentence that\nwraps.\n1. first\n2. second") == "A sentence that wraps.\n1. first\n2. second"
    assert "\n" not in normalize_inline("折り返した\n文です。\nもう一文。")  # layout breaks still go
