"""The search-based answer: when the graph has no cited answer, read it from the passages.

Abbreviations in the question spelled out in a passage, else the best sentence of
the best passages (continued while the passage announces more), cited with the
unit it comes from. Its confidence is the share of the question's weight that the
quoted text carries, so a weak match says it is uncertain.
"""

from __future__ import annotations

import re

from regkg.queries.answer_graph import Item, acronyms
from regkg.queries.answer_text import expansion_sentence, nothing_found, passage_sentence
from regkg.queries.linking import EntityLinker, Linked
from regkg.queries.retrieval.index import SearchIndex
from regkg.queries.retrieval.tokens import terms
from regkg.queries.search import rank

#: Below this confidence the answer says it is uncertain.
LOW_CONFIDENCE = 0.5
MAX_QUOTE = 300
#: A search answer continues the best sentence with the next ones of its passage up to this length.
ANSWER_SPAN = 260
SEARCH_UNITS = 5


def item_json(item: Item, lang: str) -> dict:
    """An item as ``/ask`` returns it, labelled first in the question's language."""
    label = (item.ja or item.en) if lang == "ja" else (item.en or item.ja)
    return {"iri": item.iri, "label": label, "label_ja": item.ja, "label_en": item.en, "type": item.type}


def search_json(q: str, lang: str, index: SearchIndex, linker: EntityLinker, linked: list[Linked]) -> dict:
    """The ``/ask`` JSON answered from passages (``method: search``)."""
    items = [item_json(Item(i, linker.pref_label(i, "ja"), linker.pref_label(i, "en"), linker.types.get(i, "")), lang)
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
    answer = passage_sentence(clip(sentence), u.title, u.locator, lang)
    return _search_result(q, answer, items, index, [unit], round(min(0.8, coverage), 3), [sentence])


def _search_result(q: str, answer: str, items: list[dict], index: SearchIndex, units: list[int],
                   confidence: float, quotes: list[str]) -> dict:
    citations = []
    for unit, quote in zip(units, quotes, strict=False):
        u = index.units[unit]
        citations.append({"document": u.document, "title": u.title, "locator": u.locator,
                          "quote": clip(quote), "iri": u.iri})
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


def clip(text: str) -> str:
    """The text on one line, cut to the length a quote may have."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "…"
