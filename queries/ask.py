"""Question answering with citations (``GET /ask``, ``regkg ask``).

detect language → link entities → decide what is asked → run the matching
named query → one sentence in the question's language naming the items, with
citations (document, locator, quote). When the graph has no cited answer, fall
back to search: abbreviations spelled out in a passage, else the best sentence
of the best passages, cited. Never an answer without a citation; low
confidence is said in the answer.
"""

from __future__ import annotations

import re

from regkg.graph.store import GraphStore
from regkg.queries.answer_graph import Citation, Context, GraphAnswer, Item, acronyms, answer_from_graph
from regkg.queries.answer_intents import intents
from regkg.queries.answer_text import (UNCERTAIN, compose, expansion_sentence, nothing_found,
                                       passage_sentence)
from regkg.queries.linking import EntityLinker, Linked, get_linker
from regkg.queries.retrieval.index import SearchIndex, get_index
from regkg.queries.retrieval.tokens import STOP_WORDS, language, terms
from regkg.queries.search import check_query, rank

#: Below this confidence the answer says it is uncertain.
LOW_CONFIDENCE = 0.5
MAX_QUOTE = 300
#: A search answer continues the best sentence with the next ones of its passage up to this length.
ANSWER_SPAN = 260
NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten several many some all".split())
MAX_CITATIONS = 5
SEARCH_UNITS = 5


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
    return _search_json(q, lang, index, linker, linked)


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
        "items": [_item_json(i, lang) for i in graph.items],
        "citations": [_citation_json(c, index, q + " " + labels) for c in graph.citations[:MAX_CITATIONS]],
        "method": "graph",
        "sparql": graph.sparql,
        "confidence": confidence,
    }


def _item_json(item: Item, lang: str) -> dict:
    label = (item.ja or item.en) if lang == "ja" else (item.en or item.ja)
    return {"iri": item.iri, "label": label, "label_ja": item.ja, "label_en": item.en, "type": item.type}


def _citation_json(c: Citation, index: SearchIndex, context: str) -> dict:
    """A citation with a quote: the provision's text, else the best sentence of the cited document.

    A cited provision whose text the corpus lacks gets no quote: a sentence from
    elsewhere in the law would look like the provision's wording.
    """
    unit = index.unit_for(c.provision) if c.provision else None
    if unit is not None:
        u = index.units[unit]
        return {"document": c.document, "title": c.title or u.title, "locator": c.locator or u.locator,
                "quote": _clip(u.text), "iri": c.provision}
    if c.provision:
        return {"document": c.document, "title": c.title, "locator": c.locator, "quote": "", "iri": c.provision}
    in_doc = index.document_units(c.document)
    quote = ""
    if in_doc:
        sentence, _ = best_sentence(index, in_doc, terms(context))
        quote = sentence
    return {"document": c.document, "title": c.title, "locator": c.locator, "quote": _clip(quote),
            "iri": c.provision or c.document}


def _search_json(q: str, lang: str, index: SearchIndex, linker: EntityLinker, linked: list[Linked]) -> dict:
    items = [_item_json(Item(i, linker.pref_label(i, "ja"), linker.pref_label(i, "en"), linker.types.get(i, "")), lang)
             for i in dict.fromkeys(l.iri for l in linked)]
    expanded = _abbreviations(q, index, linked)
    if expanded:
        pairs, units = expanded
        return _search_result(q, expansion_sentence(pairs, lang), items, index, units, 0.8,
                              [f"{a} {x}" for a, x in pairs])
    hits = rank(index, linker, q, linked=linked, limit=SEARCH_UNITS)
    if not hits:
        return {"question": q, "answer": nothing_found(lang), "items": items, "citations": [], "method": "search",
                "sparql": "", "confidence": 0.0}
    own = terms(q)
    bridge = terms(" ".join(linker.bridge_terms(linked, lang)))
    sentence, unit = best_sentence(index, [h.unit for h in hits], own + bridge, ANSWER_SPAN)
    coverage = _coverage(index, own, sentence)
    u = index.units[unit]
    answer = passage_sentence(_clip(sentence), u.title, u.locator, lang)
    if coverage < LOW_CONFIDENCE:
        answer = UNCERTAIN[lang] + answer if lang == "en" else answer + UNCERTAIN[lang]
    return _search_result(q, answer, items, index, [unit], round(min(0.8, coverage), 3), [sentence])


def _search_result(q: str, answer: str, items: list[dict], index: SearchIndex, units: list[int],
                   confidence: float, quotes: list[str]) -> dict:
    citations = []
    for unit, quote in zip(units, quotes, strict=False):
        u = index.units[unit]
        citations.append({"document": u.document, "title": u.title, "locator": u.locator,
                          "quote": _clip(quote), "iri": u.iri})
    return {"question": q, "answer": answer, "items": items, "citations": citations, "method": "search",
            "sparql": "", "confidence": confidence}


def _abbreviations(q: str, index: SearchIndex, linked: list[Linked]) -> tuple[list[tuple[str, str]], list[int]] | None:
    """Abbreviations in the question spelled out in a passage, as ``ABBR（expansion）`` or ``ABBR (expansion)``."""
    if not re.search(r"stand|abbreviat|acronym|略|とは|what (is|are|do|does)", q, re.IGNORECASE):
        return None
    linked_texts = {l.text.rstrip("s") for l in linked}
    wanted = [a for a in acronyms(q) if a not in linked_texts] or acronyms(q)
    if not wanted:
        return None
    pairs: list[tuple[str, str]] = []
    units: list[int] = []
    for abbr in wanted:
        pattern = re.compile(r"(?<![A-Za-z])" + re.escape(abbr) + r"\s*[（(]\s*([^（）()]{3,100}?)\s*[）)]")
        for i, u in enumerate(index.units):
            m = pattern.search(u.text)
            if m and not re.fullmatch(r"[\d\s.,]+", m.group(1)):
                pairs.append((abbr, m.group(1).replace("：", ": ").strip()))
                units.append(i)
                break
    return (pairs, units) if len(pairs) == len(wanted) else None


def best_sentence(index: SearchIndex, units: list[int], query_terms: list[str],
                  span: int = 0) -> tuple[str, int]:
    """The sentence of these units (in rank order) sharing the most idf-weighted query terms,
    continued with the sentences after it in its passage up to ``span`` characters (lists
    announced in one sentence are spelled out in the next)."""
    wanted = set(query_terms)
    best: tuple[float, int] = (-1.0, -1)
    for rank_pos, unit in enumerate(units):
        for s in index.unit_sentences(unit):
            # summed in sorted order: a set's order (string hashes) changes per process, and with it how
            # floats round, which decided exact ties differently from run to run
            shared = sorted(wanted.intersection(terms(index.sentences[s])))
            score = sum(index.bm25.idf.get(t, 0.0) for t in shared)
            score -= 0.01 * rank_pos
            if score > best[0]:
                best = (score, s)
    first = best[1]
    unit = int(index.sentence_unit[first])
    text = index.sentences[first]
    nxt = first + 1
    while nxt < len(index.sentences) and index.sentence_unit[nxt] == unit and len(text) + len(index.sentences[nxt]) <= span:
        text += index.sentences[nxt]
        nxt += 1
    return text, unit


def _coverage(index: SearchIndex, query_terms: list[str], sentence: str) -> float:
    """Share of the question's idf weight the sentence carries: the search answer's confidence."""
    wanted = {t for t in query_terms if t in index.bm25.idf}
    total = sum(index.bm25.idf[t] for t in sorted(wanted))
    if not total:
        return 0.0
    return sum(index.bm25.idf[t] for t in sorted(wanted.intersection(terms(sentence)))) / total


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "…"
