"""Terms for BM25 and the language of a text.

Japanese is cut by GiNZA's Sudachi tokenizer (the one ingest uses) and each word
is reduced to its Sudachi normal form, so 引き渡し / 引渡し and 二 / 2 meet. English
words are lower-cased; when Sudachi also gives a katakana reading for an English
word (target → ターゲット) that form is kept too, which lets loanwords match across
the two languages for free. Particles, punctuation and English function words are
dropped: they carry no meaning for ranking. A large number written in English words or
with a scale word ("ten thousand", "1.5 million") also gives its digits, as Sudachi
gives the digits of 1万 or 100万 (10000, 1000000), so amounts meet across languages.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from regkg import ontology
from regkg.ingest.nlp import load_tokenizer

#: Sudachi tags of words that carry no meaning for ranking or embedding (particles, auxiliaries, symbols).
FUNCTION_TAGS = ("助詞", "助動詞", "補助記号", "空白", "記号")
#: Japanese script (kana, kanji and the iteration marks), as a character-class body.
JA_CHARS = "\u3040-\u30ff\u3400-\u9fff々〆"
_JA_CHARS = re.compile(f"[{JA_CHARS}]")
_LETTERS = re.compile(r"[A-Za-z]")
#: What a Japanese character is worth against a Latin letter when deciding which language a text is
#: mostly in: a Japanese word is about two characters, an English one about five letters.
JA_CHAR_WEIGHT = 2.5
_ASCII_WORD = re.compile(r"^[a-z0-9][a-z0-9\-\.']*$")
#: After 。！？, a full stop and space, or a line break — not after an item's number ("2. 品質管理
#: 3. 科学的根拠": a list whose lines were joined keeps each number with its item) — and where an
#: English sentence's full stop meets Japanese text ("…as authoritative.一般原則…": lines joined).
_SENTENCE_END = re.compile(r"(?<=[。！？!?])|(?<!^\d\.)(?<!\s\d\.)(?<!^\d\d\.)(?<!\s\d\d\.)(?<=\.)\s+|\n+"
                           rf"|(?<=[a-z]\.)(?=[{JA_CHARS}])")
#: English function words; kept short on purpose — BM25's idf handles the rest.
STOP_WORDS = frozenset(
    "a an the of in on at to for from by with and or not no is are was were be been being do does did "
    "what which who whom whose when where why how that this these those it its as into than then there "
    "can could may might must shall should will would has have had i you we they he she me my our your "
    "their about besides before after under s".split()
)
#: Sudachi refuses very long inputs; texts are cut into pieces below this many characters.
MAX_PIECE = 3000


def normalize(text: str) -> str:
    """NFKC and lower case: the comparison form the evaluation and matching use."""
    return unicodedata.normalize("NFKC", text).lower()


def squash(text: str) -> str:
    """``normalize`` without white space: texts compare equal whatever their line breaks and widths
    (the evaluation's expected words, a quoted phrase and the text it was copied from)."""
    return "".join(normalize(text).split())


def language(text: str) -> str:
    """``ja`` when the text has any Japanese characters, else ``en``: how a label or a cue is matched
    (Japanese has no word boundaries)."""
    return "ja" if _JA_CHARS.search(text) else "en"


def main_language(text: str) -> str:
    """The language most of the text is written in: a question's language, in which it is read and
    answered. "How is 核酸等 defined?" is English; 「ICH Q9の改訂点は？」 is Japanese."""
    japanese = len(_JA_CHARS.findall(text))
    return "ja" if japanese and JA_CHAR_WEIGHT * japanese >= len(_LETTERS.findall(normalize(text))) else "en"


def terms(text: str) -> list[str]:
    """BM25 terms of a text (see the module docstring)."""
    out: list[str] = []
    for piece in _pieces(normalize(text)):
        out.extend(_piece_terms(piece))
    return out


def number_terms(text: str) -> list[str]:
    """The digits of each large number the text writes with English number words or a scale word
    ("ten thousand" → 10000, "1.5 million" → 1500000): what Sudachi makes of 1万 and 150万. Numbers
    below a thousand, and digits alone, are words already."""
    names = number_names()
    out = []
    for m in _number_run().finditer(normalize(text)):
        words = [w for w in re.split(r"[\s\-]+", m.group(0)) if w and w != "and"]
        if not any(names.get(w, (0, False))[1] and names[w][0] >= 1000 for w in words):
            continue
        total, current = 0.0, 0.0
        for w in words:
            value, scale = names[w] if w in names else (float(w), False)
            if not scale:
                current += value
            elif value == 100:
                current = (current or 1) * value
            else:
                total, current = total + (current or 1) * value, 0.0
        if (total + current).is_integer():
            out.append(str(int(total + current)))
    return out


@lru_cache(maxsize=1)
def number_names() -> dict[str, tuple[float, bool]]:
    """English number names → (value, is a scale word), from ``ontology/english-numbers.tsv``."""
    lines = (Path(ontology.__file__).parent / "english-numbers.tsv").read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")][1:]
    return {word: (float(value), scale == "yes") for word, value, scale in rows}


@lru_cache(maxsize=1)
def _number_run() -> re.Pattern[str]:
    """A run of number words and digits ("four hundred thousand", "1.5 million", "ten-thousand")."""
    word = "|".join(sorted(map(re.escape, number_names()), key=len, reverse=True))
    one = rf"(?:\d+(?:\.\d+)?|(?:{word})\b)"
    return re.compile(rf"\b{one}(?:(?:[\s\-]+|\s+and\s+){one})*")


@lru_cache(maxsize=4096)
def _piece_terms(piece: str) -> tuple[str, ...]:
    out: list[str] = []
    for word in load_tokenizer().words(piece):
        if word.tag.startswith(FUNCTION_TAGS) or not word.text.strip():
            continue
        lower = word.text.lower()
        if _ASCII_WORD.match(lower):
            if lower in STOP_WORDS:
                continue
            out.append(lower)
            if word.norm != lower and _JA_CHARS.search(word.norm):
                out.append(word.norm)
        else:
            out.append(word.norm)
    out.extend(number_terms(piece))
    return tuple(out)


def sentences(text: str) -> list[str]:
    """Sentences of a passage (。 and full stops, line breaks), empty ones dropped."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _pieces(text: str) -> list[str]:
    return [text[i : i + MAX_PIECE] for i in range(0, len(text), MAX_PIECE)] or [""]
