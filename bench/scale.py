"""Synthetic growth, three documented generators, so anyone can reason about the results.

``scaled(store, N)`` — the curated + ingested graph ×N (growth, (b)). Copy ``i``
(1 ≤ i < N) repeats every quad of every curated and document graph with each
entity IRI under ``…/id/`` suffixed ``-syn<i>`` and the graph IRI suffixed the
same way; the ontology (TBox) is shared. So ×N has N times the modalities,
rules, documents, passages and mentions, with the same labels and texts (a
label lookup finds N entities; search sees N copies of every passage). Literal
values and the schema are untouched, so every named query keeps its meaning
and its example parameters (which name copy 0). The default graph, which the
queries read, is then made the union of all graphs, as a build does.

``synthetic_corpus(dirs, N, out)`` — the corpus files ×N on disk (ingest, (c)).
Copy ``i`` ≥ 1 of ``laws/425AC0000000085.md`` is ``laws/425AC0000000085-syn<i>.md``
(likewise every file), and MANIFEST.json gets an entry per copy with its path
and law id suffixed the same way, so every copy is a distinct document with
distinct IRIs and the same text.

``synthetic_units(units, n)`` — ``n`` searchable passages with distinct text
(search at 1k/10k/100k passages, (d)). The corpus units come first as they
are; passage ``j`` after them copies unit ``j mod len(units)`` (its type,
language, document suffixed ``-syn<copy>``, entities) and rewrites every
sentence as its own first half followed by the second half of a sentence drawn
at random (fixed seed) from the corpus. Texts and sentences are thus distinct —
as many vectors to search as sentences, realistic words and lengths — where
plain copies would collapse onto the corpus's few hundred distinct sentences.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pyoxigraph as ox

from regkg.graph.store import OxigraphStore
from regkg.ontology.namespaces import GRAPH, ID
from regkg.queries.retrieval.tokens import sentences
from regkg.queries.retrieval.units import TextUnit

_ID = str(ID)
_ONTOLOGY = str(GRAPH["ontology"])


def _rename(term, suffix: str):
    if isinstance(term, ox.NamedNode) and term.value.startswith(_ID):
        return ox.NamedNode(term.value + suffix)
    if isinstance(term, ox.BlankNode):
        return ox.BlankNode(term.value + suffix.replace("-", "x"))
    return term


def scaled(store: OxigraphStore, factor: int) -> OxigraphStore:
    """An in-memory store holding ``store`` plus ``factor - 1`` renamed copies of its instance data."""
    out = OxigraphStore.in_memory()
    for graph in store.named_graphs():
        quads = store.graph_quads(graph)
        out.replace_graph(graph, quads)
        for i in range(1, factor if graph != _ONTOLOGY else 1):
            suffix = f"-syn{i}"
            out.replace_graph(graph + suffix, (
                ox.Quad(_rename(q.subject, suffix), q.predicate, _rename(q.object, suffix),
                        ox.NamedNode(graph + suffix)) for q in quads))
    out.materialise_union()  # queries read the default graph, which a build makes the union of all graphs
    return out


def synthetic_corpus(corpus_dir: Path, factor: int, out: Path) -> Path:
    """``out`` filled with the corpus ×``factor`` (see the module docstring); returns ``out``."""
    from regkg.ingest.manifest import load_manifest
    from regkg.ingest.pipeline import discover

    manifest = load_manifest(corpus_dir)
    entries = []
    for path in discover([corpus_dir]):
        rel = path.relative_to(corpus_dir)
        for i in range(factor):
            name = rel if i == 0 else rel.with_name(f"{rel.stem}-syn{i}{rel.suffix}")
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, out / name)
            meta = manifest.get(rel.as_posix())
            if meta is not None:
                law_id = meta.get("law_id")
                entries.append({**meta, "path": name.as_posix(),
                                **({"law_id": law_id if i == 0 else f"{law_id}-syn{i}"} if law_id else {})})
    (out / "MANIFEST.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    return out


def synthetic_units(units: list[TextUnit], n: int, seed: int = 7) -> list[TextUnit]:
    """``n`` passages with distinct texts grown from ``units`` (see the module docstring)."""
    pool = [s for u in units for s in sentences(u.text)]
    rng = random.Random(seed)
    out = list(units[:n])
    for j in range(len(out), n):
        u = units[j % len(units)]
        copy = j // len(units)
        text = "\n".join(s[: len(s) // 2] + (t := rng.choice(pool))[len(t) // 2 :] for s in sentences(u.text))
        out.append(u._replace(iri=f"{u.iri}-syn{copy}", document=f"{u.document}-syn{copy}", text=text or u.text))
    return out
