"""Quoted phrases: which marks quote, and when a text holds a quote."""

from __future__ import annotations

import pytest

from regkg.queries.quotations import holds, quoted_phrases
from regkg.queries.retrieval.tokens import squash


@pytest.mark.parametrize(("q", "want"), [
    ("「臨床試験の試験成績に関する資料」はどう改められた？", ["臨床試験の試験成績に関する資料"]),
    ("『特定細胞加工物概要書』の記載事項は？", ["特定細胞加工物概要書"]),
    ("Who is the 'cell donor' under the Regulation?", ["celldonor"]),
    ("How is “nucleic acids etc.” defined?", ["nucleicacidsetc."]),
    ('What are "specified processed cells"?', ["specifiedprocessedcells"]),
])
def test_a_question_quotes_the_phrases_between_paired_marks(q, want):
    assert quoted_phrases(q) == want


@pytest.mark.parametrize("q", [
    "What is the committee's role and what's its term?",  # apostrophes quote nothing
    "認定委員会向けの「手引き」って拘束力はある？",  # a short quote is a name, for entity linking
    "What does the PMD Act require?",
])
def test_apostrophes_and_short_names_are_not_quotes(q):
    assert quoted_phrases(q) == []


def test_a_text_holds_a_quote_word_for_word_or_all_but_its_end():
    text = squash("第三項中「臨床試験の試験成績に関する資料その他の」を「当該申請に係る…資料」に改め")
    assert holds(text, squash("臨床試験の試験成績に関する資料その他の"))
    assert holds(text, squash("臨床試験の試験成績に関する資料その他の資料"))  # quoted from memory
    assert not holds(text, squash("臨床試験の計画に関する資料"))
    assert holds(squash("The cell donor\nmeans a person"), squash("cell donor"))
