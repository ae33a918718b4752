"""Provisions a question names, in either language, resolved against the law it names beside them."""

from __future__ import annotations

import pytest

from regkg.queries.linking import get_linker
from regkg.queries.named_provisions import named_provisions

LAW = "https://w3id.org/regkg/id/law/"


@pytest.mark.parametrize(("q", "want"), [
    ("Under ASRM Article 5, may a document be omitted?", [LAW + "425AC0000000085/art/5"]),
    ("What does Art. 23-25(2) of the PMD Act require?", [LAW + "335AC0000000145/art/23-25/para/2"]),
    ("安確法施行令第1条により除かれる医療技術は？", [LAW + "426CO0000000278/art/1"]),
    ("施行規則第7条第1号は何を求めていますか？", [LAW + "426M60000100110/art/7/para/1/item/1"]),
    ("What does Article 5 say?", []),  # no law named: the number alone names nothing
])
def test_a_question_names_provisions_of_the_law_it_names(store, q, want):
    assert named_provisions(q, get_linker(store).document_links(q)) == want


def test_the_units_of_a_provision_are_its_own_its_paragraphs_or_the_one_holding_it(store):
    from regkg.queries.retrieval.index import get_index

    index = get_index(store)
    iris = {u.iri for u in index.units}
    article = LAW + "425AC0000000085/art/5"
    units = [index.units[i].iri for i in index.provision_units([article])]
    assert units and all(i == article or i.startswith(article + "/") for i in units)
    assert not any(i.startswith(LAW + "425AC0000000085/art/50") for i in units)
    assert set(units) == {i for i in iris if i == article or i.startswith(article + "/")}
    item = LAW + "426CO0000000278/art/1/para/1/item/1"  # an item, read with the unit that holds it
    assert [index.units[i].iri for i in index.provision_units([item])] == [index.units[index.unit_for(item)].iri]


def test_the_named_article_is_searched_and_read_first(store):
    from regkg.queries.ask import ask
    from regkg.queries.retrieval.index import get_index
    from regkg.queries.search import rank

    q = "Under ASRM Article 5, when a provider changes its provision plan, when may it omit a document?"
    index = get_index(store)
    top = index.units[rank(index, get_linker(store), q, limit=1)[0].unit]
    assert top.iri.startswith(LAW + "425AC0000000085/art/5/")
    assert ask(store, q)["citations"][0]["locator"].startswith("第5条")
