"""The spaCy ja_ginza pipeline, loaded once per process.

Annotation needs only GiNZA's Sudachi tokenizer (surface, lower-case and
Sudachi-normalised token forms); the parser, tagger and statistical NER are
excluded, which is what keeps the whole corpus well under a minute.

SudachiPy's tokenizer is not thread-safe (concurrent calls fail with
"Already borrowed"), and the server tokenizes queries from several threads,
so the one shared tokenizer is wrapped in a lock; tokenizing a query takes
well under a millisecond, so the lock costs nothing measurable.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any, NamedTuple

from . import spacy_light  # noqa: F401  (before spacy: see there)
import spacy
from spacy.language import Language
from spacy.tokens import Doc

_HEAVY = ["tok2vec", "parser", "ner", "morphologizer", "compound_splitter", "bunsetu_recognizer"]


class Word(NamedTuple):
    text: str
    tag: str  # the Sudachi part of speech, as the Doc's ``tag_`` (名詞-普通名詞-一般)
    norm: str  # the Sudachi normal form, as the Doc's ``norm_``


class LockedTokenizer:
    """A tokenizer that serialises calls to the one it wraps; everything else passes through."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._lock = threading.Lock()

    def __call__(self, text: str) -> Doc:
        with self._lock:
            return self._inner(text)

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def words(self, text: str) -> list[Word]:
        """The text's words as the tokenizer's Doc would hold them (surface, Sudachi tag, normal
        form; empty ones dropped), read straight from its Sudachi analysis: search needs nothing
        else, and building a spaCy Doc (lemmas, morphology, POS rules) costs three times Sudachi's
        own work, most of a build's time at 100k passages."""
        with self._lock:
            return [Word(m.surface(), "-".join(p for p in m.part_of_speech()[:4] if p != "*"), m.normalized_form())
                    for m in self._inner.tokenizer.tokenize(text) if m.surface()]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """ja_ginza with only its tokenizer (thread-safe); components are added by the annotator.

    The package's vocabulary (its strings and 480k word vectors: 2 s of every start) is not loaded:
    the Sudachi tokenizer needs none of it, and the tokens are the same without it (the search
    model's vectors are read by :func:`ginza_vocab` once, when the model is assembled)."""
    nlp = spacy.load("ja_ginza", exclude=[*_HEAVY, "vocab"])
    # Split-mode A sub-tokens feed only GiNZA's compound splitter, excluded above; not computing
    # them saves an eighth of tokenizing time.
    nlp.tokenizer.need_subtokens = False
    nlp.tokenizer = LockedTokenizer(nlp.tokenizer)
    return nlp


def ginza_vocab() -> Any:
    """ja_ginza's vocabulary with its word vectors (to assemble the default search model)."""
    return spacy.load("ja_ginza", exclude=_HEAVY).vocab
