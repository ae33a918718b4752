"""Curated requirements of pathways: complete against the provisions they cite."""

from __future__ import annotations

PREFIXES = """PREFIX rko: <https://w3id.org/regkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def test_a_pathways_criteria_cover_every_item_of_the_paragraph_they_come_from(store):
    """Where a pathway's criteria (requirements with a criterion) cite items of a paragraph (the
    three criteria of conditional or of emergency approval), every item of that paragraph in the
    graph is one of them: a criterion left out would read as if the law asked less."""
    rows = store.select(PREFIXES + """
        SELECT DISTINCT ?pathway ?item WHERE {
          ?requirement a rko:Requirement ; rko:appliesTo ?pathway ; rko:criterion ?criterion ;
                       rko:citation/rko:provision ?item .
          FILTER(CONTAINS(STR(?item), "/item/"))
        }""").rows
    cited: dict[tuple[str, str], set[str]] = {}
    for r in rows:
        item = r["item"].value
        cited.setdefault((r["pathway"].value, item.rsplit("/item/", 1)[0]), set()).add(item)
    assert cited, "no pathway requirement cites an item"
    for (pathway, paragraph), items in cited.items():
        siblings = {r["p"].value for r in store.select(
            f"SELECT DISTINCT ?p WHERE {{ ?p ?x ?y FILTER(STRSTARTS(STR(?p), '{paragraph}/item/')) }}").rows}
        siblings = {s for s in siblings if "/item/" not in s[len(paragraph) + 6 :]}  # items, not their sub-items
        assert siblings <= items, (pathway, sorted(siblings - items))


def test_the_emergency_approval_answer_gives_its_criteria(store):
    from regkg.queries.ask import ask

    answer = ask(store, "What are the requirements for emergency approval?")
    assert answer["method"] == "graph"
    cited = {c.get("provision") or c.get("locator") for c in answer["citations"]}
    assert any("23-26-2/para/1/item/1" in str(c) or "第23条の26の2第1項第1号" in str(c) for c in cited), cited
