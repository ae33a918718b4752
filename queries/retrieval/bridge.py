"""The cross-lingual bridge: English words and phrases → weighted Japanese search terms, and back.

The dense model (ginza word vectors) is Japanese-only and BM25 matches words,
so an English question finds Japanese text only through translations. They come
from real resources, read once when a build's index is made, and kept as a
table (``Bridge.save`` / ``Bridge.load``), never as code:

- ``labels``: the graph's own Japanese and English SKOS labels of each entity
  (curated domain terms: 特定細胞加工物 ↔ specified processed cells);
- ``jmdict``: JMdict glosses of the Japanese words the corpus uses (general
  vocabulary: 保管 ↔ storage, custody); a gloss "A of the B" is also read "B A",
  and a word JMdict uses only inside phrase glosses borrows them at a lower weight
  (cirrhosis → 肝硬変, "cirrhosis of the liver");
- ``names``: JMnedict's romanisations of the names of people, places and organisations that the
  corpus writes in kanji (Terai ↔ 寺井, Yamaguchi ↔ 山口), long vowels also as English writes them
  (Kyouto, Kyoto ↔ 京都); a romanisation that is an English word JMdict glosses is left out;
- ``parallel``: the corpus's parallel text — bilingual document titles, and
  JMdict pairs confirmed by an English translation that sits beside its
  Japanese article (both words occur in the aligned pair).

English is matched on Snowball (Porter2) stems of content words, longest
phrase first, so "stored" meets the gloss "storage" of 保管 and "specified
processed cells" is one label before it is three words. A Japanese question is
matched on its BM25 terms the same way and yields English words of the corpus.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from regkg.files import write_atomically
from regkg.queries.retrieval import jmdict
from regkg.queries.retrieval.tokens import JA_CHARS, STOP_WORDS, language, normalize, number_terms, terms

SOURCES = ("labels", "jmdict", "names", "parallel")
#: Longest phrase (in content words) looked up as one key.
MAX_PHRASE = 6
#: Japanese candidates kept per English key (and English words per Japanese key), best first.
MAX_CANDIDATES = 6
#: Weight of a JMdict gloss: its sense's rank decays it; an uncommon written form counts less.
SENSE_DECAY = 0.7
UNCOMMON = 0.6
#: A JMdict pair both of whose words occur in an aligned translation pair.
PARALLEL_BOOST = 1.5
#: A word known only inside JMdict's phrase glosses takes their translations at this weight.
PHRASE_PART = 0.5
#: Weight of a name's romanisation: a name says less than a label (a surname names many people).
NAME_WEIGHT = 0.8
#: A name is at least this many characters in kanji: one-kanji names (中, 森) are mostly words.
MIN_NAME_CHARS = 2
#: Long vowels JMnedict romanises in full and English text writes short (Kyouto → Kyoto, Oosaka → Osaka).
_LONG_VOWEL = re.compile(r"(?<=o)[ou]|(?<=u)u")
#: A weight for curated labels and titles, the most trusted source.
LABEL_WEIGHT = 1.0
#: A word's translations also serve a word of the same derivation (stems sharing at least
#: MIN_DERIVED letters, the longer adding at most MAX_SUFFIX), at DERIVED_WEIGHT.
MIN_DERIVED = 4
MAX_SUFFIX = 2
DERIVED_WEIGHT = 0.6
_WORD = re.compile(r"[a-z0-9][a-z0-9\-']*")
_PARENS = re.compile(r"\([^)]*\)")
#: A run of English: from a letter to the last letter or digit before Japanese text (numbers and
#: punctuation between Japanese words stay with them: 第7条, 2025年).
_LATIN_RUN = re.compile(rf"[a-z](?:[^{JA_CHARS}]*[a-z0-9)])?")
#: A gloss "head of (the) complement", each side one or two words: English also puts the
#: complement first ("cirrhosis of the liver", "liver cirrhosis").
_OF_PHRASE = re.compile(r"([a-z\-]+(?: [a-z\-]+)?) of (?:the |a |an )?([a-z\-]+(?: [a-z\-]+)?)")
_JA_WORD = re.compile(r"[\u4e00-\u9fff]|[\u30a0-\u30ff]{2}")


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def script_runs(text: str) -> list[tuple[bool, str]]:
    """The text cut where its script changes: (is Japanese, run), in order."""
    text, out, at = normalize(text), [], 0
    for m in _LATIN_RUN.finditer(text):
        out += [(True, text[at : m.start()]), (False, m.group(0))]
        at = m.end()
    out.append((True, text[at:]))
    # a gap without Japanese (a closing bracket, a lone number) is read as English, or dropped when empty
    runs = [(japanese and language(run) == "ja", run) for japanese, run in out]
    return [(japanese, run) for japanese, run in runs if japanese or re.search(r"[a-z0-9]", run)]


def _same_derivation(a: str, b: str) -> bool:
    """Stems of one word family: the shorter is the longer's start but for its last letter
    (store / storag, defin / definit), and the longer adds at most MAX_SUFFIX letters."""
    short, long = sorted((a, b), key=len)
    common = len(os.path.commonprefix([a, b]))
    return common >= max(MIN_DERIVED, len(short) - 1) and len(long) - common <= MAX_SUFFIX


def english_words(text: str) -> list[str]:
    """Lower-cased English content words (function words dropped), in order."""
    return [w.strip("-'") for w in _WORD.findall(normalize(text)) if w not in STOP_WORDS and w.strip("-'")]


def english_key(text: str) -> tuple[str, ...]:
    """The lookup key of an English phrase: stems of its content words."""
    return tuple(stem(w) for w in english_words(text))


@dataclass
class Bridge:
    """Translation tables: English stem phrase → Japanese BM25 term → weight, and Japanese term
    phrase → English word (as BM25 indexes it) → weight. Weights are in (0, 1]."""

    en_ja: dict[tuple[str, ...], dict[str, float]] = field(default_factory=dict)
    ja_en: dict[tuple[str, ...], dict[str, float]] = field(default_factory=dict)
    _by_prefix: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)

    def concepts(self, q: str) -> list[dict[str, float]]:
        """One concept per word of ``q``: its own BM25 terms (weight 1) and the translations of the
        phrase it belongs to (the phrase's weights) — what BM25 scores as one query term, so a unit
        in either language can carry it. Each run of one script is read in its language, so an
        English question that quotes a Japanese term (「核酸等」) keeps that term and its English."""
        out: list[dict[str, float]] = []
        for japanese, run in script_runs(q):
            if japanese:
                words = terms(run)
                keys, table, derived = [t if _JA_WORD.search(t) else "" for t in words], self.ja_en, {}
                own = [{w: 1.0} for w in words]
            else:
                words = english_words(run)
                keys, table = [stem(w) for w in words], self.en_ja
                derived = self._derived(keys)
                # a number in words is also its digits, as Japanese text writes it (ten thousand: 1万)
                own = [dict.fromkeys(terms(w), 1.0) for w in words] + [{n: 1.0} for n in number_terms(run)]
            for start, end, candidates in self._matches(keys, table, derived):
                for concept in own[start:end]:
                    for term, w in candidates.items():
                        concept[term] = max(concept.get(term, 0.0), w)
            out += [c for c in own if c]
        return out

    def gloss(self, q: str) -> str:
        """The best Japanese translation of each English phrase of ``q`` (candidates are kept best
        first), for the embedding model, which reads Japanese only."""
        out = []
        for japanese, run in script_runs(q):
            if not japanese:
                out += [next(iter(c)) for _, _, c in self._matches([stem(w) for w in english_words(run)], self.en_ja)
                        if c]
        return " ".join(out)

    def _derived(self, stems: list[str]) -> dict[tuple[str, ...], dict[str, float]]:
        """For each word the English table lacks, the translations of a word of the same derivation
        ("defined" meets 定義 through "definition", "stored" 保管 through "storage"): stems that
        extend one another by a few letters, at a lower weight. Only these entries, so a question
        does not copy the table."""
        missing = [s for s in stems if len(s) >= MIN_DERIVED and (s,) not in self.en_ja]
        if not missing:
            return {}
        if self._by_prefix is None:
            self._by_prefix = {}
            for key in self.en_ja:
                if len(key) == 1 and len(key[0]) >= MIN_DERIVED:
                    self._by_prefix.setdefault(key[0][:MIN_DERIVED], []).append(key[0])
        extra: dict[tuple[str, ...], dict[str, float]] = {}
        for s in missing:
            for other in self._by_prefix.get(s[:MIN_DERIVED], ()):
                if _same_derivation(s, other):
                    _put(extra, (s,), {t: w * DERIVED_WEIGHT for t, w in self.en_ja[(other,)].items()})
        return extra

    @staticmethod
    def _matches(keys: list[str], table: dict[tuple[str, ...], dict[str, float]],
                 derived: dict[tuple[str, ...], dict[str, float]] | None = None
                 ) -> list[tuple[int, int, dict[str, float]]]:
        """(start, end, candidates) of each matched phrase, longest first at every position; a
        key the table lacks may be in ``derived``."""
        out: list[tuple[int, int, dict[str, float]]] = []
        i = 0
        while i < len(keys):
            for n in range(min(MAX_PHRASE, len(keys) - i), 0, -1):
                key = tuple(keys[i : i + n])
                found = (table.get(key) or (derived or {}).get(key)) if all(key) else None
                if found:
                    out.append((i, i + n, found))
                    i += n
                    break
            else:
                i += 1
        return out

    def __len__(self) -> int:
        return len(self.en_ja) + len(self.ja_en)

    def save(self, path: Path) -> None:
        """A TSV table (direction, key, term, weight), written atomically."""
        rows = [f"{d}\t{' '.join(k)}\t{t}\t{w:.4f}" for d, table in (("en", self.en_ja), ("ja", self.ja_en))
                for k, cands in sorted(table.items()) for t, w in cands.items()]  # candidates in their order
        write_atomically(path, "\n".join(rows) + "\n")

    @classmethod
    def load(cls, path: Path) -> Bridge:
        bridge = cls()
        for line in path.read_text(encoding="utf-8").splitlines():
            d, key, term, w = line.split("\t")
            table = bridge.en_ja if d == "en" else bridge.ja_en
            table.setdefault(tuple(key.split(" ")), {})[term] = float(w)
        return bridge


@dataclass(frozen=True)
class BridgeInputs:
    """What a bridge is built from: the corpus's BM25 vocabulary (term → number of units using it),
    bilingual label pairs (English, Japanese, source) and aligned texts (English text, Japanese text)."""

    vocabulary: dict[str, int]
    pairs: tuple[tuple[str, str, str], ...] = ()
    aligned: tuple[tuple[str, str], ...] = ()

    def digest(self, sources: Sequence[str]) -> str:
        h = hashlib.sha256(repr(sorted(self.vocabulary.items())).encode())
        for part in (self.pairs, self.aligned, tuple(sources)):
            h.update(repr(part).encode())
        return h.hexdigest()[:16]


def build_bridge(inputs: BridgeInputs, sources: Sequence[str] = SOURCES) -> Bridge:
    """The bridge from the chosen sources (ablation builds it from a subset)."""
    en_ja: dict[tuple[str, ...], dict[str, float]] = {}
    ja_en: dict[tuple[str, ...], dict[str, float]] = {}
    by_stem = _english_vocabulary(inputs.vocabulary)
    if "jmdict" in sources:
        phrases: dict[tuple[str, ...], dict[str, float]] = {}
        for key, ja, w, words in _jmdict_pairs(inputs.vocabulary):
            _put(en_ja, key, {ja: w})
            _put(ja_en, (ja,), {e: w for word in words for e in by_stem.get(stem(word), ())})
            if len(key) > 1:
                _put(phrases, key, {ja: w})
        _words_of_phrases(en_ja, phrases)
        if "parallel" in sources:
            _confirm(en_ja, inputs.aligned)
    if "names" in sources:
        _names(en_ja, ja_en, inputs.vocabulary, by_stem)
    for en, ja, source in inputs.pairs:
        if source not in sources:
            continue
        key, ja_terms = english_key(en), tuple(t for t in terms(ja) if _JA_WORD.search(t))
        if key and ja_terms and len(key) <= MAX_PHRASE:
            _put(en_ja, key, dict.fromkeys(ja_terms, LABEL_WEIGHT))
        if ja_terms and len(ja_terms) <= MAX_PHRASE:
            words = {e for w in english_words(en) for e in by_stem.get(stem(w), ())}
            _put(ja_en, ja_terms, dict.fromkeys(words, LABEL_WEIGHT))
    df = inputs.vocabulary
    return Bridge(_trim(en_ja, df), _trim(ja_en, df))


def _put(table: dict[tuple[str, ...], dict[str, float]], key: tuple[str, ...], cands: dict[str, float]) -> None:
    slot = table.setdefault(key, {})
    for term, w in cands.items():
        slot[term] = max(slot.get(term, 0.0), w)


def _trim(table: dict[tuple[str, ...], dict[str, float]], df: dict[str, int]) -> dict[tuple[str, ...], dict[str, float]]:
    """The best MAX_CANDIDATES of each key, best first, weights capped at 1; empty keys dropped.
    Among equally weighted senses the word the corpus uses more is the likelier translation here."""
    out = {}
    for key, cands in table.items():
        best = sorted(cands.items(), key=lambda kv: (-min(1.0, kv[1]), -df.get(kv[0], 0), kv[0]))[:MAX_CANDIDATES]
        if best:
            out[key] = {t: min(1.0, w) for t, w in best}
    return out


def _english_vocabulary(vocabulary: Iterable[str]) -> dict[str, list[str]]:
    """Stem → the English BM25 terms of the corpus with that stem."""
    out: dict[str, list[str]] = {}
    for term in sorted(vocabulary):
        if _WORD.fullmatch(term) and term not in STOP_WORDS:
            out.setdefault(stem(term), []).append(term)
    return out


def _jmdict_pairs(vocabulary: Iterable[str]) -> Iterable[tuple[tuple[str, ...], str, float, list[str]]]:
    """(English key, Japanese term, weight, gloss words) for each JMdict gloss of a corpus word."""
    words = [t for t in vocabulary if _JA_WORD.search(t)]
    for g in jmdict.glosses(words):
        text = _PARENS.sub(" ", g.gloss)
        key = english_key(text)
        if not key or len(key) > MAX_PHRASE:
            continue
        w = SENSE_DECAY ** g.sense * (1.0 if g.common else UNCOMMON)
        yield key, g.word, w, english_words(text)
        inverted = _OF_PHRASE.fullmatch(normalize(text).strip())
        if inverted:  # "cirrhosis of the liver" is also said "liver cirrhosis"
            other = english_key(f"{inverted.group(2)} {inverted.group(1)}")
            if other != key:
                yield other, g.word, w, english_words(text)


def _names(en_ja: dict[tuple[str, ...], dict[str, float]], ja_en: dict[tuple[str, ...], dict[str, float]],
           vocabulary: Iterable[str], by_stem: dict[str, list[str]]) -> None:
    """Romanised names of the corpus's kanji words, both ways (新潟大学 ↔ Niigata University; a word
    of a name that has no translation of its own borrows the name's, as in a JMdict phrase gloss);
    not where a one-word romanisation is an English word JMdict glosses in its own right ("Sun",
    "Ten"), rather than only inside a phrase gloss ("Yamaguchi Prefecture")."""
    words = [t for t in vocabulary if len(t) >= MIN_NAME_CHARS and re.fullmatch(r"[\u4e00-\u9fff々]+", t)]
    glossed = {key for key, cands in en_ja.items() if len(key) == 1 and max(cands.values()) > PHRASE_PART}
    phrases: dict[tuple[str, ...], dict[str, float]] = {}
    for word, name in jmdict.names(words):
        for spelling in dict.fromkeys((name, _LONG_VOWEL.sub("", name.lower()))):
            key = english_key(_PARENS.sub(" ", spelling))
            if not key or len(key) > MAX_PHRASE or key in glossed:
                continue
            _put(en_ja, key, {word: NAME_WEIGHT})
            if len(key) > 1:
                _put(phrases, key, {word: NAME_WEIGHT})
            _put(ja_en, (word,), {e: NAME_WEIGHT for s in key for e in by_stem.get(s, ())})
    _words_of_phrases(en_ja, phrases)


def _words_of_phrases(en_ja: dict[tuple[str, ...], dict[str, float]],
                      phrases: dict[tuple[str, ...], dict[str, float]]) -> None:
    """A word that JMdict glosses only inside phrases ("cirrhosis" in 肝硬変's "cirrhosis of the
    liver", "marrow" in 骨髄's "bone marrow") borrows those phrases' translations, at PHRASE_PART
    weight; a word with translations of its own keeps just those."""
    own = {key[0] for key in en_ja if len(key) == 1}
    for key, cands in phrases.items():
        for s in set(key) - own:
            _put(en_ja, (s,), {t: w * PHRASE_PART for t, w in cands.items()})


def _confirm(en_ja: dict[tuple[str, ...], dict[str, float]], aligned: Iterable[tuple[str, str]]) -> None:
    """Raise JMdict pairs whose English word and Japanese term both occur in one aligned pair."""
    for en, ja in aligned:
        stems, ja_terms = set(english_key(en)), set(terms(ja))
        for s in stems:
            cands = en_ja.get((s,))
            for term in (cands or {}).keys() & ja_terms:
                cands[term] *= PARALLEL_BOOST
