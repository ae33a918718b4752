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
