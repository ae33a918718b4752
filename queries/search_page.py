"""The search page's view of a search: one page of hits, their count, facet counts and highlighted text.

``/search`` returns the best hits; a person also wants to know how many there
are, narrow them by document, kind or language, page through them and see
where their words occur. All of that is computed here from the same hits, so
the HTML page and its JSON agree.
"""

from __future__ import annotations

import re
from collections import Counter

from regkg.queries.retrieval.tokens import language, terms
from regkg.queries.search import MAX_K, search

PAGE_SIZE = 10


def unit_kind(iri: str) -> str:
    """``provision`` for a unit of a legal text (its IRI has an article), else ``passage``."""
    return "provision" if "/art/" in iri else "passage"


def highlight(text: str, query: str, also: list[str] | tuple[str, ...] = ()) -> list[dict]:
    """The text as segments ``{"text", "match"}``, the query's terms (and its words) marked, and ``also``
    (the other language's names of the entities the query names, so an English search marks Japanese hits)."""
    words = {w for w in re.split(r"\s+", query) if len(w) >= 2}
    words |= {t for t in terms(query) if len(t) >= 2 and not t.isdigit()}
    words |= {w for w in also if len(w) >= 2}
    if not words:
        return [{"text": text, "match": False}]
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.IGNORECASE)
    out, last = [], 0
    for m in pattern.finditer(text):
        if m.start() > last:
            out.append({"text": text[last:m.start()], "match": False})
        out.append({"text": m.group(0), "match": True})
        last = m.end()
    if last < len(text):
        out.append({"text": text[last:], "match": False})
    return out


def other_language_names(store, query: str) -> list[str]:
    """The other language's labels of the entities the query names (the search's own cross-lingual bridge)."""
    from regkg.queries.linking import get_linker

    linker = get_linker(store)
    return linker.bridge_terms(linker.link(query), language(query))


def search_page(store, q: str, page: int = 1, lang: str | None = None, type: str | None = None,
                document: str | None = None) -> dict:
    """Hits ``page`` (from 1) of the best ``MAX_K``, with the total, facet counts and highlighted segments."""
    result = search(store, q, k=MAX_K, lang=lang, type=type, document=document)
    hits = result["hits"]
    for hit in hits:
        hit["kind"] = unit_kind(hit["iri"] or "")
        hit["lang"] = language(hit["text"])
    facets = {
        "document": Counter((h["document"], h["title"]) for h in hits).most_common(),
        "kind": Counter(h["kind"] for h in hits).most_common(),
        "lang": Counter(h["lang"] for h in hits).most_common(),
    }
    pages = max(1, -(-len(hits) // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = hits[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    names = other_language_names(store, result["query"])
    for hit in shown:
        hit["segments"] = highlight(hit["text"], result["query"], names)
    return {
        "query": result["query"], "total": len(hits), "capped": len(hits) >= MAX_K, "page": page, "pages": pages,
        "first": (page - 1) * PAGE_SIZE + 1 if shown else 0, "hits": shown,
        "facets": {
            "document": [{"document": d, "title": t, "count": n} for (d, t), n in facets["document"]],
            "kind": [{"value": v, "count": n} for v, n in facets["kind"]],
            "lang": [{"value": v, "count": n} for v, n in facets["lang"]],
        },
    }
