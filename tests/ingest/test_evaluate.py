"""The evaluator judges every labelled entity in every labelled document, and reports per type."""

from __future__ import annotations

from pathlib import Path

from regkg.ingest.annotate import Annotator
from regkg.ingest.evaluate import Label, evaluate, span_hash
from regkg.ingest.lexicon import Lexicon
from regkg.ingest.nlp import load_tokenizer

RKO = "https://w3id.org/regkg/ontology#"


def test_false_alarms_count_in_documents_without_a_label_for_that_entity(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("無菌試験を行った。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("無菌試験の計画と治験の計画。", encoding="utf-8")
    lex = Lexicon()
    lex.add("ex:sterility", "無菌試験", RKO + "Test")
    lex.add("ex:trial", "治験", RKO + "Pathway")
    ann = Annotator(lex, load_tokenizer())
    # b.txt labels only 治験; its 無菌試験 is (deliberately) left unlabelled, and since
    # 無菌試験 is evaluated (labelled in a.txt) that prediction must count as a false positive.
    labels = [Label("a.txt", 0, 4, "ex:sterility", span_hash("無菌試験")),
              Label("b.txt", 8, 10, "ex:trial", span_hash("治験"))]
    score = evaluate(labels, tmp_path, ann)
    assert (score["tp"], score["fp"], score["fn"]) == (2, 1, 0)
    assert score["by_type"]["Test"]["precision"] == 0.5
    assert score["by_type"]["Pathway"]["precision"] == 1.0
