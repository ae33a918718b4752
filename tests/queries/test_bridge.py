"""The cross-lingual bridge: JMdict, label phrases, parallel text, concept BM25, its saved table."""

from __future__ import annotations

import numpy as np

from regkg.queries.retrieval.bm25 import BM25
from regkg.queries.retrieval.bridge import Bridge, BridgeInputs, build_bridge, script_runs
from regkg.queries.retrieval.jmdict import glosses

VOCABULARY = {"保管": 3, "細胞": 10, "特定": 2, "加工": 4, "物": 5, "公益": 1, "storage": 2, "cells": 4}
PAIRS = (("specified processed cells", "特定細胞加工物", "labels"),)


def test_jmdict_gives_english_glosses_of_the_words_asked_for():
    found = list(glosses(["保管", "no-such-word"]))
    assert {g.word for g in found} == {"保管"}
    assert any(g.gloss == "storage" for g in found)
    assert all(g.sense >= 0 for g in found)


def test_english_words_get_weighted_japanese_candidates_from_jmdict():
    bridge = build_bridge(BridgeInputs(VOCABULARY, PAIRS))
    concepts = bridge.concepts("storage in the public interest")
    storage = next(c for c in concepts if "storage" in c)
    assert storage["storage"] == 1.0 and 0 < storage["保管"] <= 1.0
    assert any("公益" in c for c in concepts)  # "public interest" is one gloss: a two-word phrase


def test_a_label_phrase_wins_over_its_single_words():
    bridge = build_bridge(BridgeInputs(VOCABULARY, PAIRS))
    concepts = bridge.concepts("specified processed cells")
    assert len(concepts) == 3
    assert all({"特定", "細胞", "加工", "物"} <= c.keys() for c in concepts)
    assert bridge.gloss("specified processed cells").split()[0] in {"特定", "細胞", "加工", "物"}


def test_japanese_questions_get_english_words_of_the_corpus():
    bridge = build_bridge(BridgeInputs(VOCABULARY, PAIRS))
    concept = next(c for c in bridge.concepts("保管") if "保管" in c)
    assert "storage" in concept  # only English words the corpus uses


def test_each_source_can_be_left_out():
    labels_only = build_bridge(BridgeInputs(VOCABULARY, PAIRS), ("labels",))
    assert not any("保管" in c for c in labels_only.concepts("storage"))
    no_labels = build_bridge(BridgeInputs(VOCABULARY, PAIRS), ("jmdict", "parallel"))
    label_terms = {"特定", "細胞", "加工", "物"}
    assert not all(label_terms <= c.keys() for c in no_labels.concepts("specified processed cells"))


def test_aligned_text_raises_the_pair_it_confirms():
    vocabulary = {"収集": 2, "回収": 2, "採取": 2}
    plain = build_bridge(BridgeInputs(vocabulary))
    aligned = build_bridge(BridgeInputs(vocabulary, aligned=(("to collect samples", "検体を採取する"),)))
    before, after = plain.concepts("collect")[0], aligned.concepts("collect")[0]
    if before["採取"] < 1.0:
        assert after["採取"] > before["採取"]
    assert next(iter(after)) == "採取" or after["採取"] == 1.0


def test_the_table_survives_save_and_load(tmp_path):
    bridge = build_bridge(BridgeInputs(VOCABULARY, PAIRS))
    bridge.save(tmp_path / "bridge.tsv")
    again = Bridge.load(tmp_path / "bridge.tsv")
    assert again.concepts("specified processed cells storage") == bridge.concepts(
        "specified processed cells storage")
    assert len(again) == len(bridge)


def test_a_concept_scores_a_unit_alike_in_either_language():
    bm25 = BM25([["保管", "細胞"], ["storage", "cells"], ["other", "words"]])
    scores = bm25.concept_scores([{"storage": 1.0, "保管": 1.0}])
    assert scores[0] == scores[1] > 0 and scores[2] == 0
    # a weaker translation counts less
    weaker = bm25.concept_scores([{"storage": 1.0, "保管": 0.5}])
    assert weaker[0] < weaker[1]
    assert np.allclose(bm25.concept_scores([{"storage": 1.0}]), bm25.scores(["storage"]))


def test_the_built_index_bridges_english_to_the_corpus(store):
    from regkg.queries.retrieval.index import get_index

    bridge = get_index(store).bridge()
    assert any("細胞" in c for c in bridge.concepts("cells"))
    paths = list((get_index(store).artefacts.folder / "index").glob("bridge-*.tsv"))
    assert paths  # the table is a build artefact beside the embeddings


def test_a_quoted_term_of_the_other_script_keeps_itself_and_gains_its_translation():
    bridge = build_bridge(BridgeInputs(VOCABULARY, PAIRS))
    concepts = bridge.concepts("How is 保管 defined for cells?")
    storage = next(c for c in concepts if "保管" in c)
    assert storage["保管"] == 1.0 and "storage" in storage  # the Japanese word, then its English
    assert any("cells" in c and "細胞" in c for c in concepts)  # the English words still cross over
    assert bridge.gloss("保管 of specified processed cells")  # only the English part is glossed
    assert "保管" not in bridge.gloss("保管 of specified processed cells")


def test_script_runs_keep_numbers_with_the_japanese_around_them():
    assert script_runs("施行規則第7条 under ICH Q9(R1)") == [(True, "施行規則第7条 "), (False, "under ich q9(r1)")]


def test_a_word_missing_from_the_table_borrows_a_word_of_its_family():
    bridge = build_bridge(BridgeInputs(VOCABULARY, PAIRS))
    assert ("stored",) not in bridge.en_ja and bridge.en_ja.get(("storag",))  # JMdict glosses 保管 "storage"
    stored = bridge.concepts("stored")[0]
    assert 0 < stored["保管"] < bridge.concepts("storage")[0]["保管"]  # found, at a lower weight
    assert not any("保管" in c for c in bridge.concepts("stormy"))  # a shared start is not a family


def test_a_word_glossed_only_inside_a_phrase_borrows_the_phrase_at_a_lower_weight():
    bridge = build_bridge(BridgeInputs({"肝硬変": 1, "肝臓": 2}))  # JMdict: 肝硬変 "cirrhosis of the liver"
    cirrhosis = bridge.concepts("cirrhosis")[0]
    assert 0 < cirrhosis["肝硬変"] < 1.0
    assert "肝硬変" not in bridge.concepts("liver")[0]  # "liver" has translations of its own (肝臓)


def test_an_of_phrase_gloss_is_also_found_the_other_way_round():
    bridge = build_bridge(BridgeInputs({"肝硬変": 1}))
    phrase = bridge.concepts("liver cirrhosis")
    assert all(c.get("肝硬変") == bridge.concepts("cirrhosis of the liver")[0]["肝硬変"] for c in phrase)


def test_an_english_amount_in_words_is_also_a_concept_of_its_digits():
    """"ten thousand" is one more query concept, 10000: the term Sudachi gives 1万 in Japanese text."""
    concepts = Bridge().concepts("only ten thousand of one million cells")
    assert {"10000": 1.0} in concepts and {"1000000": 1.0} in concepts


def test_a_concept_counts_the_weighted_terms_of_a_document_together_and_its_documents_once():
    """tf is the weighted sum of the concept's terms in a document; df counts a document holding
    several of them once; a document without any gains nothing."""
    import math

    docs = [["保管", "storage", "保管"], ["storage"], ["細胞"], ["保管"]]
    bm25 = BM25(docs)
    scores = bm25.concept_scores([{"保管": 1.0, "storage": 0.5}])
    norm = bm25.k1 * (1 - bm25.b + bm25.b * bm25.lengths / bm25.avg_len)
    idf = math.log(1 + (4 - 3 + 0.5) / (3 + 0.5))  # three documents hold the concept
    for d, tf in ((0, 2.5), (1, 0.5), (3, 1.0)):
        assert math.isclose(scores[d], idf * tf * (bm25.k1 + 1) / (tf + norm[d]), rel_tol=1e-6)
    assert scores[2] == 0.0


def test_a_romanised_name_finds_the_name_in_kanji():
    """JMnedict: a person's, place's or organisation's name as English writes it meets the corpus's
    kanji (long vowels as English writes them too); a word of a name borrows it; only the names
    source gives them."""
    vocabulary = {"寺井": 1, "新潟大学": 2, "京都": 1, "大学": 5}
    bridge = build_bridge(BridgeInputs(vocabulary, ()))
    assert "寺井" in bridge.en_ja[("terai",)]
    assert "京都" in bridge.en_ja[("kyoto",)]
    niigata = next(c for c in bridge.concepts("the Niigata University press release") if "niigata" in c)
    assert "新潟大学" in niigata
    assert "新潟大学" in bridge.en_ja[("niigata",)]  # one word of the name, at a lower weight
    assert bridge.en_ja[("niigata",)]["新潟大学"] < bridge.en_ja[("niigata", "universiti")]["新潟大学"]
    assert "寺井" not in build_bridge(BridgeInputs(vocabulary, ()), sources=("jmdict",)).en_ja.get(("terai",), {})
