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


def graph_stats(store: GraphStore) -> GraphStats:
    result = store.select(CLASS_COUNTS)
    by_class = {compact(row["type"].value): int(row["n"].value) for row in result.rows}
    return GraphStats(triples=len(store), by_class=by_class, graphs=len(store.named_graphs()))
