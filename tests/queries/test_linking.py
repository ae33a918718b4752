"""Entity linking: the fuzzy pre-filter keeps exactly the labels difflib would consider; head-noun variants link."""

from __future__ import annotations

import difflib
import random

import pytest

from regkg.queries.linking import FUZZY_MIN, EntityLinker, _words
from regkg.queries.retrieval.tokens import language, normalize


def _reference(labels: list[tuple[str, str]], span: str) -> tuple[str, str, float] | None:
    """The plain loop over every label (what _fuzzy did before the pre-filter), skipping the labels
    whose words are the span's with some added or dropped (another concept, not a spelling)."""
    best = None
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(span)
    for label, iri in labels:
        if _words(span) < _words(label) or _words(label) < _words(span):
            continue
        matcher.set_seq1(label)
        if matcher.real_quick_ratio() < FUZZY_MIN or matcher.quick_ratio() < FUZZY_MIN:
            continue
        ratio = matcher.ratio()
        if ratio >= FUZZY_MIN and (best is None or ratio > best[2]):
            best = (label, iri, ratio)
    return best


def test_fuzzy_matches_the_plain_difflib_loop():
    rng = random.Random(5)
    words = ["gene", "modified", "cell", "cells", "stem", "somatic", "plan", "provision", "committee",
             "certified", "regenerative", "medicine", "tumour", "risk", "off-target", "genome", "editing"]
    labels = sorted({" ".join(rng.sample(words, rng.randint(2, 4))) for _ in range(400)})
    linker = EntityLinker(annotator=None, types={}, labels={},  # type: ignore[arg-type]
                          fuzzy_labels=[(label, f"iri-{i}") for i, label in enumerate(labels)])

    def typo(text: str) -> str:
        i = rng.randrange(len(text))
        return text[:i] + rng.choice("aeiou -") + text[i + 1 :]

    spans = [typo(label) for label in rng.sample(labels, 150)] + [" ".join(rng.sample(words, 3)) for _ in range(150)]
    spans += ["gene modified cells", "zzz qqq", "細胞 gene"]
    found = 0
    for span in spans:
        want = _reference(linker.fuzzy_labels, span)
        assert linker._fuzzy(span) == want, span
        found += want is not None
    assert found > 100  # the spans do exercise matches, not only misses


def test_fuzzy_on_the_real_graph_links_a_misspelt_label(store):
    from regkg.queries.linking import get_linker

    linker = get_linker(store)
    label, iri = next((label, iri) for label, iri in linker.fuzzy_labels if len(label) > 12)
    assert linker._fuzzy(label[:-1] + ("x" if label[-1] != "x" else "y"))[:2] == (label, iri)


def test_a_misspelt_name_links_every_entity_that_bears_it(store):
    """A fuzzy span names what its label names: when several entities share the label (the
    reporting steps are all "adverse event report"), it links them all, as the exact name would."""
    from regkg.queries.linking import get_linker

    linker = get_linker(store)

    def exactly(label: str) -> set[str]:
        return {l.iri for l in linker.link(label) if (l.start, l.end) == (0, len(label)) and l.method == "ruler"}

    several = 0
    for label, _ in linker.fuzzy_labels:
        misspelt = label[:-1] + ("x" if label[-1] != "x" else "y")
        links = linker.link(misspelt)
        if len(label) > 12 and links and all(l.method == "fuzzy" and l.text == misspelt for l in links):
            spelt, _, _ = linker._fuzzy(misspelt)
            assert {l.iri for l in links} == exactly(spelt), label
            several += len(exactly(spelt)) > 1
    assert several >= 2
    assert len({l.iri for l in linker.link("adverse event reportx")}) == 4  # the four reporting steps


def test_a_saved_linker_links_as_the_one_that_was_saved(store, tmp_path):
    """The build saves its linker; one loaded from that file finds the same entities."""
    from regkg.queries.library import get_query
    from regkg.queries.linking import EntityLinker, linker_from_rows

    fresh = linker_from_rows(get_query("entity-labels").run(store).rows)
    saved = tmp_path / "linker.json"
    fresh.save(saved)
    loaded = EntityLinker.load(saved)
    texts = ["第二種再生医療等提供計画は特定認定再生医療等委員会が審査する", "自己完結型の培養アイソレータ",
             "Who reviews a plan for gene-modified cells?", "脂肪由来間葉系幹細胞を用いる治療のリスク分類", "MSCs"]
    for text in texts:
        assert loaded.link(text) == fresh.link(text)
        assert loaded.named_documents(text) == fresh.named_documents(text)
    assert any(fresh.link(t) for t in texts)
    assert loaded.named_documents("薬機法の承認") == fresh.named_documents("薬機法の承認") != set()


def test_a_broken_or_older_saved_linker_is_not_used(tmp_path):
    from regkg.queries.linking import EntityLinker

    saved = tmp_path / "linker.json"
    assert EntityLinker.load(saved) is None  # none saved
    saved.write_text("{not json", encoding="utf-8")
    assert EntityLinker.load(saved) is None
    saved.write_text('{"types": {}, "labels": {}, "fuzzy": [], "patterns": {"format": 0}}', encoding="utf-8")
    assert EntityLinker.load(saved) is None


@pytest.mark.parametrize("q", ["Which iPS cell-derived products need a Class I plan?", "iPS細胞由来製品のリスク区分は？"])
def test_a_modality_named_by_another_head_noun_links(store, q):
    from regkg.queries.linking import get_linker

    assert "https://w3id.org/regkg/id/modality/ips-derived-cells" in {l.iri for l in get_linker(store).link(q)}


@pytest.mark.parametrize("q", ["骨髄から採取した細胞を培養せずに用いる治療", "非培養の骨髄細胞", "uncultured bone-marrow cells"])
def test_a_negated_culture_links_the_uncultured_facet_not_the_cultured_one(store, q):
    from regkg.queries.linking import get_linker

    iris = {l.iri for l in get_linker(store).link(q)}
    assert "https://w3id.org/regkg/id/facet/minimally-manipulated" in iris
    assert "https://w3id.org/regkg/id/facet/cultured" not in iris


@pytest.mark.parametrize("q", ["Who may market regenerative medical products?", "再生医療等製品の製造販売には何が必要？"])
def test_the_pmd_act_product_category_links_in_either_language(store, q):
    from regkg.queries.linking import get_linker

    iris = {l.iri for l in get_linker(store).link(q)}
    assert "https://w3id.org/regkg/id/concept/regenerative-medical-product" in iris


def test_a_question_names_a_document_by_any_of_its_names(store):
    """Every name the graph gives a document (title, short name, number) finds that document in a
    question, in the question's words; a question naming none finds none."""
    from regkg.queries.library import get_query
    from regkg.queries.linking import DOCUMENT_TYPES, get_linker

    linker = get_linker(store)
    rows = [r for r in get_query("entity-labels").run(store).rows if r["type"].value in DOCUMENT_TYPES]
    assert len({r["entity"].value for r in rows}) >= 10
    found = 0
    for r in rows:
        name = r["label"].value
        q = f"{name}には何と書かれていますか？" if language(name) == "ja" else f"According to the {name}, what is required?"
        found += r["entity"].value in linker.named_documents(q)
    assert found >= 0.9 * len(rows)
    assert linker.named_documents("Which risk class do iPS cell-derived cells fall under?") == set()
    assert linker.named_documents("Under the PMD Act, who may sell the product?") == {
        "https://w3id.org/regkg/id/law/335AC0000000145"}


def test_a_kind_of_document_the_graph_has_one_of_names_it(store):
    """"the press release" is the only press release; "the guidance" (one word) or "the notice" (of
    which there are several) names none."""
    from regkg.queries.linking import get_linker

    linker = get_linker(store)
    kinds: dict[str, set[str]] = {}
    for r in store.select("SELECT ?d ?kind WHERE { ?d <https://w3id.org/regkg/ontology#documentKind> ?kind }").rows:
        kinds.setdefault(r["kind"].value, set()).add(r["d"].value)
    compound = {k: docs for k, docs in kinds.items() if " " in k and len(docs) == 1}
    assert len(compound) >= 3
    for kind, docs in compound.items():
        assert linker.named_documents(f"According to the {kind}, what is required?") == docs, kind
    for kind, docs in kinds.items():
        if len(docs) > 1 and not any(kind in label for d in docs for labels in linker.labels.get(d, {}).values()
                                     for label in labels):
            assert not linker.named_documents(f"According to the {kind}, what is required?"), kind




def test_a_name_with_a_word_more_is_not_a_fuzzy_spelling_of_it(store):
    """"regenerative medicine technology" is what every class is a kind of, not "Class I regenerative
    medicine technology" misspelt: a span whose content words are a label's with some dropped never
    links to that label's entity by fuzzy match."""
    from regkg.queries.linking import get_linker

    alone = EntityLinker(annotator=None, types={}, labels={},  # type: ignore[arg-type]
                         fuzzy_labels=[("class i regenerative medicine technology", "class-1"),
                                       ("cell line qualification", "cell-line")])
    assert alone._fuzzy("regenerative medicine technology") is None
    assert alone._fuzzy("is line qualification") is None  # "is" is no word of a name
    assert alone._fuzzy("class i regenerative medicin technology")[1] == "class-1"  # a misspelling still links
    linker = get_linker(store)
    for n in (1, 2, 3):
        iri = f"https://w3id.org/regkg/id/risk-class/class-{n}"
        label = linker.pref_label(iri, "en").lower()  # class i regenerative medicine technology
        broader = " ".join(label.split()[2:])
        assert iri not in {l.iri for l in linker.link(f"What is {broader}?")}, broader
        assert linker._fuzzy(broader) is None or linker._fuzzy(broader)[1] != iri
    assert "https://w3id.org/regkg/id/concept/regenerative-medicine-technology" in {
        l.iri for l in linker.link("What is regenerative medicine technology?")}


def test_a_japanese_name_links_with_or_without_the_no_between_its_nouns(store):
    """特定細胞加工物の製造の許可 is also written 特定細胞加工物の製造許可 and 特定細胞加工物製造許可."""
    from regkg.ingest.lexicon import _NOUN_NO
    from regkg.queries.linking import get_linker

    linker = get_linker(store)
    checked = 0
    for iri, by_lang in sorted(linker.labels.items()):
        for label in by_lang.get("ja", []):
            if not 1 <= len(_NOUN_NO.findall(label)) <= 2 or \
                    (0, len(label)) not in {(l.start, l.end) for l in linker.link(label) if l.iri == iri}:
                continue  # not a name the entity linker reads (a document's), or another name swallows it
            for variant in (_NOUN_NO.sub("", label), _NOUN_NO.sub("", label, count=1)):
                spans = {(l.start, l.end) for l in linker.link(variant) if l.iri == iri}
                assert (0, len(variant)) in spans, (label, variant)
            checked += 1
    assert checked >= 10
    # the の of もの, その is not one between nouns
    assert not _NOUN_NO.search("その他のもの")


def test_a_name_does_not_run_across_a_comma_or_a_full_stop(store):
    """"… new regenerative-medicine technologies, how is the validity defined": the words either side
    of a comma belong to different phrases, so no span across it is a (misspelt) name."""
    from regkg.queries.linking import _word_spans, get_linker

    text = "In the report on new regenerative-medicine technologies, how is the validity defined. Then cells, tissues"
    assert not any("," in span or "." in span for _, _, span in _word_spans(text))
    linker = get_linker(store)
    q = "In the research report on new regenerative-medicine technologies, how is a treatment's validity defined?"
    assert not any(l.start < q.index(",") < l.end for l in linker.link(q))
