"""Counts that say what is in the graph (coverage for curators, health for the API)."""

from __future__ import annotations

from dataclasses import dataclass

from regkg.graph.store import GraphStore
from regkg.ontology.namespaces import compact

CLASS_COUNTS = """
SELECT ?type (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a ?type . FILTER(STRSTARTS(STR(?type), STR(rko:)))
} GROUP BY ?type ORDER BY DESC(?n)
"""


@dataclass(frozen=True)
class GraphStats:
    triples: int
    by_class: dict[str, int]
    graphs: int

    @property
    def documents(self) -> int:
        return self.by_class.get("rko:Document", 0) + self.by_class.get("rko:LegalDocument", 0)

    @property
    def passages(self) -> int:
        return self.by_class.get("rko:Passage", 0)

    @property
    def provisions(self) -> int:
        return sum(self.by_class.get(f"rko:{k}", 0) for k in ("Article", "Paragraph", "Item"))


TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def graph_stats(store: GraphStore) -> GraphStats:
    """Counts over the default graph, i.e. distinct triples of the union of all named graphs
    (the store also holds each triple in its named graph, so its raw quad count is about double)."""
    result = store.select(CLASS_COUNTS)
    by_class = {compact(row["type"].value): int(row["n"].value) for row in result.rows}
    triples = int(store.select(TRIPLES).rows[0]["n"].value)
    return GraphStats(triples=triples, by_class=by_class, graphs=len(store.named_graphs()))
