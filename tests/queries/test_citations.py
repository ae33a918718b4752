"""Citations a reader can check: every quote is text of the unit its IRI names.

Checked over the answers to the large dev question set and over the checklist
of every modality on every pathway, plus the pieces that locate a cited place.
A quote whose locator gives line numbers is checked against those lines of the
source file itself, as a reader with the file open would check it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regkg.ingest.cited_units import official_page
from regkg.ingest.normalize import nfkc, normalize_inline
from regkg.ingest.segment import METADATA_LINE
from regkg.queries.checklist import PATHWAYS, build_checklist
from regkg.ontology.namespaces import expand_curie
from regkg.queries.citations import (CitationBuilder, CorpusText, Source, corpus_text, line_ranges, section_heading,
                                     within_lines)
from regkg.queries.retrieval.units import TextUnit

EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev_qa_large.jsonl"
EVIDENCE = {"law", "notice", "guidance", "practice", "secondary"}
DOC = "https://w3id.org/regkg/id/doc/x"


def _same(text: str) -> str:
    """Text compared without whitespace: search joins a unit's sentences without the line breaks between them."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def source_files(store, corpus_dir) -> dict[str, str]:
    """Document IRI → the text of its corpus file (NFKC, as the build reads it)."""
    rows = store.select("SELECT ?d ?p WHERE { ?d rko:corpusPath ?p }").rows
    return {r["d"].value: nfkc((corpus_dir / r["p"].value).read_text(encoding="utf-8")) for r in rows}


def assert_checkable(corpus: CorpusText, citations: list[dict], where: str, files: dict[str, str]) -> int:
    """Every quote is text of its unit, and of its cited lines in the source file; returns how many
    quotes were checked against lines."""
    at_lines = 0
    for c in citations:
        assert c["evidence"] in EVIDENCE, (where, c)
        if not c["quote"]:
            assert c.get("note"), (where, c)
            continue
        text = corpus.unit_text(c["iri"])
        assert text is not None, f"{where}: quote from {c['iri']}, which has no text"
        assert not METADATA_LINE.match(c["quote"]), (where, c)  # front matter is not what a source says
        # a long passage is quoted around the words asked about: cut (…) at either end
        assert _same(c["quote"]).removeprefix("…").removesuffix("…") in _same(text), (where, c)
        if line_ranges(c["locator"]):
            assert within_lines(c["quote"], files[expand_curie(c["document"])], c["locator"]), \
                f"{where}: quote outside the cited lines {c}"
            at_lines += 1
    return at_lines


def test_answer_citations_quote_the_cited_unit_once_per_place(store, source_files):
    from regkg.queries.ask import ask

    corpus = corpus_text(store)
    quoted = at_lines = 0
    for line in EVAL.read_text(encoding="utf-8").splitlines():
        q = json.loads(line)["q"]
        citations = ask(store, q)["citations"]
        at_lines += assert_checkable(corpus, citations, q, source_files)
        places = [(c["document"], c["locator"]) for c in citations]
        assert len(places) == len(set(places)), q
        quoted += sum(1 for c in citations if c["quote"])
    assert quoted > 50 and at_lines > 50


def test_checklist_citations_quote_the_cited_unit(store, source_files):
    corpus = corpus_text(store)
    modalities = [r["m"].value.rsplit("/", 1)[-1] for r in store.select(
        "SELECT ?m WHERE { ?m a rko:Modality }").rows]
    lines = at_lines = 0
    for modality in modalities:
        for pathway in PATHWAYS:
            checklist = build_checklist(store, modality, pathway)
            for section in checklist.sections:
                for line in section.lines:
                    at_lines += assert_checkable(corpus, line.citations, f"{modality} {pathway} {line.iri}",
                                                 source_files)
                    lines += 1
            for note in checklist.notes:
                at_lines += assert_checkable(corpus, note["citations"], f"{modality} {pathway} note", source_files)
    assert lines > 1000 and at_lines > 1000


def test_a_provision_missing_from_the_corpus_is_said_so_with_the_official_link(store):
    corpus = corpus_text(store)
    art2 = "https://w3id.org/regkg/id/law/426M60000100110/art/2"
    cited = CitationBuilder(corpus, "ja").one(Source("https://w3id.org/regkg/id/law/426M60000100110", "", "第2条", art2))
    assert cited["iri"] == art2 and cited["quote"] == ""
    assert "コーパス" in cited["note"]
    assert cited["official_url"] == "https://laws.e-gov.go.jp/law/426M60000100110#Mp-At_2"


def _unit(n: int, locator: str, text: str) -> TextUnit:
    return TextUnit(f"{DOC}/p/{n}", "Passage", text, locator, "ja", DOC, "X", "paper", ())


def test_a_line_locator_quotes_the_passage_at_those_lines_and_never_elsewhere():
    corpus = CorpusText([
        _unit(1, "§ 背景, l. 80–90", "EVのCQAは明らかでない。"),
        _unit(2, "§ 品質, l. 100–112", "出荷試験を行う。受入検査と工程内試験も行う。"),
    ])
    builder = CitationBuilder(corpus, "en")
    cited = builder.one(Source(DOC, "X", "§ 品質 (工程内試験), l. 103–111"), context="EV CQA")
    assert cited["iri"] == f"{DOC}/p/2"
    assert cited["quote"] == "受入検査と工程内試験も行う。"
    missing = builder.one(Source(DOC, "X", "§ 品質, l. 300"))
    assert missing["iri"] == DOC and missing["quote"] == "" and "not in the corpus" in missing["note"]
    by_heading = builder.one(Source(DOC, "X", "§ 背景 (CQA)"))
    assert by_heading["iri"] == f"{DOC}/p/1"


def test_a_line_locator_quotes_only_its_own_lines_of_the_passage():
    """The EV case of the issue: the best-matching sentence of the passage lies on a line not cited."""
    original = "EVのCQAは明らかでない。\n出荷試験を行う。\n受入検査と\n工程内試験も行う。\n"
    corpus = CorpusText([_unit(1, "§ 品質, l. 85–88", normalize_inline(original))],
                        originals={f"{DOC}/p/1": original})
    builder = CitationBuilder(corpus, "en")
    assert builder.one(Source(DOC, "X", "§ 品質, l. 86–88"), context="EVのCQA")["quote"] == "出荷試験を行う。"
    assert builder.one(Source(DOC, "X", "§ 品質, l. 85–88"), context="EVのCQA")["quote"] == "EVのCQAは明らかでない。"
    # the cited lines hold no whole sentence: the lines are the quote
    assert builder.one(Source(DOC, "X", "§ 品質, l. 87"))["quote"] == "受入検査と"
    assert within_lines("受入検査と", original, "l. 3") is True
    assert within_lines("出荷試験を行う。", "\n" * 84 + original, "l. 87") is False


def test_an_answer_window_is_cited_by_the_lines_that_hold_it():
    original = "EVのCQAは明らかでない。\n出荷試験を行う。\n受入検査と\n工程内試験も行う。\n"
    corpus = CorpusText([_unit(1, "§ 品質, l. 85–88", normalize_inline(original))],
                        originals={f"{DOC}/p/1": original})
    assert corpus.lines_of(f"{DOC}/p/1", "出荷試験を行う。") == "§ 品質, l. 86"
    assert corpus.lines_of(f"{DOC}/p/1", "受入検査と工程内試験も行う。") == "§ 品質, l. 87–88"  # across a line break
    assert corpus.lines_of(f"{DOC}/p/1", "どこにもない文。") is None  # not its text: the caller keeps the passage's
    assert CorpusText([_unit(1, "§ 品質", "出荷試験を行う。")]).lines_of(f"{DOC}/p/1", "出荷試験を行う。") is None


def test_one_citation_per_document_and_locator():
    corpus = CorpusText([_unit(1, "l. 1", "ある文。")])
    built = CitationBuilder(corpus, "ja").build([Source(DOC, "X", "l. 1"), Source(DOC, "X", "l. 1"), Source(DOC, "X", "l. 2")])
    assert [c["locator"] for c in built] == ["l. 1", "l. 2"]


def test_locator_parts():
    assert line_ranges("§ X, l. 50, l. 73–79") == [(50, 50), (73, 79)]
    assert section_heading("§ 細胞の品質管理について (一般的な指標), l. 102–104") == "細胞の品質管理について"
    assert official_page("https://w3id.org/regkg/id/law/335AC0000000145/art/23-26/para/1") == \
        "https://laws.e-gov.go.jp/law/335AC0000000145#Mp-At_23_26-Pr_1"
    assert official_page("https://w3id.org/regkg/id/doc/ich-q9-r1") == ""


@pytest.mark.parametrize("lang, fragment", [("ja", "コーパス"), ("en", "corpus"), (None, " / ")])
def test_notes_are_in_the_page_language(lang, fragment):
    cited = CitationBuilder(CorpusText([]), lang).one(Source(DOC, "X", "p. 3"))
    assert fragment in cited["note"]


def test_an_item_is_quoted_from_its_own_text_not_its_paragraph(store):
    """Search indexes paragraphs; a citation of an item (号) still quotes that item and links to it."""
    corpus = corpus_text(store)
    law = "https://w3id.org/regkg/id/law/335AC0000000145"
    item = law + "/art/23-25/para/2/item/1"
    cited = CitationBuilder(corpus, "en").one(Source(law, "", "第23条の25第2項第1号", item))
    paragraph = corpus.unit_text(law + "/art/23-25/para/2")
    assert cited["iri"] == item and cited["quote"]
    assert _same(cited["quote"]) in _same(paragraph) and len(cited["quote"]) < len(paragraph)


def test_a_bilingual_note_reads_in_the_page_language():
    from regkg.queries.citations import NOT_IN_CORPUS, note_in

    both = CitationBuilder(CorpusText([]), None).one(Source(DOC, "X", "p. 3"))["note"]
    assert note_in(both, "en") == "The cited place is not in the corpus text."
    assert note_in(both, "ja") == "引用箇所の本文はコーパスにない。"
    assert note_in(NOT_IN_CORPUS["en"], "ja") == NOT_IN_CORPUS["en"]  # a note in one language is left as written
    assert note_in(both, None) == both


@pytest.mark.parametrize(("q", "said"), [("What is homologous use?", "no longer in force (from 2025-05-31)"),
                                         ("相同利用とは何ですか？", "2025年5月31日に効力を失った")])
def test_a_citation_of_a_document_no_longer_in_force_says_so(store, q, said):
    from regkg.queries.ask import ask

    cited = [c for c in ask(store, q)["citations"] if c["document"].endswith("/doc/iseiken-1031-soudou-riyou")]
    assert cited and all(said in c["note"] for c in cited)


def test_a_bilingual_note_of_a_document_no_longer_in_force_reads_in_one_language(store):
    # checklists carry notes in both languages (a citation may name its document by CURIE); a page
    # shown in one language gives its half
    from regkg.queries.citations import mark_ended, note_in

    citations = [{"document": "regkg:doc/iseiken-1031-soudou-riyou", "note": ""},
                 {"document": "https://w3id.org/regkg/id/law/425AC0000000085"}]
    mark_ended(store, citations, None)
    assert "2025年5月31日" in citations[0]["note"] and "2025-05-31" in citations[0]["note"]
    assert "note" not in citations[1]
    assert note_in(citations[0]["note"], "en") == "This document is no longer in force (from 2025-05-31)."
    assert note_in(citations[0]["note"], "ja") == "この文書は2025年5月31日に効力を失った（廃止）。"
