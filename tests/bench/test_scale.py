"""The synthetic data the benchmarks grow: what each generator promises (bench/scale.py)."""

from __future__ import annotations

from bench.scale import scaled, synthetic_corpus, synthetic_units
from regkg.queries.library import get_query
from regkg.queries.retrieval.tokens import sentences


def test_scaled_graph_is_queried_n_times_over(store):
    units = get_query("search-units").run(store).rows
    double = scaled(store, 2)
    rows = get_query("search-units").run(double).rows
    assert len(rows) == 2 * len(units)
    assert {r["unit"].value for r in rows} >= {r["unit"].value + "-syn1" for r in units}


def test_synthetic_corpus_copies_are_distinct_documents(corpus_dir, tmp_path):
    from regkg.ingest.manifest import load_manifest
    from regkg.ingest.pipeline import discover

    originals = discover([corpus_dir])
    out = synthetic_corpus(corpus_dir, 3, tmp_path)
    copies = discover([out])
    assert len(copies) == 3 * len(originals)
    assert len({p.stem for p in copies}) == len(copies)
    manifest = load_manifest(out)
    law_ids = [e["law_id"] for e in manifest.values() if e.get("law_id")]
    assert law_ids and len(set(law_ids)) == len(law_ids)
    assert all(manifest[p.relative_to(out).as_posix()].get("law_id", "").endswith("-syn2")
               for p in copies if p.stem.endswith("-syn2") and p.parent.name == "laws")


def test_synthetic_units_have_distinct_texts_and_sentences(store):
    from regkg.queries.retrieval.index import get_index

    base = get_index(store).units
    units = synthetic_units(base, 3 * len(base))
    assert units[: len(base)] == base and len(units) == 3 * len(base)
    grown = units[len(base):]
    assert len({u.iri for u in units}) == len(units)
    assert len({u.text for u in grown}) > 0.95 * len(grown)
    spliced = [s for u in grown for s in sentences(u.text)]
    assert len(set(spliced)) > 0.9 * len(spliced)
    assert synthetic_units(base, 2 * len(base)) == units[: 2 * len(base)]  # seeded: the same every run
