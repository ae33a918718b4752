"""Citations a reader can check: the quote is text of the unit the citation's IRI names.

A curated citation names a document and a locator, and for laws the provision.
Shown to a user it becomes ``{document, title, locator, iri, quote, evidence}``:

- a provision whose text the corpus holds → that provision, quoted from its own text;
- a provision the corpus lacks → its IRI (a node saying "text not in corpus"), no
  quote, a note in the page language and the official e-Gov page of the article;
- a passage located by line numbers (``l. 102–104``) → the passage holding those lines,
  quoted from those lines only: the sentence of them that best matches the question, or
  the lines themselves when they hold no whole sentence;
- a passage located by its section heading (``§ 細胞の品質管理について``) → the passage
  under that heading, and the sentence of it that best matches the question;
- a place that cannot be located in the corpus text → the document, no quote, a note.

Nothing is ever quoted from elsewhere in the document: a sentence from another
page would look like what the locator points at. One citation per (document,
locator).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from regkg.graph.store import GraphStore
from regkg.ingest.cited_units import official_page
from regkg.ingest.normalize import nfkc, normalize_inline
from regkg.ingest.segment import METADATA_LINE, sentence_spans
from regkg.ontology.namespaces import expand_curie
from regkg.queries.bounded_cache import BoundedCache
from regkg.queries.library import get_query
from regkg.queries.retrieval.units import TextUnit, load_units

MAX_QUOTE = 300

NOT_IN_CORPUS = {
    "ja": "この条項の本文はコーパスに収録されていない。公式の本文を参照。",
    "en": "The text of this provision is not in the corpus; see the official text.",
}
NOT_LOCATED = {
    "ja": "引用箇所の本文はコーパスにない。",
    "en": "The cited place is not in the corpus text.",
}

_LINES = re.compile(r"\bl\. ?(\d+)(?:\s*[–-]\s*(\d+))?")


@dataclass(frozen=True)
class Source:
    """One curated citation as the graph states it."""

    document: str
    title: str
    locator: str
    provision: str = ""
    evidence: str = ""


def line_ranges(locator: str) -> list[tuple[int, int]]:
    """``"§ X, l. 50, l. 73–79"`` → ``[(50, 50), (73, 79)]``."""
    return [(int(a), int(b or a)) for a, b in _LINES.findall(locator)]


def section_heading(locator: str) -> str:
    """The heading a non-legal locator names: ``"§ 細胞の品質管理について (…), l. 1"`` → ``細胞の品質管理について``."""
    text = re.sub(r"^(§|slides?)\s*", "", locator.strip())
    heading = re.split(r"\s*[(（,;—]", text, maxsplit=1)[0].strip()
    return re.sub(r"^\d+(?:[.．]\d+)*[.．]?\s*", "", heading)  # "4 現在の…" → "現在の…": numbering is spelled variously


class CorpusText:
    """The text units of one build (provisions and passages) with the lookups citations need.

    Built from the units search already holds, or read once per store; no
    tokenizer or model is loaded, so a checklist stays quick.
    """

    def __init__(self, units: Sequence[TextUnit], items: dict[str, str] | None = None,
                 originals: dict[str, str] | None = None) -> None:
        """``items``: IRI → text of the law items (号) inside the paragraphs, which search does not index;
        ``originals``: passage IRI → its text as read, one line per file line from its locator's first."""
        self.units = list(units)
        self._by_iri = {u.iri: i for i, u in enumerate(self.units)}
        self._items = dict(items or {})
        self._originals = dict(originals or {})
        self._by_document: dict[str, list[int]] = {}
        for i, u in enumerate(self.units):
            self._by_document.setdefault(u.document, []).append(i)

    def unit_text(self, iri: str) -> str | None:
        """The text of exactly this unit, or of its parts in order (an article held as its paragraphs); None if absent."""
        if iri in self._by_iri:
            return self.units[self._by_iri[iri]].text
        if iri in self._items:
            return self._items[iri]
        prefix = iri + "/"
        parts = [u.text for u in self.units if u.iri.startswith(prefix) and "/version/" not in u.iri[len(prefix):]]
        return "\n".join(parts) if parts else None

    def title_of(self, iri: str) -> str:
        unit = self._by_iri.get(iri)
        if unit is None and iri in self._items:  # an item: its paragraph's document title
            unit = next((i for key, i in self._by_iri.items() if iri.startswith(key + "/")), None)
        return self.units[unit].title if unit is not None else ""

    def document_units(self, document: str) -> list[int]:
        return self._by_document.get(document, [])

    def at_lines(self, unit: int, wanted: tuple[int, int]) -> str:
        """The unit's text on the wanted file lines (first, last) only, normalised as unit texts are.

        The whole unit when its text as read is not known line by line (then no cut
        can be made, and the caller's check says so).
        """
        u = self.units[unit]
        original, own = self._originals.get(u.iri), line_ranges(u.locator)
        if original is None or len(own) != 1:
            return u.text
        first, last = own[0]
        lines = original.split("\n")
        return normalize_inline("\n".join(lines[max(wanted[0], first) - first:wanted[1] - first + 1]))


    def lines_of(self, iri: str, text: str) -> str | None:
        """The unit's locator narrowed to the file lines that hold ``text`` (a window of its
        sentences), so an answer cites the lines it quotes; None when its text is not known line
        by line or ``text`` is not found in it."""
        unit = self._by_iri.get(iri)
        if unit is None:
            return None
        u = self.units[unit]
        original, own = self._originals.get(u.iri), line_ranges(u.locator)
        wanted = _squash(text.strip().removeprefix("…").removesuffix("…"))
        if original is None or len(own) != 1 or not wanted:
            return None
        ends, joined = [], ""
        for line in original.split("\n"):  # where each line's text ends in the joined squashed text
            joined += _squash(line)
            ends.append(len(joined))
        at = joined.find(wanted)
        if at < 0:
            return None
        first = next(i for i, end in enumerate(ends) if end > at)
        last = next(i for i, end in enumerate(ends) if end >= at + len(wanted))
        a, b = own[0][0] + first, own[0][0] + last
        return _LINES.sub(f"l. {a}" if a == b else f"l. {a}–{b}", u.locator, count=1)


_CORPUS: dict[str, CorpusText] = {}


def corpus_text(store: GraphStore, units: Sequence[TextUnit] | None = None) -> CorpusText:
    """The units of this store's build (``units`` when the caller already holds them), made once per build folder."""
    path = getattr(store, "path", None)
    key = str(path) if path is not None else f"memory-{id(store)}"
    if key not in _CORPUS:
        items = {r["item"].value: r["text"].value for r in get_query("item-texts").run(store).rows}
        originals = {r["unit"].value: r["original"].value for r in get_query("passage-originals").run(store).rows}
        _CORPUS[key] = CorpusText(units if units is not None else load_units(store), items, originals)
    return _CORPUS[key]


class CitationBuilder:
    """Turns curated citations into checkable ones over the corpus text of one build."""

    def __init__(self, corpus: CorpusText, lang: str | None) -> None:
        """``lang`` None: notes in both languages (bilingual pages such as checklists)."""
        self.corpus = corpus
        self.lang = lang if lang in NOT_IN_CORPUS else None

    def _note(self, notes: dict[str, str]) -> str:
        return notes[self.lang] if self.lang else f"{notes['ja']} / {notes['en']}"

    def build(self, sources: Iterable[Source], context: str = "", limit: int | None = None) -> list[dict]:
        """One citation per (document, locator), in the given order, at most ``limit``."""
        seen: set[tuple[str, str]] = set()
        out: list[dict] = []
        for source in sources:
            key = (source.document, source.locator or source.provision)
            if key in seen:
                continue
            seen.add(key)
            out.append(self.one(source, context))
            if limit is not None and len(out) >= limit:
                break
        return out

    def one(self, source: Source, context: str = "") -> dict:
        """The checkable citation: its IRI resolves, its quote is text of that unit (or a note says why not)."""
        base = {"document": source.document, "title": source.title, "locator": source.locator,
                "evidence": source.evidence}
        if source.provision:
            text = self.corpus.unit_text(source.provision)
            if text:
                return {**base, "title": source.title or self.corpus.title_of(source.provision),
                        "iri": source.provision, "quote": clip(text)}
            return {**base, "iri": source.provision, "quote": "", "note": self._note(NOT_IN_CORPUS),
                    "official_url": official_page(source.provision)}
        units = self.located_units(source)
        if not units:
            return {**base, "iri": source.document, "quote": "", "note": self._note(NOT_LOCATED)}
        wanted = line_ranges(source.locator)
        # each cited range of each unit at it is one place: a quote never joins lines the locator keeps apart
        places = [(self.corpus.at_lines(u, lines), u) for u in units for lines in wanted
                  if _overlaps(line_ranges(self.corpus.units[u].locator), [lines])]
        places = [(text, u) for text, u in places or [(self.corpus.units[u].text, u) for u in units] if text]
        if not places:  # the cited lines hold only what the build leaves out (a collector's note)
            return {**base, "iri": source.document, "quote": "", "note": self._note(NOT_LOCATED)}
        # the locator's own words (its heading and note) say which sentence of the place is meant
        sentence, unit = best_sentence(self.corpus, places, source.locator, context)
        return {**base, "iri": self.corpus.units[unit].iri, "quote": clip(sentence)}

    def located_units(self, source: Source) -> list[int]:
        """Units of the cited document at the locator's lines, else under its section heading."""
        in_doc = self.corpus.document_units(source.document)
        wanted = line_ranges(source.locator)
        if wanted:
            return [u for u in in_doc if _overlaps(line_ranges(self.corpus.units[u].locator), wanted)]
        heading = section_heading(source.locator)
        if len(heading) < 2:
            return []
        under = [u for u in in_doc if heading in self.corpus.units[u].locator]
        # documents cut by lines only: the last passage holding the heading (the first may be the contents)
        return under or [u for u in in_doc if heading in self.corpus.units[u].text][-1:]


def best_sentence(corpus: CorpusText, places: list[tuple[str, int]], note: str, context: str = "") -> tuple[str, int]:
    """The whole sentence of these places (text cut from a unit, the unit) sharing the most character
    bigrams with the locator's note, then with the context (first on ties); when the places hold no
    whole sentence of their unit (lines cut mid-sentence), the best place itself.

    Bigrams, not words: they need no tokenizer and work the same for Japanese
    and English, and the locator notes they are matched against are short.
    """
    by_note, by_context = _bigrams(note), _bigrams(context)

    def score(text: str) -> tuple[int, int]:
        have = _bigrams(text)
        return len(by_note & have), len(by_context & have)

    best: tuple[tuple[int, int], str, int] = ((-1, -1), "", places[0][1])
    for text, unit in places:
        whole = {_squash(s) for s in _sentences(corpus.units[unit].text)}
        for sentence in _sentences(text):
            if _squash(sentence) in whole and (rank := score(sentence)) > best[0]:
                best = (rank, sentence, unit)
    if not best[1]:  # no whole sentence at the cited place: quote the place
        text, unit = max(places, key=lambda place: score(place[0]))
        return text, unit
    return best[1], best[2]


def _sentences(text: str) -> list[str]:
    """Sentences of a text, without front matter (which names the source, it is not what it says)."""
    spans = (text[a:b].strip() for a, b in sentence_spans(text))
    return [s for s in spans if s and not METADATA_LINE.match(s)]


def _squash(text: str) -> str:
    """Text compared without whitespace or width differences."""
    return "".join(nfkc(text).split())


def within_lines(quote: str, file_text: str, locator: str) -> bool:
    """Whether a quote is text of the file lines its locator names (within one of its ranges).

    The check a reader makes with the source open: independent of how the build cut
    passages. A quote clipped with an ellipsis is compared without it.
    """
    lines = file_text.split("\n")
    wanted = _squash(quote.strip().removeprefix("…").removesuffix("…"))
    return any(wanted in _squash("\n".join(lines[a - 1:b])) for a, b in line_ranges(locator))


def _bigrams(text: str) -> set[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    return {text[i:i + 2] for i in range(len(text) - 1) if not text[i:i + 2].isspace()}


def note_in(note: str, lang: str | None) -> str:
    """A citation's note in the page language.

    Bilingual documents (checklists, their exports) carry notes as ``ja / en``; a page
    shown in one language gives the half in that language. Other notes are as written.
    """
    if lang in NOT_IN_CORPUS:
        for notes in (NOT_IN_CORPUS, NOT_LOCATED):
            note = note.replace(f"{notes['ja']} / {notes['en']}", notes[lang])
        note = _ENDED_PAIR.sub(lambda m: m.group(1) if lang == "ja" else m.group(2), note)
    return note


def resolve_all(corpus: CorpusText, citations: list[dict], lang: str | None = None) -> list[dict]:
    """Citation dicts as query rows give them (document, title, locator, iri, evidence) made checkable."""
    builder = CitationBuilder(corpus, lang)
    out = []
    for c in citations:
        document = expand_curie(c["document"])
        provision = c.get("iri") or c.get("provision") or ""
        source = Source(document, c.get("title", ""), c.get("locator", ""),
                        provision if provision != document else "", c.get("evidence", ""))
        out.append({**builder.one(source), "document": c["document"]})
    return out


_EVIDENCE_OF_DOCUMENTS = """
SELECT ?document ?evidence WHERE { ?document rko:evidence ?kind . ?kind skos:notation ?evidence }
"""


_ENDED_DOCUMENTS = """
SELECT ?document ?ended WHERE { ?document rko:noLongerInForce ?ended }
"""
NO_LONGER_IN_FORCE = {
    "ja": "この文書は{date}に効力を失った（廃止）。",
    "en": "This document is no longer in force (from {date}).",
}
_ENDED: BoundedCache[str, dict[str, str]] = BoundedCache(2)
_ENDED_PAIR = re.compile("({}) / ({})".format(*(re.escape(NO_LONGER_IN_FORCE[k]).replace(r"\{date\}", ".+?")
                                               for k in ("ja", "en"))))


def date_ja(date: str) -> str:
    """2014-10-31 → 2014年10月31日 (other forms as given)."""
    return "{}年{}月{}日".format(*(int(x) for x in date.split("-"))) if re.fullmatch(r"\d{4}-\d\d-\d\d", date) else date


def mark_ended(store: GraphStore, citations: list[dict], lang: str | None) -> None:
    """Add to the note of each citation of a document no longer in force when it stopped applying:
    a definition read from an abolished notice is still cited, but not as current law. ``lang``
    None: in both languages (bilingual documents such as checklists)."""
    ended = _ENDED.get_or_create(store.build_id or f"memory-{id(store)}", lambda: {
        r["document"].value: r["ended"].value for r in store.select(_ENDED_DOCUMENTS).rows})
    for c in citations:
        date = ended.get(expand_curie(c["document"]))
        if date:
            ja, en = NO_LONGER_IN_FORCE["ja"].format(date=date_ja(date)), NO_LONGER_IN_FORCE["en"].format(date=date)
            said = ja if lang == "ja" else en if lang == "en" else f"{ja} / {en}"
            c["note"] = f"{c['note']} {said}" if c.get("note") else said


def add_evidence(store: GraphStore, citations: list[dict]) -> None:
    """Fill in ``evidence`` from each cited document where the citation itself does not state one."""
    if all(c.get("evidence") for c in citations):
        return
    kinds = {r["document"].value: r["evidence"].value for r in store.select(_EVIDENCE_OF_DOCUMENTS).rows}
    for c in citations:
        if not c.get("evidence"):
            c["evidence"] = kinds.get(c["document"], "")


def _overlaps(have: list[tuple[int, int]], wanted: list[tuple[int, int]]) -> bool:
    return any(a <= d and c <= b for a, b in have for c, d in wanted)


def clip(text: str) -> str:
    """Whitespace collapsed; long text cut at MAX_QUOTE with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "…"
