"""The extractive reader: windows that keep announced lists, cross-lingual coverage, cited answers."""

from __future__ import annotations

from types import SimpleNamespace

from regkg.queries.reader import _concept_coverage, _window_ends, read, search_json


def test_a_sentence_announcing_a_list_keeps_its_items():
    index = SimpleNamespace(sentences=["次に掲げる書類を添付しなければならない。", "一 組織図", "二 品質管理の体制",
                                       "三 製造販売後安全管理の体制", "四 その他", "附則は別に定める。"])
    ends = _window_ends(index, list(range(6)), 0)
    assert ends[-1] == 4  # through the last item, not into the next paragraph
    plain = SimpleNamespace(sentences=["細胞を保管する。", "記録を残す。", "報告する。", "保存する。", "確認する。"])
    assert _window_ends(plain, list(range(5)), 0)[-1] == 2  # otherwise at most MAX_WINDOW sentences


def test_coverage_counts_a_word_through_its_translation():
    concepts = [({"storage": 1.0, "保管": 0.8}, 2.0), ({"cells": 1.0, "細胞": 1.0}, 1.0)]
    assert _concept_coverage(concepts, {"保管", "細胞"}) == (2.0 * 0.8 + 1.0) / 3.0
    assert _concept_coverage(concepts, set()) == 0.0


def test_an_english_question_is_answered_from_japanese_text_with_english_labels(store):
    from regkg.queries.linking import get_linker
    from regkg.queries.retrieval.index import get_index
    from regkg.queries.search import rank

    index, linker = get_index(store), get_linker(store)
    q = "genome editing off-target safety"
    units = [h.unit for h in rank(index, linker, q, limit=5)]
    window = read(index, linker, q, "en", units)
    assert window.unit in units and window.text
    assert window.text.replace(" ", "") in index.units[window.unit].text.replace(" ", "")
    assert 0.0 < window.coverage <= 1.0
    result = search_json(q, "en", index, linker, linker.link(q))
    assert result["method"] == "search" and result["citations"]
    assert index.units[window.unit].lang == "ja"  # the corpus says this in Japanese only
    mentioned = {l.iri for l in linker.link(window.text)} - {l.iri for l in linker.link(q)}
    assert mentioned and mentioned <= {i["iri"] for i in result["items"]}
    assert all(i["label_en"] for i in result["items"] if i["iri"] in mentioned)
