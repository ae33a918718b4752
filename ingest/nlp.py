"""The spaCy ja_ginza pipeline, loaded once per process.

Annotation needs only GiNZA's Sudachi tokenizer (surface, lower-case and
Sudachi-normalised token forms); the parser, tagger and statistical NER are
excluded, which is what keeps the whole corpus well under a minute.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

_HEAVY = ["tok2vec", "parser", "ner", "morphologizer", "compound_splitter", "bunsetu_recognizer"]


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """ja_ginza with only its tokenizer; components are added by the annotator."""
    return spacy.load("ja_ginza", exclude=_HEAVY)
