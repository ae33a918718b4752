"""The search-based answer: when the graph has no cited answer, read it from the passages.

Abbreviations in the question spelled out in a passage, else an extractive
reader: candidate windows of one to ``MAX_WINDOW`` sentences from the best
passages — a sentence that announces a list (「次の各号」, "as follows", a
closing colon) is kept with the items that follow it — each scored on

- coverage: the idf-weighted share of the question's words it carries, a word
  counting when the window has the word or one of its translations (the
  cross-lingual bridge), so an English question reads Japanese text;
- dense similarity of its sentences to the question (with its translation);
- answer-type fit, for the question forms the caller read (``forms``): a number
  for how long / how many, an actor for who, an enumeration for what-are and
  which, and
- its length and its passage's rank, so the smallest window that answers wins, and
- whether its passage is from a document the question names as its source.

The best window is the answer, in its source language and cited with its unit;
when it leaves a good part of the question uncovered, a second window that
carries most of the rest follows it, cited too (a two-part question, or a
passage that has the topic but not what is asked). The best window's coverage
is the answer's confidence (``ask`` abstains below LOW_CONFIDENCE).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from regkg.ingest.segment import LIST_ANNOUNCEMENT, LIST_ITEM, METADATA_LINE, URL, continues_previous
from regkg.queries.analysis import Count
from regkg.queries.answer_graph import Item, acronyms
from regkg.queries.answer_text import expansion_sentence, nothing_found, passage_sentence
from regkg.queries.citations import CorpusText
from regkg.queries.linking import EntityLinker, Linked
from regkg.queries.named_provisions import named_provisions
from regkg.queries.retrieval.index import SearchIndex
from regkg.queries.retrieval.tokens import language, main_language, normalize, terms
from regkg.queries.search import crosslingual_vector, query_vector, rank

#: Below this confidence the answer says it is uncertain. Chosen on dev_qa_large: of the passage
#: answers at or above 0.5, 70 % were right; of those below it, 36 % (n = 74 and 22).
LOW_CONFIDENCE = 0.5
MAX_QUOTE = 300
SEARCH_UNITS = 5
#: Longest window, in sentences (a list announced by its first sentence may add LIST_ITEMS more).
MAX_WINDOW = 3
LIST_ITEMS = 12
#: Unit types that are a provision's own text, whose items follow its announcement unnumbered.
PROVISION_TYPES = ("Paragraph",)
#: Weights of the window score (global, chosen on the dev sets; coverage counts 1).
DENSE_WEIGHT = 0.3
TYPE_WEIGHT = 0.15
SENTENCE_COST = 0.06
RANK_COST = 0.1
#: Credit of a window from a document the question names as its source, and more from a provision
#: it names ("ASRM Article 5": the article, not another that refers to it).
DOCUMENT_WEIGHT = 0.3
PROVISION_WEIGHT = 0.3
#: Longest answer text; a longer window is cut around the question's words.
MAX_ANSWER = 600
#: A second window is read when the best one leaves at least this share of the question's weight
#: uncovered, and given when it carries at least this share of what was left.
SECOND_PART_SHARE = 0.3
SECOND_PART_COVERAGE = 0.5
#: An enumeration inside a sentence: items separated by 、 , ・ or numbered.
_SEPARATORS = re.compile(r"[、,，・]|(?:^|\s)[0-9]+[.)]")
#: A sentence that asks (a Q&A's question), in either language.
_QUESTION = re.compile(r"(?:か|\?|？)[」』)）]?[。.]?\s*$")
_PARENTHESES = re.compile(r"[(（][^()（）]*[)）]")
#: An enumerated item is short: the parts between an enumeration's separators run to at most this many characters.
ENUMERATED_ITEM_CHARS = 20
_NUMBER = re.compile(r"[0-9０-９]+|[一二三四五六七八九十百千万]+(?=[日年月週時人例件個名回%％])")


def item_json(item: Item, lang: str) -> dict:
    """An item as ``/ask`` returns it, labelled first in the question's language."""
    label = (item.ja or item.en) if lang == "ja" else (item.en or item.ja)
    return {"iri": item.iri, "label": label, "label_ja": item.ja, "label_en": item.en, "type": item.type}


def search_json(q: str, lang: str, index: SearchIndex, linker: EntityLinker, linked: list[Linked],
                forms: Mapping[str, Sequence[str]] | None = None, asks_name: bool = False,
                corpus: CorpusText | None = None, count: Count | None = None,
                asking: Sequence[tuple[int, int]] = ()) -> dict:
    """The ``/ask`` JSON answered from passages (``method: search``); ``forms`` are the question forms
    (who, when, why, …) question analysis read, each with the words its answers carry (the lexicon's
    answer cues), for the reader's answer-type fit; ``asks_name``: the question asks what a term is
    or stands for (a definition or abbreviation cue of the question lexicon), so an abbreviation
    spelled out in a passage answers it; ``corpus``: the build's texts as read, so each answer's
    citation names the file lines of its own window, not the whole passage's; ``count``: how many
    things the question asks for, when it says so (a window that lists fewer does not fit; the words
    that say it are not words a window must carry); ``asking``: where the question's words only say
    what kind of answer it wants (what, which, 挙げてください) — nor are these."""
    items = [item_json(Item(i, linker.pref_label(i, "ja"), linker.pref_label(i, "en"), linker.types.get(i, "")), lang)
             for i in dict.fromkeys(l.iri for l in linked)]
    expanded = _abbreviations(q, index, linked) if asks_name else None
    if expanded:
        pairs, units = expanded
        return _search_result(q, expansion_sentence(pairs, lang), items, index, units, 0.8,
                              [f"{a} {x}" for a, x in pairs])
    hits = rank(index, linker, q, linked=linked, limit=SEARCH_UNITS)
    if not hits:
        return {"question": q, "answer": nothing_found(lang), "items": items, "citations": [], "method": "search",
                "sparql": "", "confidence": 0.0}
    shaping = [*asking, *([(count.start, count.end)] if count else [])]
    concepts = _weighted_concepts(index, linker, q, linked, lang, shaping)
    windows = read(index, linker, q, [h.unit for h in hits], concepts, forms, count and count.value)
    places = [(corpus.lines_of(index.units[w.unit].iri, w.text) if corpus else None) or index.units[w.unit].locator
              for w in windows]
    answers = []
    for window, place in zip(windows, places, strict=True):
        u = index.units[window.unit]
        answers.append(passage_sentence(focus(window.text, concepts, MAX_ANSWER), u.title, place, lang))
        if lang == "en" and u.lang == "ja":
            items += _mentioned(linker, window.text, {i["iri"] for i in items}, lang)
    return _search_result(q, (" " if lang == "en" else "").join(answers), items, index, [w.unit for w in windows],
                          round(min(0.8, windows[0].coverage), 3),
                          [focus(w.text, concepts, MAX_QUOTE) for w in windows], places)


@dataclass(frozen=True)
class Window:
    unit: int
    first: int  # index of its first sentence (into SearchIndex.sentences)
    last: int  # index of its last sentence
    text: str
    terms: frozenset[str]  # the BM25 terms of its sentences
    coverage: float  # of the question's concepts
    rest: float  # its score less its coverage: dense similarity, answer-type fit, length and rank costs

    @property
    def score(self) -> float:
        return self.coverage + self.rest


def read(index: SearchIndex, linker: EntityLinker, q: str, units: Sequence[int],
         concepts: list[dict[str, float]], forms: Mapping[str, Sequence[str]] | None = None,
         count: int | None = None) -> list[Window]:
    """The windows of sentences from ``units`` (in rank order) that answer ``q``: the best one, and
    a second, elsewhere, when the best leaves a good part of the question's weight uncovered and
    that window carries most of it — the other part of a two-part question, or the words the
    first window's passage lacks ("…について、当初は何が原因と考えられていたか": the first window
    may hold the topic, the second the cause)."""
    windows = _windows(index, linker, q, units, concepts, forms, count)
    if not windows:  # units without sentences: the first unit whole
        text = index.units[units[0]].text
        return [Window(units[0], -1, -1, text, frozenset(terms(text)), 0.0, 0.0)]
    best = max(windows, key=lambda w: w.score)
    missing = [c for c in concepts if not c.keys() & best.terms]
    if _concept_coverage(concepts, frozenset(t for c in missing for t in c)) < SECOND_PART_SHARE:
        return [best]
    others = [replace(w, coverage=_concept_coverage(missing, w.terms)) for w in windows
              if w.unit != best.unit or w.last < best.first or w.first > best.last]
    second = max(others, key=lambda w: w.score, default=None)
    if second is None or second.coverage < SECOND_PART_COVERAGE:
        return [best]
    return [best, second]


def _windows(index: SearchIndex, linker: EntityLinker, q: str, units: Sequence[int],
             concepts: list[dict[str, float]], forms: Mapping[str, Sequence[str]] | None,
             count: int | None = None) -> list[Window]:
    """Every candidate window of the units, scored."""
    # an English question is compared with the sentences in the multilingual encoder's space (its
    # words need no translation there); a Japanese one in the main model's
    english = main_language(q) == "en"
    dense = index.crosslingual() if english else index.dense()
    vector = crosslingual_vector(q) if english else query_vector(index, q, index.bridge())
    documents = linker.document_links(q)
    named = linker.named_documents(q)
    provisions = set(index.provision_units(named_provisions(q, documents)))
    out = []
    for rank_pos, unit in enumerate(units):
        sentences = list(index.unit_sentences(unit))
        source = (DOCUMENT_WEIGHT if index.units[unit].document in named else 0.0) + (
            PROVISION_WEIGHT if unit in provisions else 0.0)
        sims = dense.vectors[index.sentence_row[sentences]] @ vector if sentences else np.zeros(0)
        found = [frozenset(terms(URL.sub(" ", index.sentences[s]))) for s in sentences]
        for i in range(len(sentences)):
            if METADATA_LINE.match(index.sentences[sentences[i]]) or (
                    i and continues_previous(index.sentences[sentences[i]])):
                continue  # front matter says nothing; a back-reference is read with what it refers to
            for j, extra in _window_ends(index, sentences, i, index.units[unit].type in PROVISION_TYPES):
                seen = frozenset().union(*found[i : j + 1])
                text = "".join(index.sentences[s] if language(index.sentences[s]) == "ja" else index.sentences[s] + " "
                               for s in sentences[i : j + 1]).strip()
                items = sum(1 for s in sentences[i : j + 1] if LIST_ITEM.match(index.sentences[s]))
                rest = (DENSE_WEIGHT * float(sims[i : j + 1].max())
                        + TYPE_WEIGHT * _type_fit(linker, text, forms, count, items)
                        - SENTENCE_COST * extra - RANK_COST * rank_pos + source)
                out.append(Window(unit, sentences[i], sentences[j], text, seen, _concept_coverage(concepts, seen),
                                  rest))
    return out


def _window_ends(index: SearchIndex, sentences: list[int], i: int, provision: bool = False) -> list[tuple[int, int]]:
    """Last-sentence positions of the windows starting at ``i``: up to MAX_WINDOW sentences, each
    completed so it does not stop at a promise: a sentence that announces a list runs on through
    its items, and a question (in a Q&A) through the answer that follows it; front matter ends it.
    In a ``provision`` (a paragraph of a law), what follows 「次のとおりとする」 is its items, whether
    or not the text as stored numbers them (the item numbers of 号 are often not displayed).
    Each end comes with the window's length before completion, which is what its length costs."""
    def continued(j: int) -> int:
        """The last piece of the sentence ending at ``j``: what follows speaks of it (「その場合は…」),
        or closes a bracket a 。 inside it cut (「…を除く。」「)に係るものを除き、次のとおりとする。」)."""
        while (j + 1 < len(sentences) and j + 1 - i <= LIST_ITEMS
               and continues_previous(index.sentences[sentences[j + 1]])):
            j += 1
        return j

    ends = []
    j = i
    while j < min(len(sentences), i + MAX_WINDOW):
        text, n = index.sentences[sentences[j]], j - i
        if j > i and METADATA_LINE.match(text):  # front matter ends what the text says
            break
        first, j = j, continued(j)
        text = "".join(index.sentences[s] for s in sentences[first : j + 1])
        if LIST_ANNOUNCEMENT.search(text):
            k = j + 1
            while k < len(sentences) and k - j <= LIST_ITEMS and (
                    provision or LIST_ITEM.match(index.sentences[sentences[k]])):
                k += 1
            j = k - 1
        elif _QUESTION.search(text) and j + 1 < len(sentences):
            # through a run of questions (a slide's checklist) to the first sentence that answers
            k = j + 1
            while k + 1 < len(sentences) and k - j < LIST_ITEMS and _QUESTION.search(index.sentences[sentences[k]]):
                k += 1
            j = k
        j = continued(j)
        ends.append((j, n))
        j += 1
    return ends


def _weighted_concepts(index: SearchIndex, linker: EntityLinker, q: str, linked: Sequence[Linked],
                       lang: str, shaping: Sequence[tuple[int, int]] = ()) -> list[dict[str, float]]:
    """The question's concepts (each word with its translations, and the linked entities' labels in
    the other language), each term with its credit: its idf times its translation weight. A common
    word that a translation happens to offer (第, 号) earns little, a specific one much. The words
    that shape the answer (``shaping``: how many things to give, what kind of answer is wanted) are
    not concepts."""
    idf = index.bm25.idf
    text = q
    for start, end in shaping:
        text = text[:start] + " " * (end - start) + text[end:]
    concepts = index.bridge().concepts(text)
    # a linked entity is one concept: its words as written, its other names (安確法 is
    # 再生医療等安全性確保法) or its labels in the other language
    for link in {l.iri: l for l in linked if not any(s < l.end and l.start < e for s, e in shaping)}.values():
        other = "ja" if lang == "en" else "en"  # bridge_terms gives the labels in the language it is not given
        names = [link.text, *linker.bridge_terms([link], lang), *linker.bridge_terms([link], other)]
        concepts.append({t: 1.0 for text in names for t in terms(text)})
    out = []
    for c in concepts:
        own = next(iter(c), "")  # the word as asked comes first, its translations after it
        known = {t: w for t, w in c.items() if idf.get(t, 0.0) * w > 0}
        if not known:
            continue
        # a word weighs what it says in its own language, and a translation earns that times its
        # weight: a generic word (再生) does not weigh as much as a rare English gloss of it
        # ("provision"), and a Japanese passage is not worth less to an English question than an
        # English one because Japanese words are common in the corpus
        weight = idf[own] if own in known else max(idf[t] * w for t, w in known.items())
        out.append({t: weight * w for t, w in known.items()})
    return out


def _concept_coverage(concepts: list[dict[str, float]], seen: frozenset[str]) -> float:
    """Share of the question's weight (each concept weighs as its best term) that ``seen`` carries."""
    total = sum(max(c.values()) for c in concepts)
    if not total:
        return 0.0
    return sum(max((v for t, v in c.items() if t in seen), default=0.0) for c in concepts) / total


def _type_fit(linker: EntityLinker, text: str, forms: Mapping[str, Sequence[str]] | None,
              count: int | None = None, items: int = 0) -> float:
    """1 when the window holds what the question form asks for (a number for when / how long or how
    many, an actor for who, an enumeration for what / which — as many items as ``count`` when the
    question says how many: ``items`` list lines, else the things a sentence enumerates —, one of the
    form's answer words such as a reason's because / ため for why), 0 otherwise or without a form."""
    if not forms:
        return 0.0
    squashed = normalize(text)
    fits = [any(cue in squashed for cue in cues) for cues in forms.values() if cues]
    if "when" in forms or "how-many" in forms:
        fits.append(bool(_NUMBER.search(text)))
    if "who" in forms:
        fits.append(any(l.type == "Actor" for l in linker.link(text)))
    if count:
        fits.append((items or enumerated(text)) >= count)
    elif "what" in forms or "which" in forms:
        fits.append(len(_SEPARATORS.findall(text)) >= 2)
    return float(any(fits))


def enumerated(text: str) -> int:
    """How many things a sentence enumerates: its parts between separators (、 , ・ or numbers),
    remarks in parentheses aside — or 1 when the parts inside are long: commas that join clauses
    (「…に基づき、国内で…者は、施設ごとに…」) enumerate nothing, items do (「選抜、培養、回収、精製」)."""
    parts = _SEPARATORS.split(_PARENTHESES.sub("", text))
    inner = sorted(len(p.strip()) for p in parts[1:-1])
    return 1 if inner and inner[len(inner) // 2] > ENUMERATED_ITEM_CHARS else len(parts)


def _mentioned(linker: EntityLinker, text: str, known: set[str], lang: str) -> list[dict]:
    """Items for the entities a Japanese answer mentions, so an English question gets their English labels."""
    out = []
    for iri in dict.fromkeys(l.iri for l in linker.link(text)):
        if iri not in known and linker.pref_label(iri, "en"):
            out.append(item_json(Item(iri, linker.pref_label(iri, "ja"), linker.pref_label(iri, "en"),
                                      linker.types.get(iri, "")), lang))
    return out


def _search_result(q: str, answer: str, items: list[dict], index: SearchIndex, units: list[int],
                   confidence: float, quotes: list[str], places: Sequence[str] = ()) -> dict:
    """``places``: each quote's own locator (its window's lines); by default its unit's."""
    citations = []
    for i, (unit, quote) in enumerate(zip(units, quotes, strict=False)):
        u = index.units[unit]
        citations.append({"document": u.document, "title": u.title, "locator": places[i] if places else u.locator,
                          "quote": clip(quote), "iri": u.iri})
    return {"question": q, "answer": answer, "items": items, "citations": citations, "method": "search",
            "sparql": "", "confidence": confidence}


def _abbreviations(q: str, index: SearchIndex, linked: list[Linked]) -> tuple[list[tuple[str, str]], list[int]] | None:
    """Abbreviations in the question spelled out in a passage, as ``ABBR（expansion）`` or ``ABBR (expansion)``."""
    linked_texts = {l.text.rstrip("s") for l in linked}
    wanted = [a for a in acronyms(q) if a not in linked_texts] or acronyms(q)
    if not wanted:
        return None
    pairs: list[tuple[str, str]] = []
    units: list[int] = []
    for abbr in wanted:
        pattern = re.compile(r"(?<![A-Za-z])" + re.escape(abbr) + r"\s*[（(]\s*([^（）()]{3,100}?)\s*[）)]")
        for i, u in enumerate(index.units):
            m = next((m for m in pattern.finditer(u.text) if spells_out(abbr, m.group(1))), None)
            if m:
                pairs.append((abbr, m.group(1).replace("：", ": ").strip()))
                units.append(i)
                break
    return (pairs, units) if len(pairs) == len(wanted) else None


def spells_out(abbr: str, text: str) -> bool:
    """Whether a parenthesis after an abbreviation spells it out rather than saying something else
    about it: English words whose initials hold its letters in order (CQA: critical quality
    attribute), or a name in Japanese script alone (MSC（間葉系幹細胞）) — not a code, a number or a
    maker ("MSC (ADR-001, ロート製薬)")."""
    if language(text) == "ja":
        return not re.search(r"[A-Za-z0-9]", text)
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", text)).lower()
    letters = iter(initials)
    return bool(initials) and all(c in letters for c in abbr.lower() if c.isalpha())


def focus(text: str, concepts: list[dict[str, float]], limit: int) -> str:
    """The text on one line, cut to ``limit`` characters around the question's words: where a long
    window (a slide's run-on text, a long article) carries the most concept weight."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    squashed = normalize(text)  # NFKC keeps the length of the texts this reads; else fall back to the start
    if len(squashed) != len(text):
        return clip(text, limit)
    hits = sorted((m.start(), i, credit) for i, c in enumerate(concepts) for term, credit in c.items()
                  for m in re.finditer(re.escape(term), squashed))
    best_start, best = 0, -1.0
    for start, _, _ in hits:
        first = max(0, start - limit // 4)  # a little context before the first word
        best_of = {}
        for at, i, credit in hits:
            if first <= at < first + limit - 1:
                best_of[i] = max(best_of.get(i, 0.0), credit)
        if sum(best_of.values()) > best:
            best_start, best = first, sum(best_of.values())
    piece = text[best_start : best_start + limit - 2]
    return ("…" if best_start else "") + piece + ("…" if best_start + limit - 2 < len(text) else "")


def clip(text: str, limit: int = MAX_QUOTE) -> str:
    """The text on one line, cut to ``limit`` characters (by default the length a quote may have)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
