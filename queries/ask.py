"""Question answering with citations (``GET /ask``, ``regkg ask``).

detect language → link entities → analyse the question into scored readings
(``queries/analysis.py``) → run the best readings' answerers, keeping the
best-supported cited answer (and a second one when the question asks two
things) → one sentence in the question's language naming the items, with
citations. A reading runs only when it accounts for most of the question, so
a graph answer is about the question's subject and relation. Otherwise search:
abbreviations spelled out in a passage, else the best sentence of the best
passages, cited. Below the confidence threshold the answer abstains
(``"method": "none"``): it says what was understood and offers the passages as
"may be relevant"; a question about nothing in the domain is declined.
Every answer carries ``understood``: the reading it answered.
"""

from __future__ import annotations

import re
from dataclasses import replace

from regkg.graph.store import GraphStore
from regkg.queries.analysis import SELF_RELATIONS, Analysis, Reading, analyse, clause_breaks, get_lexicon, named_apart
from regkg.queries.answer_graph import ACRONYM, ANSWERERS, QUALIFIER_FACET_TYPES, Context, GraphAnswer
from regkg.queries.answer_text import abstention, compose, declined
from regkg.queries.citations import CitationBuilder, CorpusText, Source, add_evidence, corpus_text, mark_ended
from regkg.queries.reader import LOW_CONFIDENCE, item_json, search_json
from regkg.queries.requirements import requirements
from regkg.queries.linking import EntityLinker, Linked, get_linker
from regkg.queries.modifiers import get_children, refine
from regkg.queries.retrieval.index import SearchIndex, get_index
from regkg.queries.retrieval.tokens import STOP_WORDS, main_language, normalize, terms
from regkg.queries.search import check_query

#: A reading runs only when it accounts for at least this share of the question's content words
#: and scores at least this much (one cue and a direct subject; less when the form disagrees).
MIN_EXPLAINED = 0.5
MIN_SCORE = 2.0
#: A reading whose answer is the entity itself (what is X, what does X stand for) answers only a
#: question about little else: "the two principles of QRM" is not answered by what QRM is.
MIN_EXPLAINED_SELF = 0.75
#: A question that names nothing of the graph and asks none of its relations is out of domain,
#: unless most of its words (or their translations) are ones the documents use.
MIN_KNOWN_TERMS = 0.75
#: At most this many readings are tried for the first part of an answer, and none scoring more than
#: MAX_SCORE_GAP below the best ("the review period for a Class I plan" asks a period: when the graph
#: has none, who reviews the plan is not the answer).
MAX_READINGS = 3
MAX_SCORE_GAP = 1.0
GRAPH_ANSWERERS = {**ANSWERERS, "requirements": requirements}
MAX_CITATIONS = 5


def ask(store: GraphStore, q: str) -> dict:
    """The ``/ask`` JSON for one question (InputError for empty or oversized input)."""
    answer = _answer(store, check_query(q))
    add_evidence(store, answer["citations"])
    mark_ended(store, answer["citations"], main_language(q))
    return answer


def _answer(store: GraphStore, q: str) -> dict:
    """The answer to a checked question; ``ask`` then labels its citations' evidence."""
    lang = main_language(q)
    index, linker = get_index(store), get_linker(store)
    lexicon = get_lexicon(store)
    generic = frozenset(lexicon.generic)
    linked = refine(q, complete_links(q, linker.link(q), lexicon.phrase_boundaries, generic), linker,
                    get_children(store), generic, lexicon.forms.get("exclusion", ()))
    # a document named beside the things asked about says where to look; named alone (an entity's
    # name inside its own, as "EV" in "the EV guidance", aside), it is what is asked about
    documents = linker.document_links(q)
    inside = [l for l in linked if any(d.start <= l.start and l.end <= d.end and (l.start, l.end) != (d.start, d.end)
                                       for d in documents)]
    asked = linked if len(inside) < len(linked) else documents or linked
    analysis = analyse(q, asked, lexicon, documents if asked is not documents else ())
    ctx = Context(store, linker, q, asked, generic=generic,
                  relation_cues={r.name: r.cues for r in lexicon.relations.values()})
    answered = answer_readings(ctx, analysis, lexicon.clause_joiners)
    corpus = corpus_text(store, index.units)
    forms = {f: lexicon.answer_cues.get(f, ()) for f in analysis.forms}
    if answered:
        answer = _graph_json(q, lang, answered, corpus, linker, analysis)
        if "why" in forms and not any("why" in r.relation.forms for r, _ in answered):
            # the graph holds what is decided, not why: the reason is read from the passages
            answer = _with_reason(answer, search_json(q, lang, index, linker, linked, {"why": forms["why"]},
                                                      corpus=corpus), lang)
        return answer
    result = search_json(q, lang, index, linker, linked, forms, asks_name=asks_name(analysis, linked),
                         corpus=corpus, count=analysis.count, asking=analysis.asking_spans)
    result["understood"] = understood(analysis.best, linked, linker, lang)
    # before the confidence: translated words can match a passage by chance, so a well-covered
    # passage says nothing of whether the question is in the domain
    if not in_domain(analysis, linker) and known_share(index, q) < MIN_KNOWN_TERMS:
        return {**result, "answer": declined(lang), "citations": [], "items": [], "method": "none",
                "confidence": 0.0}
    if result["confidence"] >= LOW_CONFIDENCE:
        return result
    return {**result, "answer": abstention(_understood_text(result["understood"], lang), result["answer"], lang),
            "method": "none"}


def _with_reason(answer: dict, reason: dict, lang: str) -> dict:
    """A graph answer with the passage that gives the reason the question also asks for, cited."""
    if not reason["citations"] or reason["confidence"] < LOW_CONFIDENCE:
        return answer
    return {**answer, "answer": answer["answer"] + (" " if lang == "en" else "") + reason["answer"],
            "citations": answer["citations"] + reason["citations"]}


def asks_name(analysis: Analysis, linked: list[Linked]) -> bool:
    """Whether the question asks what a term is or stands for, and little else: a definition or
    abbreviation cue, with the abbreviations and the understood wording accounting for most of it
    ("What does QTPP stand for?"), not a "what is" that frames another question ("what is the most
    lacking evidence for EVs?")."""
    cues = [(c.start, c.end) for c in analysis.relation_cues if c.name in SELF_RELATIONS]
    if not cues or named_apart(linked):
        return False
    abbreviations = [(m.start(), m.end()) for m in ACRONYM.finditer(analysis.question)]
    return analysis.explained_with(cues + abbreviations) >= MIN_EXPLAINED_SELF


def in_domain(analysis: Analysis, linker: EntityLinker) -> bool:
    """The question names an entity or a source document of the graph, or asks one of its relations."""
    asks = [c for c in analysis.relation_cues if c.name not in SELF_RELATIONS]  # "what is" asks nothing of the domain
    return bool(analysis.linked or asks or names_known_term(analysis.question, linker))


def names_known_term(q: str, linker: EntityLinker) -> bool:
    """True when a label of the graph (a law, notice, modality, actor …) occurs in the question as a
    word of its own, even where the linker found no whole entity ("iPS cell-derived products"
    names iPS although no entity is labelled so): naming one puts the question in the domain."""
    text = q.lower()
    return any(re.search(rf"(?<![a-z0-9]){re.escape(label.lower())}(?![a-z0-9])", text)
               for labels_by_lang in linker.labels.values() for labels in labels_by_lang.values()
               for label in labels if len(label) >= 3 and label.lower() in text)


def known_share(index: SearchIndex, q: str) -> float:
    """Share of the question's words that the indexed documents use, in either language: a word
    counts when the documents have it or one of its translations (the cross-lingual bridge), as much
    as that translation's weight, so an English question about Japanese text is known, "weather" is
    not, and "football" is not known through a loose gloss (球, "ball (in football)")."""
    concepts = index.bridge().concepts(q)
    known = (max((w for t, w in c.items() if t in index.bm25.idf), default=0.0) for c in concepts)
    return sum(known) / len(concepts) if concepts else 0.0


def answer_readings(ctx: Context, analysis: Analysis,
                    joiners: tuple[str, ...] = ()) -> list[tuple[Reading, GraphAnswer]]:
    """The graph answers of the best readings that explain the question: the first that answers,
    and a second part when another reading asks something else, in another clause (clauses end at
    punctuation and at the lexicon's ``joiners``: and, また …), that the first does not cover."""
    out: list[tuple[Reading, GraphAnswer]] = []
    tried = 0
    asked_other = False  # a better reading asked for something about the entity, not the entity itself
    for reading in analysis.readings:
        own = reading.relation.name in SELF_RELATIONS
        needed = MIN_EXPLAINED_SELF if own else MIN_EXPLAINED
        if reading.explained < needed or reading.score < MIN_SCORE or (own and asked_other):
            continue
        if not reading.direct and all(normalize(l.text) in ctx.generic for l in reading.subjects):
            continue  # a hop from a generic word (細胞, cells) to its risk classes answers for no therapy
        asked_other = asked_other or not own
        if out and not _second_part(ctx.question, out[0][0], reading, joiners):
            continue
        if not out:
            if tried == MAX_READINGS or reading.score < analysis.readings[0].score - MAX_SCORE_GAP:
                break  # a reading well below the best asks something else: its answer is not this one's
            tried += 1
        answerer = GRAPH_ANSWERERS.get(reading.intent)
        if answerer is None:
            continue
        result = answerer(replace(ctx, linked=reading.subjects, cues=reading.relation.cues))
        if result is not None and (result.items or result.detail_ja) and result.citations:
            out.append((reading, result))
            if len(out) == 2:
                break
    return out


#: Relations that are never a second part: they name the entity itself, or already hold every part.
WHOLE_ANSWERS = frozenset({"definition", "abbreviation", "document", "requirements", "comparison"})


def _whole(reading: Reading) -> bool:
    """Whether the reading's answer names the entity itself or holds every part: what a modality or
    a risk class requires does (class, committee, plan, reports, tests); what a pathway requires is
    its list of criteria, one part beside its term or its steps ("the longest term of emergency
    approval, and the situation it must be needed for")."""
    if reading.intent == "requirements":
        return not all(s.type == "Pathway" for s in reading.subjects)
    return reading.intent in WHOLE_ANSWERS


def _second_part(q: str, first: Reading, other: Reading, joiners: tuple[str, ...]) -> bool:
    """True when ``other`` asks another thing in another clause: another relation, on cue words of its own."""
    if other.relation.name == first.relation.name or _whole(first) or _whole(other):
        return False
    breaks = clause_breaks(q, joiners)
    first_clauses = {_clause(breaks, c.start) for c in first.cues}
    return all(_clause(breaks, c.start) not in first_clauses for c in other.cues)


def _clause(breaks: list[int], position: int) -> int:
    """Which clause of the question a position falls in (0 for the first)."""
    return sum(1 for b in breaks if b <= position)


def confidence(reading: Reading) -> float:
    """How sure a graph answer is: the share of the question its reading explains, less for a hop."""
    return round(min(0.95, 0.55 + 0.4 * reading.explained - (0.0 if reading.direct else 0.05)), 3)


def understood(reading: Reading | None, linked: list[Linked], linker: EntityLinker, lang: str) -> dict:
    """The reading answered (or, without one, the entities found): relation, subjects, constraints."""
    def entity(link: Linked) -> dict:
        return {"iri": link.iri, "label": linker.pref_label(link.iri, lang) or link.text, "type": link.type}

    def distinct(links: list[Linked]) -> list[dict]:
        return [entity(l) for l in {l.iri: l for l in links}.values()]

    if reading is None:
        return {"relation": None, "relation_label": "", "subjects": distinct(linked), "constraints": []}
    label = reading.relation.label_ja if lang == "ja" else reading.relation.label_en
    return {"relation": reading.relation.name, "relation_label": label, "subjects": distinct(reading.subjects),
            "constraints": distinct(reading.constraints)}


def _understood_text(u: dict, lang: str) -> str:
    names = ("、" if lang == "ja" else ", ").join(s["label"] for s in u["subjects"])
    if lang == "ja":
        return "、".join(x for x in (u["relation_label"], names) if x)
    return " of ".join(x for x in (u["relation_label"], names) if x)


def _inside_phrase(words: list[str], boundaries: frozenset[str]) -> bool:
    """True for one or two words that can stand between a qualifier and its head noun (T, NK-like)."""
    return 1 <= len(words) <= 2 and not any(_ends_phrase(w.lower(), boundaries) for w in words)


def _ends_phrase(word: str, boundaries: frozenset[str]) -> bool:
    """True when ``word`` cannot be part of the noun phrase that follows it: a function word, a
    gerund, or one of the lexicon's phrase boundaries (verbs that take a noun phrase, numbers)."""
    return word in STOP_WORDS or word in boundaries or word.endswith("ing")


def complete_links(q: str, linked: list[Linked], boundaries: frozenset[str] = frozenset(),
                   generic: frozenset[str] = frozenset()) -> list[Linked]:
    """Links that cover their whole English noun phrase: in "kinds of stem cells" a link on
    "cells" alone is about something else, so the graph must not answer from it. A label of
    several words names its thing whatever comes before it ("define human embryonic stem cells"
    is still about embryonic stem cells), and so does a name that is not a generic word of the
    lexicon ("cord-derived MSC" is still an MSC, a narrower one): only a one-word generic link
    (cells, products) can be cut short."""
    out = []
    spans = {(o.start, o.end) for o in linked}  # a label linking many entities is one span
    for link in linked:
        if len(link.text.split()) > 1 or (generic and link.text.lower() not in generic):
            out.append(link)
            continue
        before = re.search(r"([A-Za-z]+)\s+$", q[: link.start])
        word = before.group(1).lower() if before else ""
        covered = before is not None and any(start <= before.start(1) < end for start, end in spans)
        # "gene-modified T cells" are gene-modified cells, whatever T says: a qualifier (origin,
        # processing) opening the phrase says what kind of product its head noun is
        qualified = any(o.type in QUALIFIER_FACET_TYPES and o.end <= link.start
                        and _inside_phrase(q[o.end : link.start].split(), boundaries) for o in linked)
        if word and not _ends_phrase(word, boundaries) and not covered and not qualified:
            continue
        out.append(link)
    return out


def _graph_json(q: str, lang: str, answered: list[tuple[Reading, GraphAnswer]], corpus: CorpusText,
                linker: EntityLinker, analysis: Analysis) -> dict:
    reading = answered[0][0]
    answers = [a for _, a in answered]
    items = list({i.iri: i for a in answers for i in a.items}.values())
    labels = " ".join(i.ja + " " + i.en for i in items)
    # each part's first citation first, so a two-part answer keeps both parts cited
    cites = [a.citations[0] for a in answers] + [c for a in answers for c in a.citations[1:]]
    return {
        "question": q,
        "answer": (" " if lang == "en" else "").join(compose(a, lang) for a in answers),
        "items": [item_json(i, lang) for i in items],
        "citations": CitationBuilder(corpus, lang).build(
            (Source(c.document, c.title, c.locator, c.provision, c.evidence) for c in dict.fromkeys(cites)),
            q + " " + labels, limit=MAX_CITATIONS),
        "method": "graph",
        "sparql": "\n\n".join(dict.fromkeys(a.sparql for a in answers if a.sparql)),
        "confidence": min(confidence(r) for r, _ in answered),
        "understood": understood(reading, analysis.linked, linker, lang),
    }
