"""ja_ginza's tokenization, read straight from its Sudachi analysis, once per process.

regkg's NLP is ja_ginza's tokenizer: spaCy's ``JapaneseTokenizer`` over SudachiPy, in the split
mode ja_ginza's config names. Everything regkg reads from a token (surface, Sudachi tag, normal
form, offset) comes from Sudachi; the rest of a spaCy Doc (lemmas, morphology, POS rules,
the parser, NER) is never used. :class:`Tokenizer` gives exactly the Doc's tokens, whitespace
merged the same way (a test compares them on every corpus text and label), without importing
spaCy: that import alone is 1.7 s, more than half of a cold ``regkg ask``. spaCy itself loads
ja_ginza's word vectors when the search model is assembled (:func:`ginza_vocab`).

SudachiPy's tokenizer is not thread-safe (concurrent calls fail with "Already borrowed"), and
the server tokenizes queries from several threads, so the one shared tokenizer is wrapped in
a lock; tokenizing a query takes well under a millisecond, so the lock costs nothing measurable.
"""

from __future__ import annotations

import configparser
import importlib.util
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

GAP_TAG = "空白"  # the tag spaCy gives a run of whitespace that is a token of its own
#: ja_ginza's pipeline components regkg never runs (it reads tokens and word vectors only).
UNUSED_COMPONENTS = ("tok2vec", "parser", "ner", "morphologizer", "compound_splitter", "bunsetu_recognizer")


class Word(NamedTuple):
    text: str
    tag: str  # the Sudachi part of speech, as the Doc's ``tag_`` (名詞-普通名詞-一般)
    norm: str  # the Sudachi normal form, as the Doc's ``norm_``
    idx: int  # character offset in the text, as the Doc's ``idx``

    @property
    def is_space(self) -> bool:
        return self.text.isspace()


class Tokenizer:
    """ja_ginza's tokenizer; thread-safe."""

    def __init__(self, split_mode: str) -> None:
        from sudachipy import dictionary, tokenizer

        self._sudachi = dictionary.Dictionary().create(mode=getattr(tokenizer.Tokenizer.SplitMode, split_mode))
        self._lock = threading.Lock()

    def words(self, text: str) -> list[Word]:
        """The text's tokens as ja_ginza's Doc holds them."""
        with self._lock:
            morphemes = [(m.surface(), "-".join(p for p in m.part_of_speech()[:4] if p != "*"), m.normalized_form())
                         for m in self._sudachi.tokenize(text) if m.surface()]
        return _aligned(morphemes, text)


@lru_cache(maxsize=1)
def load_tokenizer() -> Tokenizer:
    """The one tokenizer of this process, in ja_ginza's split mode."""
    return Tokenizer(_ginza_split_mode())


def _ginza_split_mode() -> str:
    """The split mode ja_ginza's pipeline config gives its tokenizer, read from the installed
    package's config file (importing the package would import spaCy)."""
    spec = importlib.util.find_spec("ja_ginza")
    if spec is None or spec.origin is None:
        raise RuntimeError("the ja_ginza package is not installed: `pip install ja-ginza`")
    configs = sorted(Path(spec.origin).parent.glob("*/config.cfg"))
    if not configs:
        raise RuntimeError(f"ja_ginza is installed without its config.cfg ({Path(spec.origin).parent})")
    config = configparser.ConfigParser(interpolation=None)
    config.read(configs[-1], encoding="utf-8")
    return config.get("nlp.tokenizer", "split_mode", fallback='"A"').strip('"') or "A"


def _aligned(morphemes: list[tuple[str, str, str]], text: str) -> list[Word]:
    """Sudachi's morphemes as spaCy's JapaneseTokenizer makes tokens of them: a run of space
    morphemes is one, a single space after a word belongs to that word (it is no token), and any
    other whitespace between words is a token of its own tagged 空白."""
    merged = [m for i, m in enumerate(morphemes)
              if i == 0 or not (_space(m) and _space(morphemes[i - 1]))]
    if not merged:
        return []
    if all(m[0].isspace() for m in merged):
        return [Word(text, GAP_TAG, text, 0)]
    out: list[Word] = []
    pos = 0
    for i, (surface, tag, norm) in enumerate(merged):
        if surface.isspace():
            continue
        start = text.index(surface, pos)
        if start > pos:
            out.append(Word(text[pos:start], GAP_TAG, text[pos:start], pos))
        out.append(Word(surface, tag, norm, start))
        pos = start + len(surface)
        if i + 1 < len(merged) and merged[i + 1][0] == " ":
            pos += 1
    if pos < len(text):
        out.append(Word(text[pos:], GAP_TAG, text[pos:], pos))
    return out


def _space(morpheme: tuple[str, str, str]) -> bool:
    return morpheme[0].isspace() and morpheme[1] == GAP_TAG


def ginza_vocab() -> Any:
    """ja_ginza's vocabulary with its word vectors (to assemble the default search model)."""
    from . import spacy_light  # noqa: F401  (before spacy: see there)
    import spacy

    return spacy.load("ja_ginza", exclude=list(UNUSED_COMPONENTS)).vocab
