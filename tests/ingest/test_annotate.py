from pathlib import Path

from regkg.ingest.annotate import Annotator
from regkg.ingest.lexicon import Lexicon
from regkg.ingest.readers import read

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
