"""The hand-labelled mentions point at real spans, and the annotator meets its quality floor."""

from __future__ import annotations

from pathlib import Path

from regkg.ingest.evaluate import evaluate, load_labels, span_hash
from regkg.ingest.normalize import nfkc

LABELS = Path(__file__).resolve().parents[1] / "data" / "mention_labels.jsonl"


def test_labels_resolve_to_real_spans(corpus: Path) -> None:
    labels = load_labels(LABELS)
    assert len(labels) >= 60 and len({lab.document for lab in labels}) >= 3
    texts = {d: nfkc((corpus / d).read_text(encoding="utf-8")) for d in {lab.document for lab in labels}}
    for lab in labels:
        span = texts[lab.document][lab.start:lab.end]
        assert span.strip() and span_hash(span) == lab.span_sha1, lab


def test_annotator_precision_recall(corpus: Path, annotator) -> None:
    labels = load_labels(LABELS)
    score = evaluate(labels, corpus, annotator)
    # entities absent from the ontology files at test time cannot be found
    assert score["recall"] >= 0.8, score
    assert score["precision"] >= 0.9, score


def test_head_noun_variants_link_like_the_label():
    from regkg.ingest.lexicon import Lexicon

    lex = Lexicon()
    lex.add("urn:ips", "iPS cell-derived cells", "rko#Modality")
    lex.add("urn:ips", "iPS細胞由来細胞", "rko#Modality")
    lex.add("urn:cells", "cells", "rko#Modality")
    lex.add_head_variants([["cells", "products", "therapy"], ["細胞", "製品", "療法"]])
    assert lex.labels["iPS cell-derived products"] == {"urn:ips"}
    assert lex.labels["iPS cell-derived therapy"] == {"urn:ips"}
    assert lex.labels["iPS細胞由来製品"] == {"urn:ips"}
    assert "products" not in lex.labels  # a label that is only the head noun gets no variants
    assert "iPS cell-derivedproducts" not in lex.labels
