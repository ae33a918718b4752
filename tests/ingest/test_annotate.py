import re
from pathlib import Path

import pytest
from rdflib.namespace import RDF, SKOS

from regkg.ingest.annotate import Annotator
from regkg.ingest.lexicon import Lexicon
from regkg.ingest.readers import read

from .conftest import RKO

MSC = "https://w3id.org/regkg/id/modality/msc"


def test_links_msc_in_seed_sentence(corpus: Path, annotator: Annotator) -> None:
    doc = read(corpus / "seeds" / "000_7b30933cb355a2f0.txt")
    passage = next(u for u in doc.units if "間葉系幹細胞(Mesenchymal stem cell; MSC)" in u.text)
    mentions = annotator.annotate([passage.text])[0]
    spans = {passage.text[m.start:m.end] for m in mentions if m.iri == MSC}
    assert {"間葉系幹細胞", "MSC", "Mesenchymal stem cell"} <= spans


def test_longest_match_and_english_case(annotator: Annotator) -> None:
    got = annotator.entities(["特定認定再生医療等委員会に提出する。", "A Sterility Test was done on MSCs."])
    assert "https://w3id.org/regkg/id/actor/special-certified-committee" in got[0]
    assert "https://w3id.org/regkg/id/actor/certified-committee" not in got[0]
    assert {"https://w3id.org/regkg/id/test/sterility-test", MSC} <= got[1]


def test_lexicon_from_pyoxigraph_store(ontology_graph) -> None:
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(ontology_graph.serialize(format="nt").encode(), format=pyoxigraph.RdfFormat.N_TRIPLES,
               to_graph=pyoxigraph.NamedNode("https://w3id.org/regkg/graph/curated/test"))
    lex = Lexicon.from_graph(store)
    assert MSC in lex.labels["間葉系幹細胞"]
    assert lex.types[MSC] == "Modality"


def test_long_text_is_cut_for_sudachi(annotator: Annotator) -> None:
    text = ("無菌試験を行う。" * 4000)  # ~32k chars, above Sudachi's input limit in bytes
    mentions = annotator.annotate([text])[0]
    assert len(mentions) == 4000


def _small_annotator(labels: dict[str, str]) -> Annotator:
    """An annotator over a hand-made lexicon (label → entity), with the real ja_ginza tokenizer."""
    from regkg.ingest.nlp import load_tokenizer

    lex = Lexicon()
    for label, iri in labels.items():
        lex.add(iri, label, "https://w3id.org/regkg/ontology#Thing")
    return Annotator(lex, load_tokenizer())


def test_weak_labels_are_short_words_that_build_other_entities_labels() -> None:
    from regkg.ingest.ambiguity import weak_labels
    from regkg.ingest.nlp import load_tokenizer

    tok = load_tokenizer()
    labels = {"自己": {"ex:auto"}, "自己血清": {"ex:serum"}, "治験": {"ex:trial"}, "MSC": {"ex:msc"},
              "MSC由来EV": {"ex:ev"}}
    # 自己 builds another entity's label; 治験 builds none; MSC is an acronym, never weak.
    assert weak_labels(labels, lambda s: [t.text for t in tok.words(s)]) == {"自己"}


def test_weak_label_needs_a_licensing_context() -> None:
    ann = _small_annotator({"自己": "ex:auto", "自己血清": "ex:serum", "骨髄細胞": "ex:bm"})
    got = ann.entities(["医師主導治験(自己完結型療法)を行う。", "自己の骨髄を用いる。", "自己骨髄細胞を用いる。",
                        "自己血清を加える。"])
    assert "ex:auto" not in got[0]  # inside a compound that is not an entity: another sense
    assert "ex:auto" in got[1]  # heads its phrase
    assert {"ex:auto", "ex:bm"} <= got[2]  # modifies another entity mention
    assert got[3] == {"ex:serum"}  # longest match


def test_acronym_labels_match_plurals_and_fullwidth_labels_match_nfkc_text() -> None:
    ann = _small_annotator({"骨髄由来MSC": "ex:bm-msc", "多血小板血漿（PRP）": "ex:prp"})
    got = ann.entities(["骨髄由来MSCsを培養した。", "多血小板血漿(PRP)を投与する。"])
    assert got == [{"ex:bm-msc"}, {"ex:prp"}]


def test_labels_that_differ_only_in_case_link_each_of_their_entities() -> None:
    ann = _small_annotator({"Viral contamination": "ex:risk", "viral contamination": "ex:hazard"})
    assert ann.entities(["Viral contamination was found."]) == [{"ex:risk", "ex:hazard"}]


@pytest.mark.parametrize("sentence", ["{}は安確法の対象ですか？", "{}を用いる治療の手続", "自家の{}による治療"])
def test_a_japanese_label_links_however_sudachi_cuts_it_in_a_sentence(ontology_graph, annotator: Annotator,
                                                                        sentence: str) -> None:
    """Sudachi cuts 培養上清 alone as 培養/上/清 but as 培養/上清 before は: every Japanese label of
    a modality still links in the sentences people write, full-width brackets and all."""
    labels = {(str(label), str(m)) for m in ontology_graph.subjects(RDF.type, RKO.Modality)
              for p in (SKOS.prefLabel, SKOS.altLabel) for label in ontology_graph.objects(m, p)
              if re.search(r"[\u3040-\u30ff\u3400-\u9fff]", str(label))}
    assert len(labels) > 50
    texts = [sentence.format(label) for label, _ in sorted(labels)]  # as asked: not NFKC-normalised
    missed = [(label, t) for (label, iri), t, found in zip(sorted(labels), texts, annotator.entities(texts))
              if iri not in found]
    assert not missed, missed


def test_english_labels_match_their_plurals() -> None:
    ann = _small_annotator({"adverse event report": "ex:report", "gene therapy": "ex:gt", "process": "ex:p"})
    got = ann.entities(["Adverse event reports are due.", "Two gene therapies and three processes."])
    assert got == [{"ex:report"}, {"ex:gt", "ex:p"}]
