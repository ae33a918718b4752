"""Synthetic growth: the curated + ingested graph scaled ×N, for measuring how cost grows.

The generator is deliberately simple so anyone can reason about the result:
copy ``i`` (1 ≤ i < N) of the graph repeats every quad of every curated and
document graph with each entity IRI under ``…/id/`` suffixed ``-syn<i>`` and
the graph IRI suffixed the same way; the ontology (TBox) is shared. So ×N has N
times the modalities, rules, documents, passages and mentions, with the same
labels and texts (a label lookup finds N entities; search sees N copies of
every passage). Literal values and the schema are untouched, so every named
query keeps its meaning and its example parameters (which name copy 0).
"""

from __future__ import annotations

import pyoxigraph as ox

from regkg.graph.store import OxigraphStore
from regkg.ontology.namespaces import GRAPH, ID

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
    quads = list(store.native.quads_for_pattern(None, None, None, None))
    out.native.bulk_extend(quads)
    for i in range(1, factor):
        suffix = f"-syn{i}"
        out.native.bulk_extend(
            ox.Quad(_rename(q.subject, suffix), q.predicate, _rename(q.object, suffix),
                    ox.NamedNode(q.graph_name.value + suffix))
            for q in quads
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value != _ONTOLOGY
        )
    return out
