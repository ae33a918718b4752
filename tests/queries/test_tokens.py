"""Which language a question is in: the script most of it is written in, not any character of it."""

import pytest

from regkg.queries.retrieval.tokens import language, main_language


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
