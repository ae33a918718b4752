"""Which language a question is in, and the terms BM25 reads from a text."""

import pytest

from regkg.queries.retrieval.tokens import language, main_language, number_terms, terms


@pytest.mark.parametrize("text, expected", [
    ("How is 核酸等 ('nucleic acids etc.') defined for the amended ASRM?", "en"),
    ("What did the 安確法 change about who may culture cells for a clinic?", "en"),
    ("ICH Q9(R1)の改訂で追加された概念は何ですか？", "ja"),
    ("MSCを用いる治療のリスク区分は？", "ja"),
    ("What is the risk class of MSC?", "en"),
    ("再生医療等製品", "ja"),
])
def test_a_question_is_in_the_language_most_of_it_is_written_in(text, expected):
    assert main_language(text) == expected


def test_a_label_with_any_japanese_is_matched_as_japanese():
    assert language("in vitro転写") == "ja" and language("in vitro transcription") == "en"


@pytest.mark.parametrize("english, japanese", [
    ("only ten thousand of one million cells", "1万個しかない。100万個の細胞"),
    ("about four hundred thousand patients", "約40万人の患者"),
    ("a market of 1.5 billion dollars", "15億ドルの市場"),
    ("two hundred and fifty thousand", "25万"),
])
def test_a_large_number_in_english_words_meets_its_japanese_digits(english, japanese):
    """Sudachi writes 1万 as 10000; an English amount in words gives the same term."""
    numbers = set(number_terms(english))
    assert numbers and numbers <= set(terms(japanese))


@pytest.mark.parametrize("text", ["one of the two rules", "twenty-one days", "1,000 cells", "thousands of cells",
                                  "ICH Q5A", ""])
def test_small_numbers_digits_and_vague_amounts_add_no_number_term(text):
    """Numbers below a thousand and digits are words already; "thousands" is no amount."""
    assert number_terms(text) == []


def test_a_list_whose_lines_were_joined_keeps_each_number_with_its_item():
    from regkg.queries.retrieval.tokens import sentences

    # 「2. 品質・製造管理 3. 科学的根拠」: no sentence ends at "3.", which would leave the item
    # 「科学的根拠」 without its number (and so not a list item to the reader)
    assert sentences("指標としては、 1. 情報の蓄積 2. 品質・製造管理 3. 科学的根拠") == [
        "指標としては、 1. 情報の蓄積 2. 品質・製造管理 3. 科学的根拠"]
    assert sentences("1. 情報の蓄積\n2. 品質・製造管理\n10. 実施体制") == ["1. 情報の蓄積", "2. 品質・製造管理", "10. 実施体制"]
    # an English note's full stop ends it where Japanese text follows without a space (lines joined)
    assert sentences("do not treat as authoritative.一般原則及び基本的考え方。1.5倍に増えた。") == [
        "do not treat as authoritative.", "一般原則及び基本的考え方。", "1.5倍に増えた。"]
    # a full stop after a word or a year still ends a sentence
    assert sentences("The plan was filed in 2024. It was reviewed. Then approved.") == [
        "The plan was filed in 2024.", "It was reviewed.", "Then approved."]
