"""The extractive reader: windows that keep announced lists, cross-lingual coverage, cited answers."""

from __future__ import annotations

from types import SimpleNamespace

from regkg.queries.analysis import asked_count
from regkg.queries.reader import _concept_coverage, _weighted_concepts, _window_ends, focus, read, search_json


def test_a_sentence_announcing_a_list_keeps_its_items():
    index = SimpleNamespace(sentences=["次に掲げる書類を添付しなければならない。", "一 組織図", "二 品質管理の体制",
                                       "三 製造販売後安全管理の体制", "四 その他", "附則は別に定める。"])
    # the announcement is read with all its items, never cut inside the list, and costs as one sentence
    assert _window_ends(index, list(range(6)), 0) == [(4, 0)]
    announced = SimpleNamespace(sentences=["以下を確認することを求めている。", "1 必要な管理を行っていること", "2 知識を有する者がいること", "次。"])
    assert _window_ends(announced, list(range(4)), 0)[0] == (2, 0)
    unfinished = SimpleNamespace(sentences=["開発ドキュメントとして、", "1. QTPP", "2. CQA", "3. CPP", "4. 変更管理を整備する。", "次。"])
    assert _window_ends(unfinished, list(range(6)), 0)[0] == (4, 0)  # a sentence cut at its comma runs on
    plain = SimpleNamespace(sentences=["細胞を保管する。", "記録を残す。", "報告する。", "保存する。", "確認する。"])
    assert [j for j, _ in _window_ends(plain, list(range(5)), 0)] == [0, 1, 2]  # at most MAX_WINDOW sentences


def test_a_window_does_not_stop_at_a_question():
    qa = SimpleNamespace(sentences=["Q3: 1つの計画として提出しても良いか。", "A3: 差し支えない。", "Q4: 別の質問か？", "A4: 否。"])
    assert [j for j, _ in _window_ends(qa, list(range(4)), 0)] == [1, 3]
    english = SimpleNamespace(sentences=["Can one plan cover both?", "Yes, if the kinds do not change."])
    assert _window_ends(english, [0, 1], 0) == [(1, 0)]
    # a slide's run of questions is read through to the line that answers them
    slide = SimpleNamespace(sentences=["漏れなく検出できているか?", "感度を理解しているか?", "=偽陰性を回避できる。", "次。"])
    assert _window_ends(slide, list(range(4)), 0)[0] == (2, 0)


def test_a_sentence_that_refers_back_is_read_with_what_it_refers_to():
    text = SimpleNamespace(sentences=["遺伝子改変により核内に入るファージもある。", "その場合は安全性上の課題は大きい。",
                                      "別の話題である。", "Products are derived from cells.", "Such products need a plan.",
                                      "In that case the committee reviews it.", "Next."])
    # the back-references follow the sentence they speak of, at no extra length
    assert _window_ends(text, list(range(7)), 0)[0] == (1, 0)
    assert _window_ends(text, list(range(7)), 2)[0] == (2, 0)
    assert _window_ends(text, list(range(7)), 3)[0] == (5, 0)


def test_a_sentence_cut_inside_a_parenthesis_runs_on_to_its_end():
    # 「…区分(…をいう。)に属する…ときは、…要しない。」: the 。 inside the parenthesis ends no sentence
    text = SimpleNamespace(sentences=["製造所が製造工程の区分(品質の確保の観点から定める区分をいう。",
                                      ")に属する製造工程について基準確認証の交付を受けているときは、調査を受けることを要しない。",
                                      "別の規定である。"])
    assert _window_ends(text, list(range(3)), 0)[0] == (1, 0)


def test_a_provision_announcing_its_items_runs_on_through_them_numbered_or_not():
    # 「区分は、…(…を除く。」「)に係るものを除き、次のとおりとする。」 then the items, whose 号 numbers
    # the stored text does not show: the announcement is found in the sentence's second piece
    text = SimpleNamespace(sentences=["製造工程区分は、指定する製品(調査を受けたものを除く。", ")に係るものを除き、次のとおりとする。",
                                      "製造工程の全部又は一部を行うもの(次号に掲げるものを除く。", ")包装、表示又は保管のみを行うもの"])
    assert _window_ends(text, list(range(4)), 0, provision=True)[0] == (3, 0)
    # in a passage, unnumbered lines after an announcement are not taken for its items
    assert _window_ends(text, list(range(4)), 0)[0] == (1, 0)


def test_a_sentence_continues_the_previous_when_it_refers_back_or_closes_a_bracket_it_did_not_open():
    from regkg.ingest.segment import continues_previous

    assert continues_previous("その場合は安全性上の課題は大きい。")
    assert continues_previous(")に属する製造工程について交付を受けているときは、要しない。")
    assert continues_previous("以下この項において同じ。)に属する製造工程について")
    assert not continues_previous("製造工程の区分(品質の確保の観点から定める区分をいう。)に属する。")
    assert not continues_previous("Products are derived from cells (see Art. 2).")


def test_front_matter_ends_a_window():
    text = SimpleNamespace(sentences=["要件は二つである。", "source: https://example.org/x", "次の話題。"])
    assert _window_ends(text, [0, 1, 2], 0) == [(0, 0)]


def test_front_matter_is_not_an_answer():
    from regkg.ingest.segment import METADATA_LINE

    assert METADATA_LINE.match("- title: ICH Q5A(R2) Viral Safety Evaluation")
    assert METADATA_LINE.match("source: https://example.org/x | version: 2025")
    assert METADATA_LINE.match("- file URLs cited by third parties: https://example.org/a.pdf")
    assert not METADATA_LINE.match("- 細胞培養加工施設が構造設備の基準に適合していること。")
    assert not METADATA_LINE.match("Risk: the potential for harm")  # a capitalised term being defined is text


def test_coverage_counts_a_word_through_its_translation():
    # each term carries its own credit (idf × translation weight); a concept weighs as its best term
    concepts = [{"storage": 2.0, "保管": 1.6, "第": 0.1}, {"cells": 1.0, "細胞": 0.5}]
    assert _concept_coverage(concepts, frozenset({"保管", "細胞"})) == (1.6 + 0.5) / 3.0
    assert _concept_coverage(concepts, frozenset({"第"})) == 0.1 / 3.0  # a common word a translation offers earns little
    assert _concept_coverage(concepts, frozenset()) == 0.0


def test_an_english_question_is_answered_from_japanese_text_with_english_labels(store):
    from regkg.queries.linking import get_linker
    from regkg.queries.retrieval.index import get_index
    from regkg.queries.search import rank

    index, linker = get_index(store), get_linker(store)
    q = "genome editing off-target safety"
    units = [h.unit for h in rank(index, linker, q, limit=5)]
    window = read(index, linker, q, units, _weighted_concepts(index, linker, q, [], "en"))[0]
    assert window.unit in units and window.text
    assert window.text.replace(" ", "") in index.units[window.unit].text.replace(" ", "")
    assert 0.0 < window.coverage <= 1.0
    result = search_json(q, "en", index, linker, linker.link(q))
    assert result["method"] == "search" and result["citations"]
    assert index.units[window.unit].lang == "ja"  # the corpus says this in Japanese only
    mentioned = {l.iri for l in linker.link(window.text)} - {l.iri for l in linker.link(q)}
    assert mentioned and mentioned <= {i["iri"] for i in result["items"]}
    assert all(i["label_en"] for i in result["items"] if i["iri"] in mentioned)


def test_a_why_question_prefers_a_window_that_gives_a_reason():
    from regkg.queries.reader import _type_fit

    why = {"why": ("because", "ため", "ことから")}
    assert _type_fit(None, "1年近い歳月と膨大な費用がかかったことから、他家に移行した。", why) == 1.0
    assert _type_fit(None, "2014年に臨床試験が行われた。", why) == 0.0
    assert _type_fit(None, "It was dropped because of cost.", why) == 1.0
    count = {"how-many": ()}
    assert _type_fit(None, "国内の患者数は約40万人である。", count) == 1.0
    assert _type_fit(None, "患者数は多いとされる。", count) == 0.0


def test_a_question_that_says_how_many_fits_a_window_listing_that_many():
    from regkg.queries.reader import _type_fit

    what = {"what": ()}
    one = "- 品質に対するリスクの評価は、科学的知見に基づくべきである。"
    assert _type_fit(None, "原料細胞選抜、懸濁培養、精製", what) == 1.0  # any enumeration, when no count is asked
    assert _type_fit(None, one, what, count=2, items=1) == 0.0  # one bullet is not the two asked for
    assert _type_fit(None, one + "- 労力は程度に相応すべきである。", what, count=2, items=2) == 1.0
    assert _type_fit(None, "原料細胞選抜、懸濁培養、上清回収、精製の工程", what, count=3) == 1.0  # four parts
    # commas that join clauses enumerate nothing; a remark in parentheses is not an item
    clauses = "法に基づき、国内で実施される再生医療等に用いる細胞加工物を製造しようとする者は、施設ごとに許可を受ける。"
    assert _type_fit(None, clauses, what, count=2) == 0.0
    assert _type_fit(None, "細胞老化、がん原性(不死化・株化)、ウイルス安全性が課題である。", what, count=3) == 1.0
    assert _type_fit(None, "細胞老化、がん原性(不死化・株化)が課題である。", what, count=3) == 0.0
    assert _type_fit(None, "原料細胞選抜と懸濁培養", what, count=3) == 0.0


def test_the_lexicon_gives_reasons_as_the_answer_words_of_why(store):
    from regkg.queries.analysis import get_lexicon

    cues = get_lexicon(store).answer_cues["why"]
    assert "because" in cues and "ため" in cues


def test_a_long_window_is_cut_around_the_words_asked_about():
    text = "前置き。" * 100 + "測定法の感度を理解しているか?=偽陰性をどのくらい回避できるか?" + "後書き。" * 100
    concepts = [{"感度": 3.0}, {"測定": 2.0}, {"偽陰性": 4.0}]
    cut = focus(text, concepts, 120)
    assert "偽陰性" in cut and "感度" in cut and len(cut) <= 120
    assert cut.startswith("…") and cut.endswith("…")
    assert focus("短い文。", concepts, 120) == "短い文。"



def test_the_words_that_shape_the_answer_are_not_concepts():
    # "two" (両者 as a translation) says how many conditions to list, "list" what kind of answer is
    # wanted (挙げる): neither is what a passage must say
    translations = {"two": {"two": 1.0, "両者": 1.0}, "conditions": {"conditions": 1.0, "条件": 1.0},
                    "list": {"list": 1.0, "挙げる": 1.0}}
    index = SimpleNamespace(bm25=SimpleNamespace(idf={"両者": 5.0, "条件": 2.7, "挙げる": 4.0}),
                            bridge=lambda: SimpleNamespace(
                                concepts=lambda q: [translations[w] for w in q.split() if w in translations]))
    linker = SimpleNamespace(bridge_terms=lambda linked, lang: [])
    q = "list two conditions"
    count = asked_count(q)
    assert len(_weighted_concepts(index, linker, q, [], "en")) == 3
    assert _weighted_concepts(index, linker, q, [], "en", [(count.start, count.end), (0, 4)]) == [{"条件": 2.7}]


def test_a_word_weighs_what_it_says_in_its_own_language():
    # 再生 is common in the (Japanese) corpus; its noisy English gloss "provision" is rare. The word
    # weighs as 再生 does, and a match on a translation earns that times the translation's weight.
    idf = {"再生": 0.7, "provision": 5.2, "脳性麻痺": 5.2, "cerebral": 4.0}
    index = SimpleNamespace(bm25=SimpleNamespace(idf=idf), bridge=lambda: SimpleNamespace(
        concepts=lambda q: [{"再生": 1.0, "provision": 1.0}, {"脳性麻痺": 1.0, "cerebral": 0.5}]))
    linker = SimpleNamespace(bridge_terms=lambda linked, lang: [])
    generic, specific = _weighted_concepts(index, linker, "再生 脳性麻痺", [], "ja")
    assert generic == {"再生": 0.7, "provision": 0.7}
    assert specific == {"脳性麻痺": 5.2, "cerebral": 2.6}
    # a word the corpus does not use weighs as its best translation
    english_only = SimpleNamespace(bm25=SimpleNamespace(idf={"条件": 2.7}), bridge=lambda: SimpleNamespace(
        concepts=lambda q: [{"conditions": 1.0, "条件": 1.0}]))
    assert _weighted_concepts(english_only, linker, "conditions", [], "en") == [{"条件": 2.7}]


def test_a_linked_entity_is_matched_by_any_of_its_names():
    # 安確法 in the question; the passage says 再生医療等安全性確保法, or (in English) ASRM
    idf = {"安確": 4.0, "再生": 0.7, "安全性": 2.0, "確保": 2.0, "asrm": 4.5}
    index = SimpleNamespace(bm25=SimpleNamespace(idf=idf), bridge=lambda: SimpleNamespace(concepts=lambda q: []))
    names = {"ja": ["再生医療等安全性確保法"], "en": ["ASRM"]}
    linker = SimpleNamespace(bridge_terms=lambda linked, lang: names["en" if lang == "ja" else "ja"])
    link = SimpleNamespace(iri="law/asrm", text="安確法")
    (concept,) = _weighted_concepts(index, linker, "安確法", [link], "ja")
    assert {"安全性", "確保", "asrm"} <= concept.keys()
    assert _concept_coverage([concept], frozenset({"安全性", "確保"})) > 0  # the full name counts


def test_a_second_window_gives_what_the_best_one_leaves_out(monkeypatch):
    from regkg.queries import reader
    from regkg.queries.reader import Window

    concepts = [{"肝毒性": 3.0}, {"aav": 3.0}, {"当初": 2.0}, {"原因": 2.0}]
    topic = Window(0, 0, 0, "AAVの高用量投与で肝毒性が報告されている。", frozenset({"aav", "肝毒性"}), 0.6, 0.4)
    cause = Window(1, 5, 5, "肝毒性は当初クロスプレゼンテーションが原因とされた。", frozenset({"肝毒性", "当初", "原因"}), 0.0, 0.1)
    other = Window(0, 0, 1, "AAVの高用量投与で…(the same passage, overlapping)", frozenset({"当初", "原因"}), 0.0, 0.5)
    for w in (topic, cause, other):  # coverage as the reader computes it
        object.__setattr__(w, "coverage", _concept_coverage(concepts, w.terms))
    monkeypatch.setattr(reader, "_windows", lambda *a: [topic, cause, other])
    best, second = read(None, None, "q", [0, 1], concepts)
    assert best == topic and second.unit == 1  # an overlapping window is not a second part
    # when the best window covers the question, it is the whole answer
    monkeypatch.setattr(reader, "_windows", lambda *a: [cause, Window(2, 0, 0, "x", frozenset({"aav", "肝毒性", "当初", "原因"}), 1.0, 0.0)])
    assert len(read(None, None, "q", [0, 1], concepts)) == 1


def test_an_abbreviation_is_spelled_out_only_by_what_spells_it():
    from regkg.queries.reader import spells_out

    assert spells_out("CQA", "critical quality attribute")
    assert spells_out("QTPP", "Quality Target Product Profile")
    assert spells_out("MSC", "間葉系幹細胞")  # a Japanese name cannot be checked letter by letter
    assert not spells_out("MSC", "ADR-001, ロート製薬")  # a product code and its maker
    assert not spells_out("CPP", "see 3.2")
    assert not spells_out("EV", "2024")


def test_a_window_from_the_document_the_question_names_gains_its_credit(store):
    """"According to the MSC review, …": the review's windows gain DOCUMENT_WEIGHT, and nothing else
    changes — the same question read by a linker that knows no document names scores them less."""
    from dataclasses import replace

    from regkg.queries.linking import get_linker
    from regkg.queries.reader import DOCUMENT_WEIGHT, _windows
    from regkg.queries.retrieval.index import get_index
    from regkg.queries.search import rank

    index, linker = get_index(store), get_linker(store)
    q = "According to the MSC review, which tissues are mesenchymal stem cells taken from?"
    named = linker.named_documents(q)
    assert len(named) == 1
    blind = replace(linker, documents=None)  # ranks as if no document were named, so other documents are read too
    units = [h.unit for h in rank(index, blind, q, limit=8)]
    concepts = _weighted_concepts(index, linker, q, linker.link(q), "en")
    with_names = _windows(index, linker, q, units, concepts, None)
    without = _windows(index, blind, q, units, concepts, None)
    assert {index.units[w.unit].document in named for w in with_names} == {True, False}  # both kinds are read
    for a, b in zip(with_names, without, strict=True):
        gain = DOCUMENT_WEIGHT if index.units[a.unit].document in named else 0.0
        assert abs(a.rest - b.rest - gain) < 1e-9 and a.coverage == b.coverage
