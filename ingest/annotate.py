"""Entity mentions: spaCy (ja_ginza tokenizer) + an EntityRuler built from the Lexicon.

Each label becomes a phrase pattern matched on lower-cased tokens (English is
case-insensitive) and one matched on Sudachi-normalised forms (引き渡し /
引渡し style variants). Matches are whole tokens, and overlaps resolve to the
longest span, so 特定認定再生医療等委員会 wins over 認定再生医療等委員会.
Weak labels (short common words, see :mod:`.ambiguity`) are then kept only in
a context that licenses their sense.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import spacy_light  # noqa: F401  (before spacy: see there)
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .ambiguity import licensed, weak_labels
from .lexicon import Lexicon
from .nlp import load_nlp

#: Labels ending in an upper-case acronym (MSC, 骨髄由来MSC) also match with a plural "s".
_PLURALISABLE = re.compile(r"[A-Za-z0-9\-][A-Z]$")
#: Sudachi refuses inputs above ~49 kB; cut texts into pieces well below that.
MAX_PIECE = 3000


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    iri: str


class Annotator:
    """Finds lexicon entities in texts; build once per lexicon, reuse for every document."""

    def __init__(self, lexicon: Lexicon, nlp: Language | None = None) -> None:
        base = nlp or load_nlp()
        # A private copy of the tokenizer-only pipeline, so rulers of different lexicons never mix.
        self.nlp = Language(base.vocab, create_tokenizer=lambda _: base.tokenizer)  # not a default one to drop
        self.lexicon = lexicon
        ruler = self.nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
        patterns: list[dict] = []
        norm_patterns: list[tuple[str, Doc]] = []  # (the ruler's label for the key, the label's tokens)
        tokenizer = base.tokenizer
        # One pattern per label; a label shared by several entities (iPS細胞: the
        # facet and the modality) yields a mention of each of them.
        self._targets: dict[str, tuple[str, ...]] = {}
        weak = weak_labels(lexicon.labels, lambda s: [t.text for t in tokenizer(s)])
        self._weak_keys: set[str] = set()
        for n, (label, iris) in enumerate(sorted(lexicon.labels.items())):
            key = f"L{n}"
            self._targets[key] = tuple(sorted(iris))
            if label in weak:
                self._weak_keys.add(key)
            etype = lexicon.types.get(self._targets[key][0], "Entity")
            variants = {label}
            if _PLURALISABLE.search(label):
                variants.add(label + "s")  # MSC → MSCs, 骨髄由来MSC → 骨髄由来MSCs
            for v in variants:
                patterns.append({"label": etype, "pattern": v, "id": key})
                toks = tokenizer(v)
                if [t.norm_ for t in toks] != [t.lower_ for t in toks]:
                    norm_patterns.append((f"{etype}{ruler.ent_id_sep}{key}", toks))
        if patterns:
            ruler.add_patterns(patterns)
        if norm_patterns:
            # The normal-form patterns are exact token sequences, so a PhraseMatcher on NORM finds
            # the same (key, start, end) matches as token patterns [{"NORM": …}, …] in the ruler's
            # Matcher would, with one lookup per token instead of a state-machine step per pattern
            # (the Matcher took three quarters of ingest time). The ruler merges them as before.
            matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
            for ruler_label, doc in norm_patterns:
                matcher.add(ruler_label, [doc])
            ruler.matcher = matcher

    def annotate(self, texts: Sequence[str]) -> list[list[Mention]]:
        """Mentions (character offsets into each text) for every text, via one nlp.pipe run."""
        pieces: list[tuple[int, int, str]] = []  # (text index, offset, piece)
        for i, text in enumerate(texts):
            for offset, piece in _pieces(text):
                pieces.append((i, offset, piece))
        result: list[list[Mention]] = [[] for _ in texts]
        for (i, offset, _), doc in zip(pieces, self.nlp.pipe(p for _, _, p in pieces), strict=True):
            # Only specific (non-weak) mentions license a weak word placed before them.
            starts = {ent.start for ent in doc.ents if ent.ent_id_ not in self._weak_keys}
            for ent in doc.ents:
                if ent.ent_id_ in self._weak_keys and not licensed(doc, ent.end, starts):
                    continue
                for iri in self._targets.get(ent.ent_id_, ()):
                    result[i].append(Mention(offset + ent.start_char, offset + ent.end_char, iri))
        return result

    def entities(self, texts: Iterable[str]) -> list[set[str]]:
        """Just the entity IRIs each text mentions."""
        return [{m.iri for m in ms} for ms in self.annotate(list(texts))]


def _pieces(text: str) -> list[tuple[int, str]]:
    """Cut long texts after a line break or 。 so each piece stays below MAX_PIECE."""
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > MAX_PIECE:
        window = text[start : start + MAX_PIECE]
        cut = max(window.rfind("\n"), window.rfind("。"))
        cut = cut + 1 if cut > 0 else MAX_PIECE
        out.append((start, text[start : start + cut]))
        start += cut
    if text[start:]:
        out.append((start, text[start:]))
    return out
