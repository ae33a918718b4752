"""Where the bridge's bilingual evidence comes from in a build: label pairs, titles, aligned text.

- Label pairs: every English label of an entity with every Japanese label of
  the same entity (SKOS pref/alt labels, as the ``entity-labels`` query gives them).
- Titles: documents titled in both languages (``bilingual-titles``).
- Aligned text: an English unit and the Japanese units of the same document
  under the same top heading (an official translation printed beside the
  article it translates).
"""

from __future__ import annotations

from collections.abc import Sequence

from regkg.graph.store import GraphStore
from regkg.queries.library import get_query
from regkg.queries.retrieval.tokens import language
from regkg.queries.retrieval.units import TextUnit


def graph_pairs(store: GraphStore) -> tuple[tuple[str, str, str], ...]:
    """(English, Japanese, source) phrase pairs from the graph's labels and document titles."""
    labels: dict[str, dict[str, list[str]]] = {}
    for r in get_query("entity-labels").run(store).rows:
        text = r["label"].value
        lang = getattr(r["label"], "language", None) or language(text)
        by_lang = labels.setdefault(r["entity"].value, {}).setdefault("ja" if lang == "ja" else "en", [])
        if text not in by_lang:
            by_lang.append(text)
    pairs = [(en, ja, "labels") for by_lang in labels.values()
             for en in by_lang.get("en", []) for ja in by_lang.get("ja", [])]
    pairs += [(r["title_en"].value, r["title_ja"].value, "parallel")
              for r in get_query("bilingual-titles").run(store).rows]
    return tuple(sorted(set(pairs)))  # in code-point order, whatever order the store returned


def aligned_units(units: Sequence[TextUnit]) -> tuple[tuple[str, str], ...]:
    """(English text, Japanese text) of units sharing a document and a top heading."""
    sections: dict[tuple[str, str], dict[str, list[str]]] = {}
    for u in units:
        head = u.locator.split(" > ")[0]
        if u.type == "Passage" and head.startswith("§"):
            sections.setdefault((u.document, head), {}).setdefault(u.lang, []).append(u.text)
    return tuple(("\n".join(texts["en"]), "\n".join(texts["ja"]))
                 for texts in sections.values() if texts.get("en") and texts.get("ja"))
