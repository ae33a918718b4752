"""Entity mentions: ja_ginza's tokenizer + the lexicon's labels matched as whole token sequences.

Each label is matched on its lower-cased tokens (English is case-insensitive)
and on its Sudachi-normalised forms (引き渡し / 引渡し style variants); a label in
Japanese script also as written (NFKC, as labels are), over any run of the text's tokens, because
Sudachi may cut a label alone otherwise than in a sentence (培養上清 is 培養/上/清
alone, 培養/上清 before は). Matches are whole tokens, and overlaps resolve to the longest span, then the earliest
(as spaCy's EntityRuler resolves them), so 特定認定再生医療等委員会 wins over
認定再生医療等委員会. Weak labels (short common words, see :mod:`.ambiguity`)
are then kept only in a context that licenses their sense.

The labels' token sequences are a plain table (:class:`LabelPatterns`), a
dictionary lookup per token: building it tokenizes every label once, so a
build saves it and a start loads it instead of tokenizing ~15 000 labels again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .ambiguity import licensed, weak_labels
from .lexicon import Lexicon
from .nlp import Tokenizer, Word, load_tokenizer
from .normalize import nfkc
from .triples import language_of

#: Labels ending in an upper-case acronym (MSC, 骨髄由来MSC) also match with a plural "s".
_PLURALISABLE = re.compile(r"[A-Za-z0-9\-][A-Z]$")
#: An English label ending in a lower-case word (a noun phrase's head) also matches its plural.
_ENGLISH_NOUN_END = re.compile(r"(?:^|[\s\-])[a-z]{3,}$")
#: Sudachi refuses inputs above ~49 kB; cut texts into pieces well below that.
MAX_PIECE = 3000
#: Format of a saved :class:`LabelPatterns` table (a change makes older tables be rebuilt).
PATTERNS_FORMAT = 3


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    iri: str


@dataclass
class LabelPatterns:
    """The lexicon as token sequences: each label (and its plural) as lower-cased tokens and, where
    they differ, as Sudachi normal forms, each sequence with the labels (keys) it spells."""

    targets: list[tuple[str, ...]]  # key → the IRIs its label names
    weak: frozenset[int]  # keys of weak labels
    lower: dict[tuple[str, ...], tuple[int, ...]]
    norm: dict[tuple[str, ...], tuple[int, ...]]
    written: dict[str, tuple[int, ...]]  # a Japanese label as written (lower-cased) → its keys
    #: per table, first token → the lengths of the sequences it starts, longest first
    lengths: tuple[dict[str, list[int]], dict[str, list[int]]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.lengths = (_first_lengths(self.lower), _first_lengths(self.norm))
        # every start of a written label, so a run of tokens stops growing as soon as no label begins so
        self.written_starts = frozenset(key[:n] for key in self.written for n in range(1, len(key) + 1))

    @classmethod
    def of(cls, lexicon: Lexicon, tokenizer: Tokenizer) -> LabelPatterns:
        targets: list[tuple[str, ...]] = []
        lower: dict[tuple[str, ...], set[int]] = {}
        norm: dict[tuple[str, ...], set[int]] = {}
        written: dict[str, set[int]] = {}
        docs = {label: tokenizer.words(label) for label in lexicon.labels}
        weak = weak_labels(lexicon.labels, lambda s: [t.text for t in docs[s]])
        weak_keys = set()
        # One key per label; a label shared by several entities (iPS細胞: the facet and the
        # modality) yields a mention of each of them.
        for key, (label, iris) in enumerate(sorted(lexicon.labels.items())):
            targets.append(tuple(sorted(iris)))
            if label in weak:
                weak_keys.add(key)
            if language_of(label) == "ja":
                written.setdefault(label.lower(), set()).add(key)
            variants = {label}
            if _PLURALISABLE.search(label):
                variants.add(label + "s")  # MSC → MSCs, 骨髄由来MSC → 骨髄由来MSCs
            elif _ENGLISH_NOUN_END.search(label):
                variants.add(plural(label))  # adverse event report → adverse event reports
            for v in variants:
                toks = docs[v] if v == label else tokenizer.words(v)
                if not len(toks):
                    continue
                lowers, norms = tuple(t.text.lower() for t in toks), tuple(t.norm for t in toks)
                lower.setdefault(lowers, set()).add(key)
                if norms != lowers:
                    norm.setdefault(norms, set()).add(key)
        return cls(targets, frozenset(weak_keys), {k: tuple(sorted(v)) for k, v in lower.items()},
                   {k: tuple(sorted(v)) for k, v in norm.items()}, {k: tuple(sorted(v)) for k, v in written.items()})

    def to_json(self) -> dict:
        return {"format": PATTERNS_FORMAT, "targets": self.targets, "weak": sorted(self.weak),
                "lower": [[list(k), list(v)] for k, v in self.lower.items()],
                "norm": [[list(k), list(v)] for k, v in self.norm.items()],
                "written": [[k, list(v)] for k, v in self.written.items()]}

    @classmethod
    def from_json(cls, data: dict) -> LabelPatterns | None:
        """The table :meth:`to_json` gave; None when it is of another format (a build made by an
        older version), so the caller compiles it again."""
        if data.get("format") != PATTERNS_FORMAT:
            return None
        return cls([tuple(t) for t in data["targets"]], frozenset(data["weak"]),
                   {tuple(k): tuple(v) for k, v in data["lower"]}, {tuple(k): tuple(v) for k, v in data["norm"]},
                   {k: tuple(v) for k, v in data["written"]})


def plural(label: str) -> str:
    """The regular English plural of a label's last word (report → reports, therapy → therapies,
    process → processes); a word already plural or irregular gains a form nobody writes, which harms nothing."""
    if re.search(r"(?:s|x|z|ch|sh)$", label):
        return label + "es"
    if re.search(r"[^aeiou]y$", label):
        return label[:-1] + "ies"
    return label + "s"


class Annotator:
    """Finds lexicon entities in texts; build once per lexicon (or load its saved patterns), reuse
    for every document."""

    def __init__(self, lexicon: Lexicon | None = None, tokenizer: Tokenizer | None = None,
                 patterns: LabelPatterns | None = None) -> None:
        self.tokenizer = tokenizer or load_tokenizer()
        self.lexicon = lexicon or Lexicon()
        self.patterns = patterns if patterns is not None else LabelPatterns.of(self.lexicon, self.tokenizer)

    def annotate(self, texts: Sequence[str]) -> list[list[Mention]]:
        """Mentions (character offsets into each text) for every text."""
        result: list[list[Mention]] = [[] for _ in texts]
        for i, text in enumerate(texts):
            for offset, piece in _pieces(text):
                doc = self.tokenizer.words(piece)
                for start, end, iris in self._spans(doc, piece):
                    first, last = doc[start], doc[end - 1]
                    for iri in iris:
                        result[i].append(Mention(offset + first.idx, offset + last.idx + len(last.text), iri))
        return result

    def entities(self, texts: Iterable[str]) -> list[set[str]]:
        """Just the entity IRIs each text mentions."""
        return [{m.iri for m in ms} for ms in self.annotate(list(texts))]

    def _spans(self, doc: list[Word], text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """(first token, end token, IRIs) of each mention in ``doc``, the tokens of ``text``: every
        label match, then the longest (the earliest among equals) of overlapping ones; a weak
        label's only where licensed."""
        p = self.patterns
        found: dict[tuple[int, int], set[int]] = {}
        forms = ([t.text.lower() for t in doc], [t.norm for t in doc])
        for seq, table, lengths in zip(forms, (p.lower, p.norm), p.lengths, strict=True):
            for i, tok in enumerate(seq):
                for n in lengths.get(tok, ()):
                    keys = table.get(tuple(seq[i : i + n])) if i + n <= len(seq) else None
                    if keys:
                        found.setdefault((i, i + n), set()).update(keys)
        # each token as written (NFKC, lower case, as labels are), and what separates it from the one before
        own = [nfkc(t.text).lower() for t in doc]
        gaps = [nfkc(text[doc[k - 1].idx + len(doc[k - 1].text) : t.idx]).lower() if k else "" for k, t in enumerate(doc)]
        for i in range(len(doc)):
            written = own[i]
            for j in range(i, len(doc)):
                if j > i:
                    written += gaps[j] + own[j]
                if written not in p.written_starts:
                    break
                keys = p.written.get(written)
                if keys:
                    found.setdefault((i, j + 1), set()).update(keys)
        kept: list[tuple[int, int, set[int]]] = []
        taken: set[int] = set()
        for (start, end), keys in sorted(found.items(), key=lambda m: (m[0][0] - m[0][1], m[0][0])):
            if start not in taken and end - 1 not in taken:
                kept.append((start, end, keys))
                taken.update(range(start, end))
        # Only specific (non-weak) mentions license a weak word placed before them.
        starts = {start for start, _, keys in kept if keys - p.weak}
        out = []
        for start, end, keys in sorted(kept, key=lambda m: m[0]):
            if not keys - p.weak and not licensed(doc, end, starts):
                continue
            out.append((start, end, tuple(dict.fromkeys(i for k in sorted(keys) for i in p.targets[k]))))
        return out


def _first_lengths(table: dict[tuple[str, ...], tuple[int, ...]]) -> dict[str, list[int]]:
    out: dict[str, set[int]] = {}
    for seq in table:
        out.setdefault(seq[0], set()).add(len(seq))
    return {first: sorted(lengths, reverse=True) for first, lengths in out.items()}


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
