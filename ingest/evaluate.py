"""Precision and recall of the annotator against hand-labelled mentions.

Labels (tests/data/mention_labels.jsonl) give document, character offsets in
the NFKC text and the entity IRI. The annotator runs on the normalised text
(wraps joined, spaces removed) and its spans are mapped back to NFKC offsets,
so a term broken across a line still counts. A prediction is correct when its
entity equals a label's and the spans overlap (``strict=True``: same offsets).
Labelling is exhaustive: for every entity with at least one label, every true
mention in every labelled document is labelled (occurrences in other senses,
e.g. 自己 in 自己完結型, deliberately are not). Precision is judged over those
entities only, in all labelled documents; results are also given per entity type.

    python -m regkg.ingest.evaluate [labels.jsonl] [corpus dir]
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .annotate import Annotator, Mention
from .normalize import nfkc, normalize_with_map


@dataclass(frozen=True)
class Label:
    document: str
    start: int
    end: int
    entity: str
    span_sha1: str | None = None


def load_labels(path: Path) -> list[Label]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line) if line.strip() else {}
        if "document" in row:
            out.append(Label(row["document"], row["start"], row["end"], row["entity"], row.get("span_sha1")))
    return out


def span_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def predict(annotator: Annotator, nfkc_text: str) -> list[Mention]:
    """Annotator mentions on the normalised text, in NFKC offsets."""
    clean, offsets = normalize_with_map(nfkc_text)
    mentions = annotator.annotate([clean])[0]
    return [Mention(offsets[m.start], offsets[m.end - 1] + 1, m.iri) for m in mentions]


def evaluate(labels: list[Label], corpus_dir: Path, annotator: Annotator, strict: bool = False) -> dict:
    """Micro precision/recall over the labelled documents, overall and per entity type.

    The evaluated entities are those with at least one label anywhere; every
    prediction of one of them in any labelled document is judged, so a document
    where an entity never truly occurs still counts its false alarms.
    """
    entities = {lab.entity for lab in labels}
    counts: dict[str, Counter[str]] = {}  # entity type → tp / fp / fn
    for document in sorted({lab.document for lab in labels}):
        gold = [lab for lab in labels if lab.document == document]
        text = nfkc((corpus_dir / document).read_text(encoding="utf-8"))
        pred = [p for p in predict(annotator, text) if p.iri in entities]

        def match(p: Mention, g: Label) -> bool:
            if p.iri != g.entity:
                return False
            return (p.start, p.end) == (g.start, g.end) if strict else p.start < g.end and g.start < p.end

        for g in gold:
            found = any(match(p, g) for p in pred)
            counts.setdefault(annotator.lexicon.types.get(g.entity, "?"), Counter())["tp" if found else "fn"] += 1
        for p in pred:
            if not any(match(p, g) for g in gold):
                counts.setdefault(annotator.lexicon.types.get(p.iri, "?"), Counter())["fp"] += 1
    result = _scores(sum(counts.values(), Counter()))
    result["by_type"] = {t: _scores(c) for t, c in sorted(counts.items())}
    return result


def _scores(c: Counter[str]) -> dict:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    return {"precision": tp / (tp + fp) if tp + fp else 0.0, "recall": tp / (tp + fn) if tp + fn else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def main(argv: list[str]) -> None:
    import rdflib

    from .lexicon import Lexicon

    repo = Path(__file__).resolve().parent.parent
    labels_path = Path(argv[0]) if argv else repo / "tests" / "data" / "mention_labels.jsonl"
    corpus = Path(argv[1]) if len(argv) > 1 else repo.parent / "shared" / "corpus"
    g = rdflib.Graph()
    for ttl in sorted((repo / "ontology").glob("*.ttl")):
        g.parse(ttl)
    annotator = Annotator(Lexicon.from_graph(g))
    labels = load_labels(labels_path)
    print(f"{len(labels)} labels, {len({lab.entity for lab in labels})} entities, "
          f"{len({lab.document for lab in labels})} documents")
    for mode in ("overlap", "strict"):
        score = evaluate(labels, corpus, annotator, strict=mode == "strict")
        print(_row(mode, score))
        for etype, s in score["by_type"].items():
            print(_row(f"  {etype}", s))


def _row(name: str, s: dict) -> str:
    return (f"{name:22s} P {s['precision']:.3f}  R {s['recall']:.3f}  "
            f"(tp {s['tp']}, fp {s['fp']}, fn {s['fn']})")


if __name__ == "__main__":
    main(sys.argv[1:])
