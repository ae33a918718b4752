"""Question answering with citations (``GET /ask``, ``regkg ask``).

detect language → link entities → decide what is asked → run the matching
named query → one sentence in the question's language naming the items, with
citations (document, locator, quote). When the graph has no cited answer, fall
back to the search-based reader (``reader.py``). Never an answer without a citation; low
confidence is said in the answer.
"""

from __future__ import annotations

import re

from regkg.graph.store import GraphStore
from regkg.queries.answer_graph import Citation, Context, GraphAnswer, answer_from_graph
from regkg.queries.answer_intents import intents
from regkg.queries.answer_text import compose
from regkg.queries.linking import EntityLinker, Linked, get_linker
from regkg.queries.reader import best_sentence, clip, item_json, search_json
from regkg.queries.retrieval.index import SearchIndex, get_index
from regkg.queries.retrieval.tokens import STOP_WORDS, language, terms
from regkg.queries.search import check_query

NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten several many some all".split())
MAX_CITATIONS = 5


def ask(store: GraphStore, q: str) -> dict:
    """The ``/ask`` JSON for one question (InputError for empty or oversized input)."""
    q = check_query(q)
    lang = language(q)
    index, linker = get_index(store), get_linker(store)
    linked = linker.link(q)
    ctx = Context(store, linker, q, complete_links(q, linked))
    asked = intents(q)
    graph = answer_from_graph(ctx, asked[:1] if asked[:1] == ["abbreviation"] else asked)
    if graph is not None:
        return _graph_json(q, lang, graph, index, linker, linked)
    return search_json(q, lang, index, linker, linked)


#: Verbs that questions put before a noun phrase ("therapies using X", "products that need X").
PHRASE_VERBS = frozenset("use uses used using need needs require requires required apply applies applied "
                         "involve involves involving contain contains containing make makes made give gives".split())


def _ends_phrase(word: str) -> bool:
    """True when ``word`` cannot be part of the noun phrase that follows it."""
    return word in STOP_WORDS or word in NUMBER_WORDS or word in PHRASE_VERBS or word.endswith("ing")


def complete_links(q: str, linked: list[Linked]) -> list[Linked]:
    """Links that cover their whole English noun phrase: in "kinds of stem cells" a link on
    "cells" alone is about something else, so the graph must not answer from it."""
    out = []
    spans = {(o.start, o.end) for o in linked}  # a label linking many entities is one span
    for link in linked:
        before = re.search(r"([A-Za-z]+)\s+$", q[: link.start])
        word = before.group(1).lower() if before else ""
        covered = before is not None and any(start <= before.start(1) < end for start, end in spans)
        if word and not _ends_phrase(word) and not covered:
            continue
        out.append(link)
    return out


def _graph_json(q: str, lang: str, graph: GraphAnswer, index: SearchIndex, linker: EntityLinker,
                linked: list[Linked]) -> dict:
    confidence = 0.9 if all(l.method == "ruler" for l in linked) else 0.7
    labels = " ".join(i.ja + " " + i.en for i in graph.items)
    return {
        "question": q,
        "answer": compose(graph, lang),
        "items": [item_json(i, lang) for i in graph.items],
        "citations": [_citation_json(c, index, q + " " + labels) for c in graph.citations[:MAX_CITATIONS]],
        "method": "graph",
        "sparql": graph.sparql,
        "confidence": confidence,
    }


def _citation_json(c: Citation, index: SearchIndex, context: str) -> dict:
    """A citation with a quote: the provision's text, else the best sentence of the cited document.

    A cited provision whose text the corpus lacks gets no quote: a sentence from
    elsewhere in the law would look like the provision's wording.
    """
    unit = index.unit_for(c.provision) if c.provision else None
    if unit is not None:
        u = index.units[unit]
        return {"document": c.document, "title": c.title or u.title, "locator": c.locator or u.locator,
                "quote": clip(u.text), "iri": c.provision}
    if c.provision:
        return {"document": c.document, "title": c.title, "locator": c.locator, "quote": "", "iri": c.provision}
    in_doc = index.document_units(c.document)
    quote = ""
    if in_doc:
        sentence, _ = best_sentence(index, in_doc, terms(context))
        quote = sentence
    return {"document": c.document, "title": c.title, "locator": c.locator, "quote": clip(quote),
            "iri": c.provision or c.document}
