"""Question analysis: the readings of a question, scored, best first.

A reading is (asked relation × subject entities × constraints). Relations,
question forms and their cue words are data (``ontology/question-lexicon.ttl``,
read from the store through the ``question-lexicon`` named query), so adding a
relation adds no code here. A reading's score adds three kinds of evidence:

- cues: the relation's cue words found in the question, longest first, each
  span claimed once ("risk class" is one cue, not "risk" and "class"); a cue
  inside a linked entity's span is part of that name, not a cue ("class 1
  therapy" names a risk class, it does not ask for one);
- form: the question form (who, where, when / how long, which, what, why, how,
  誰, どこ, いつ, 何日, どの …) agrees with the relation's forms; a why- or how-
  question asks for an explanation that no relation gives;
- type fit: linked entities whose types the relation takes directly, or in one
  step (a modality's committee through its risk class).

``explained`` is the share of the question's content words that the reading's
cues, forms and links account for: a question about much else ("according to
the 2025 report, which …") is not one the graph answers, whatever its cues.
``count`` is how many things the question asks for when it says so ("the two
principles", 3つ挙げて), which the passage reader's answer-type fit reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import takewhile
from typing import NamedTuple

from regkg.graph.store import GraphStore
from regkg.ingest.nlp import Word, load_tokenizer
from regkg.queries.bounded_cache import BoundedCache
from regkg.queries.library import get_query
from regkg.queries.linking import Linked
from regkg.queries.retrieval.tokens import STOP_WORDS, language, main_language, normalize, number_names

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
#: Score for a matched cue, a longer (more specific) cue adding to it.
CUE_WEIGHT, LONG_CUE_BONUS = 1.0, 0.5
FORM_AGREES, FORM_DISAGREES = 0.5, -1.5
DIRECT_FIT, HOP_FIT = 1.0, 0.5
#: A cue that is the question's focus — the noun a what/which asks for ("what *tests* are required"),
#: the topic a Japanese question ends on (「必要な*試験*は？」) — names what is asked, whatever else it says.
FOCUS_BONUS = 1.0
#: Forms whose cue word is followed by the noun they ask for ("which committee", "what tests").
FOCUS_FORMS = frozenset({"what", "which"})
#: Forms that ask for an explanation, the conditions of a case or what follows from it, which few relations' answers are.
EXPLAIN_FORMS = frozenset({"why", "how", "condition", "per-source", "consequence"})
#: Forms that name the kind of answer (a time, a number, a person, a place): a relation that answers
#: none of the question's kinds answers something else ("何日間は提供できないか" is not "where to submit").
ANSWER_TYPE_FORMS = frozenset({"when", "how-many", "who", "where"})
#: An English cue ending in "of" ("kinds of") names its subject next: a link must start this close after it.
OF_REACH = 12
#: Relations that name the entity itself (its labels); any linked entity fits them.
SELF_RELATIONS = frozenset({"definition", "abbreviation"})
_CONTENT_TAGS = ("名詞", "動詞", "形容詞")


@dataclass(frozen=True)
class Relation:
    name: str  # slug, e.g. risk-class
    label_ja: str
    label_en: str
    cues: tuple[str, ...]
    forms: frozenset[str]
    subject_types: frozenset[str]
    hop_types: frozenset[str]
    object_types: frozenset[str] = frozenset()  # what its answers are (a risk class for risk-class)

    @property
    def takes(self) -> frozenset[str]:
        """The entity types it answers of, directly or in one step."""
        return self.subject_types | self.hop_types


@dataclass(frozen=True)
class Lexicon:
    relations: dict[str, Relation]
    forms: dict[str, tuple[str, ...]]  # form slug → cues
    generic: tuple[str, ...] = ()  # words that name the kind of thing asked about, not what is asked
    context: tuple[str, ...] = ()  # words that mark a clause giving the question's situation
    interrogative_after: frozenset[str] = frozenset()  # words after an English marker that make it a question word
    answer_cues: dict[str, tuple[str, ...]] = field(default_factory=dict)  # form slug → words its answers carry
    phrase_boundaries: frozenset[str] = frozenset()  # English words that end the noun phrase after them
    clause_joiners: tuple[str, ...] = ()  # words that join two asked parts of a question
    content_forms: frozenset[str] = frozenset()  # forms whose cue words also say what is asked about


@dataclass(frozen=True)
class Cue:
    name: str  # relation or form slug
    text: str
    start: int
    end: int


@dataclass
class Reading:
    relation: Relation
    subjects: list[Linked]
    constraints: list[Linked]
    cues: list[Cue]
    score: float
    direct: bool  # subjects fit the relation without a hop
    explained: float = 0.0  # share of the question's content words this reading accounts for

    @property
    def intent(self) -> str:
        """The answerer's name (``risk-class`` → ``risk_class``)."""
        return self.relation.name.replace("-", "_")


@dataclass
class Analysis:
    question: str
    lang: str
    forms: list[str]
    readings: list[Reading]
    explained: float  # share of content words the best reading (or, without one, the links) accounts for
    content_words: int
    linked: list[Linked] = field(default_factory=list)
    relation_cues: list[Cue] = field(default_factory=list)  # every relation cue found, with or without a subject
    count: Count | None = None  # how many things it asks for, when it says so
    content: list[tuple[int, int]] = field(default_factory=list)  # spans of its content words
    understood_spans: list[tuple[int, int]] = field(default_factory=list)  # links, sources, form cues, generic words
    # the words that only say what kind of answer is wanted (what, which, 挙げて): no passage need carry them
    asking_spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def best(self) -> Reading | None:
        return self.readings[0] if self.readings else None

    def explained_with(self, spans: Sequence[tuple[int, int]]) -> float:
        """Share of the content words that the understood wording and ``spans`` account for."""
        return _explained(self.content, self.understood_spans + list(spans))


def _slug(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def load_lexicon(store: GraphStore) -> Lexicon:
    """The relations and forms of the store's question lexicon."""
    entries: dict[str, dict[str, list]] = {}
    kinds: dict[str, str] = {}
    for r in get_query("question-lexicon").run(store).rows:
        entry = r["entry"].value
        kinds[entry] = _local(r["kind"].value)
        value = r["value"]
        entries.setdefault(entry, {}).setdefault(_local(r["property"].value), []).append(
            (value.value, getattr(value, "language", None)))
    relations: dict[str, Relation] = {}
    forms: dict[str, tuple[str, ...]] = {}
    generic: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    auxiliaries: set[str] = set()
    answer_cues: dict[str, tuple[str, ...]] = {}
    boundaries: set[str] = set()
    joiners: tuple[str, ...] = ()
    content_forms: set[str] = set()
    for entry, props in entries.items():
        cues = tuple(dict.fromkeys(normalize(v) for v, _ in props.get("cue", [])))
        if kinds[entry] == "GenericWords":
            generic += cues
            continue
        if kinds[entry] == "PhraseBoundaries":
            boundaries |= set(cues)
            continue
        if kinds[entry] == "ClauseJoiners":
            joiners += cues
            continue
        if kinds[entry] == "ContextMarkers":
            context += cues
            auxiliaries |= {normalize(v) for v, _ in props.get("unlessFollowedBy", [])}
            continue
        if kinds[entry] == "QuestionForm":
            forms[_slug(entry)] = cues
            if any(v.lower() == "true" for v, _ in props.get("cueNamesContent", [])):
                content_forms.add(_slug(entry))
            if props.get("answerCue"):
                answer_cues[_slug(entry)] = tuple(normalize(v) for v, _ in props["answerCue"])
            continue
        labels = {lang: v for v, lang in props.get("label", [])}
        relations[_slug(entry)] = Relation(
            _slug(entry), labels.get("ja", ""), labels.get("en", ""), cues,
            frozenset(_slug(v) for v, _ in props.get("questionForm", [])),
            frozenset(_local(v) for v, _ in props.get("subjectType", [])),
            frozenset(_local(v) for v, _ in props.get("hopType", [])),
            frozenset(_local(v) for v, _ in props.get("objectType", [])))
    return Lexicon(relations, forms, generic, context, frozenset(auxiliaries), answer_cues, frozenset(boundaries),
                   joiners, frozenset(content_forms))


_LEXICONS: BoundedCache[str, Lexicon] = BoundedCache(2)


def get_lexicon(store: GraphStore) -> Lexicon:
    """The lexicon of this store's build, read once (keyed by build id, like the linker)."""
    return _LEXICONS.get_or_create(store.build_id or f"memory-{id(store)}", lambda: load_lexicon(store))


def _occurrences(text: str, cue: str) -> list[tuple[int, int]]:
    """Where ``cue`` occurs in ``text``: English cues on word boundaries, Japanese anywhere."""
    return [(m.start(), m.end()) for m in _cue_pattern(cue).finditer(text)]


@lru_cache(maxsize=None)
def _cue_pattern(cue: str) -> re.Pattern[str]:
    """The compiled pattern of a cue, kept: the lexicon's cues outnumber the ``re`` module's own
    cache (512 patterns), which then compiles every cue again for every question."""
    if language(cue) == "en":
        return re.compile(r"(?<![a-z0-9])" + re.escape(cue) + r"(?![a-z0-9])")
    return re.compile(re.escape(cue))


def find_cues(text: str, cues: list[tuple[str, str]], blocked: list[tuple[int, int]],
              starts: frozenset[int] | None = None) -> list[Cue]:
    """Non-overlapping cue matches, longest cue first; spans inside ``blocked`` spans are skipped.

    ``cues`` are ``(name, cue)`` pairs; one cue text may belong to several names,
    and each of them gets the span. With ``starts`` (where the question's words start), a
    Japanese cue counts only where a word starts: 「とは」 is not in 「必要なことは」 (こと|は), nor
    「どの」 in 「などの」. Its end may fall inside a word: cues are written as stems (異な, 求められ).
    """
    taken: list[tuple[int, int]] = []
    found: list[Cue] = []
    for name, cue in sorted(cues, key=lambda c: (-len(c[1]), c[1], c[0])):
        at_word = starts is not None and language(cue) == "ja"
        for start, end in _occurrences(text, cue):
            if any(s <= start and end <= e for s, e in blocked):
                continue
            if at_word and start not in starts:
                continue
            if any(s < end and start < e and (s, e) != (start, end) for s, e in taken):
                continue
            taken.append((start, end))
            found.append(Cue(name, cue, start, end))
    return sorted(found, key=lambda c: c.start)


def _comparable(q: str) -> str:
    """The question in the lexicon's comparison form, keeping character positions (for spans)."""
    n = normalize(q)
    return n if len(n) == len(q) else q.lower()


def content_spans(words: list[Word]) -> list[tuple[int, int]]:
    """Spans of the question's content words (nouns, verbs, adjectives; English non-stop words)."""
    spans = []
    for tok in words:
        word = tok.text.lower()
        if re.fullmatch(r"[a-z0-9][a-z0-9\-']*", word):
            if word not in STOP_WORDS and len(word) > 1:
                spans.append((tok.idx, tok.idx + len(tok.text)))
        elif tok.tag.startswith(_CONTENT_TAGS) and "非自立" not in tok.tag:
            spans.append((tok.idx, tok.idx + len(tok.text)))
    return spans


def _explained(spans: list[tuple[int, int]], covered: list[tuple[int, int]]) -> float:
    if not spans:
        return 1.0
    hit = sum(any(s < e2 and s2 < e for s2, e2 in covered) for s, e in spans)
    return hit / len(spans)


_COPULAS = frozenset({"is", "are", "was", "were"})


def focus_span(words: list[Word], form_cues: list[Cue]) -> tuple[int, int] | None:
    """The span of the word the question asks for: the noun right after a what / which cue ("what
    tests are required", "which kinds of cells", 「どの文書が…」) or the head of the noun phrase
    after its copula and "the" ("what are the steps of …", "what is the review period for …"),
    not a verb ("what is X", "what does");
    else in Japanese the word before the last は when nothing but question words and endings follow it
    (「…に必要な試験は？」「…の審査委員会はどこですか」)."""
    cue_ends = {c.end for c in form_cues if c.name in FOCUS_FORMS}
    for i, tok in enumerate(words[:-1]):
        if tok.idx + len(tok.text) not in cue_ends:
            continue
        following = [w for w in words[i + 1 :] if not w.is_space]
        # "what are the steps of …": a noun the copula introduces with "the" is the one asked for (a
        # relation of something named after it); "what is an iPS cell" asks what the thing itself is
        if len(following) > 1 and following[0].text.lower() in _COPULAS and following[1].text.lower() == "the":
            # the noun phrase runs to its first function word; its last noun is its head ("the
            # review period for …" asks a period, "the risk class of …" a class)
            phrase = list(takewhile(lambda w: re.fullmatch(r"[A-Za-z][A-Za-z\-]*", w.text) is not None
                                    and w.text.lower() not in STOP_WORDS, following[2:]))
            if phrase:
                return phrase[-1].idx, phrase[-1].idx + len(phrase[-1].text)
            following = following[2:]
        while following and following[0].text.lower() == "of":
            following = following[1:]
        if following and (re.fullmatch(r"[A-Za-z][A-Za-z\-]*", following[0].text)
                          and following[0].text.lower() not in STOP_WORDS
                          or language(following[0].text) == "ja" and following[0].tag.startswith("名詞")):
            return following[0].idx, following[0].idx + len(following[0].text)
    topic = [i for i, w in enumerate(words) if w.text == "は" and w.tag.startswith("助詞")]
    if topic and topic[-1] > 0:
        asking = [(c.start, c.end) for c in form_cues]
        rest = words[topic[-1] + 1 :]
        if all(w.is_space or w.tag.startswith(("補助記号", "助動詞", "助詞"))
               or any(s <= w.idx < e for s, e in asking) for w in rest):
            before = words[topic[-1] - 1]
            if before.tag.startswith("名詞"):
                return before.idx, before.idx + len(before.text)
    return None


def _cue_weight(cue: Cue, form_cues: list[Cue]) -> float:
    """A longer cue is more specific; a cue that is also the question's frame ("what is", 何種) counts half."""
    weight = CUE_WEIGHT + (LONG_CUE_BONUS if len(cue.text) >= (3 if language(cue.text) == "ja" else 6) else 0.0)
    if any(f.start < cue.end and cue.start < f.end for f in form_cues):
        weight /= 2
    return weight


#: Where a clause ends (Japanese) or a leading English clause closes.
_CLAUSE_BREAK = re.compile(r"[、。，,;；?？]")


def clause_breaks(text: str, joiners: tuple[str, ...]) -> list[int]:
    """Where the question's clauses end: at punctuation, and where a joiner (and, また …) starts one."""
    found = [m.end() for m in _CLAUSE_BREAK.finditer(text)]
    for j in joiners:
        pattern = re.escape(j) if language(j) == "ja" else rf"(?<![A-Za-z]){re.escape(j)}(?![A-Za-z])"
        found += [m.start() for m in re.finditer(pattern, text, re.IGNORECASE)]
    return sorted(found)


def context_spans(text: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    """Clauses that give the question's situation: in Japanese from the last clause break up to a
    marker (…を提出するときに), in English from a marker opening the question to its first comma
    (when submitting the application, …). A clause that would reach the question's end is the
    question itself, so it is none."""
    spans = []
    for c in find_cues(text, [("context", w) for w in lexicon.context], []):
        if language(c.text) == "ja":
            breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, c.start)]
            spans.append((breaks[-1] if breaks else 0, c.end))
        else:
            following = text[c.end :].split()
            if not following or following[0] in lexicon.interrogative_after:
                continue  # "when must …", "… and when is it due": the marker asks
            comma = text.find(",", c.end)
            if not text[: c.start].strip():  # opening the question, the clause closes at its comma
                if comma > 0:
                    spans.append((c.start, comma))
            elif re.search(r"[a-z0-9)]\s+$", text[: c.start]):
                # inside the question, after a word ("… outside the ASRM when JSRM published …, and
                # how …"): a subordinate clause, to its comma or to the question's end
                spans.append((c.start, comma if comma > 0 else len(text.rstrip("?？. "))))
    return spans


def generic_spans(text: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    """Spans of generic words (therapy, cells, 療法 …): they name the kind of thing, not what is asked."""
    return [(c.start, c.end) for c in find_cues(text, [("generic", w) for w in lexicon.generic], [])]


def _answered_by_form(lexicon: Lexicon, forms: list[str], linked: list[Linked]) -> str | None:
    """The one relation that gives the kind of answer the question's form names (a time, a place …)
    for its linked entities, if only one does: the form is then evidence for it, as much as a frame
    cue ("When must adverse events be reported?" asks for a deadline without the word). "Who"
    fits several relations (who reviews, who grants, who receives), and names none of them."""
    asked = ANSWER_TYPE_FORMS.intersection(forms)
    fitting = [r.name for r in lexicon.relations.values() if asked & r.forms
               and any(l.type in r.subject_types or l.type in r.hop_types for l in linked)]
    return fitting[0] if len(fitting) == 1 else None


#: Kinds of product or therapy: what the domain's questions are about.
PRODUCT_TYPES = frozenset({"Modality", "CellKind", "MaterialType", "CellOrigin", "ProcessingLevel"})


def named_apart(linked: list[Linked]) -> bool:
    """Whether the question names a term and, apart from it, a kind of product: "the quality
    attributes *of MSCs*" asks what the term is for that product, not what the term is (or stands
    for). A source or a body named beside it ("… in ICH Q5A") changes nothing."""
    products = [l for l in linked if l.type in PRODUCT_TYPES]
    return any(a.end <= p.start or p.end <= a.start for a in linked if a.type not in PRODUCT_TYPES for p in products)


def _names_both_ends(relation: Relation, linked: list[Linked]) -> bool:
    """Whether the question links an entity the relation takes directly and, elsewhere in it, one
    of the kind its answers are: asking whether the two are related is asking the relation."""
    objects = [l for l in linked if l.type in relation.object_types]
    return bool(objects) and any(l.type in relation.subject_types
                                 and all(l.end <= o.start or o.end <= l.start for o in objects) for l in linked)


def analyse(q: str, linked: list[Linked], lexicon: Lexicon, sources: Sequence[Linked] = ()) -> Analysis:
    """Every reading with cue evidence and a fitting subject, best first. ``sources``: where the
    question names the documents to look in ("under the PMD Act", 「安確法施行規則では」) — words
    understood, though not what is asked about."""
    text = _comparable(q)
    links = [(l.start, l.end) for l in linked]
    situation = context_spans(text, lexicon)
    words = load_tokenizer().words(q)  # once: cues, content words and a Japanese count read the same tokens
    starts = frozenset(w.idx for w in words)
    form_cues = [c for c in find_cues(text, [(f, c) for f, cues in lexicon.forms.items() for c in cues], links,
                                      starts)
                 if not any(s <= c.start and c.end <= e for s, e in situation)]  # "when submitting …, which …"
    forms = list(dict.fromkeys(c.name for c in form_cues))
    # a cue word inside a document's name ("the research *report*") is the name, not what is asked
    named = [(s.start, s.end) for s in sources]
    # a cue ending in "of" ("kinds of", "scope of") says what it asks of the entity after it: one
    # the relation takes ("type of cells" asks kinds of cells; "type of committee" no kinds of cells)
    relation_cues = [c for c in find_cues(text, [(r.name, c) for r in lexicon.relations.values() for c in r.cues],
                                          links + named, starts)
                     if not c.text.endswith(" of") or any(
                         0 <= l.start - c.end <= OF_REACH and l.type in lexicon.relations[c.name].takes
                         for l in linked)]
    spans = content_spans(words)
    focus = focus_span(words, form_cues)
    readings: list[Reading] = []
    # the form is evidence only when no relation is named: 「何年以内」 asks a term, whatever it links
    answered_by_form = None if relation_cues else _answered_by_form(lexicon, forms, linked)
    for relation in lexicon.relations.values():
        cues = [c for c in relation_cues if c.name == relation.name]
        # without a cue, a relation is asked when the question names both its ends ("Is PRP Class
        # II?") or its form names the kind of answer only this relation gives
        related = not cues and _names_both_ends(relation, linked)
        evoked = not cues and relation.name == answered_by_form
        if not cues and not evoked and not related:
            continue
        # a cue in the clause that sets the situation is not what is asked
        asked = [c for c in cues if not any(s <= c.start and c.end <= e for s, e in situation)]
        score = sum(_cue_weight(c, form_cues) for c in {c.text: c for c in asked}.values())
        score += CUE_WEIGHT if related else CUE_WEIGHT / 2 if evoked else 0.0
        if focus and any(c.start < focus[1] and focus[0] < c.end for c in asked):
            score += FOCUS_BONUS
        if relation.forms.intersection(forms):
            score += FORM_AGREES
        typed = ANSWER_TYPE_FORMS.intersection(forms)
        if EXPLAIN_FORMS.intersection(forms) - relation.forms or (typed and not typed & relation.forms):
            score += FORM_DISAGREES
        direct = [l for l in linked if l.type in relation.subject_types]
        hop = [l for l in linked if l.type in relation.hop_types]
        if relation.name in SELF_RELATIONS:
            direct = direct or list(linked)
            if named_apart(direct):
                continue
        subjects = direct or hop
        if not subjects:
            continue
        score += DIRECT_FIT if direct else HOP_FIT
        constraints = [l for l in linked if l not in subjects]
        readings.append(Reading(relation, subjects, constraints, cues, round(score, 3), bool(direct)))
    covered = (links + named + [(c.start, c.end) for c in form_cues]
               + generic_spans(text, lexicon))
    for reading in readings:
        own = covered + [(c.start, c.end) for c in reading.cues]
        # another relation's cue is understood wording too, but not what this reading answers: half
        others = [(c.start, c.end) for c in relation_cues if c.name != reading.relation.name]
        reading.explained = round((_explained(spans, own) + _explained(spans, own + others)) / 2, 3)
    readings.sort(key=lambda r: (-r.score, -r.explained, r.relation.name))
    explained = readings[0].explained if readings else round(_explained(spans, covered), 3)
    # a number in a question about time or quantity is the amount asked about, not a count of items
    count = None if {"when", "how-many"} & set(forms) else asked_count(q, words)
    return Analysis(q, main_language(q), forms, readings, explained, len(spans), linked, relation_cues, count,
                    spans, covered, [(c.start, c.end) for c in form_cues if c.name not in lexicon.content_forms])


#: An English number word before a plural noun, up to two words apart ("two basic principles").
_COUNTED = r"\b({})\s+(?:[a-z\-]+\s+){{0,2}}[a-z\-]+s\b"


class Count(NamedTuple):
    """How many things a question asks for, and where it says so (character offsets): the words
    that say it ("two", 「3つ」) shape the answer, they are not what a passage must mention."""

    value: int
    start: int
    end: int


def asked_count(q: str, words: list[Word] | None = None) -> Count | None:
    """How many things ``q`` asks for when it says so, or None: an English number word (two to ten)
    before a plural noun, or a Japanese numeral with the counter つ or before a plain noun (3つ,
    二つ, 三項目, 2種類); a numeral with a unit (15日, 3年) is an amount. English digits are
    amounts too ("15 days"). ``words``: the question's tokens, when the caller has them."""
    names = {w: int(v) for w, (v, scale) in number_names().items() if not scale and 2 <= v <= 10}
    english = re.search(_COUNTED.format("|".join(map(re.escape, names))), normalize(q))
    if english:  # offsets into q when NFKC kept its length, else none
        same = len(normalize(q)) == len(q)
        return Count(names[english.group(1)], *(english.span(1) if same else (0, 0)))
    if main_language(q) != "ja":
        return None
    words = words if words is not None else load_tokenizer().words(q)
    for number, after in zip(words, words[1:]):
        if number.tag.startswith("名詞-数詞") and number.norm.isdigit() and 2 <= int(number.norm) <= 10 and (
                after.norm == "つ" or after.tag.startswith("名詞-普通名詞-一般")):
            last = after if after.norm == "つ" else number
            return Count(int(number.norm), number.idx, last.idx + len(last.text))
    return None
