"""Entity linking for questions: the ingest annotator's EntityRuler, plus a fuzzy label match.

The ruler (``regkg.ingest.annotate.Annotator`` over a ``regkg.ingest.lexicon.Lexicon``)
is the one that links passages at build time, so a question and the passages
it should find link to the same entities. Its lexicon is filled here from the
store through ``GraphStore.select`` (the ingest constructor wants a pyoxigraph
store or rdflib graph; any SPARQL endpoint works this way). Spans the ruler
misses get a fuzzy match against multi-word labels (``gene-modified cell``
for ``gene modified cells``), so small spelling differences still link.

The linker also keeps each entity's labels by language: the cross-lingual
bridge expands a question with the other language's labels of what it links.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from regkg.graph.store import GraphStore
from regkg.queries.bounded_cache import BoundedCache
from regkg.ingest.annotate import Annotator
from regkg.ingest.lexicon import EXCLUDED_TYPES, HEAD_NOUN_QUERY, Lexicon, head_noun_groups
from regkg.ingest.nlp import load_nlp
from regkg.queries.library import get_query
from regkg.queries.retrieval.tokens import language, normalize

#: Fuzzy matches must be at least this similar (difflib ratio on normalised text).
FUZZY_MIN = 0.86


@dataclass(frozen=True)
class Linked:
    iri: str
    type: str  # rko local name, e.g. Modality
    start: int
    end: int
    text: str
    method: str  # ruler or fuzzy
    score: float


@dataclass
class EntityLinker:
    annotator: Annotator
    types: dict[str, str]
    labels: dict[str, dict[str, list[str]]]  # iri → lang → labels (preferred first)
    fuzzy_labels: list[tuple[str, str]] = field(default_factory=list)  # (normalised label, iri)
    _char_counts: tuple[dict[str, int], np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    def link(self, text: str) -> list[Linked]:
        """Entities the text names: ruler spans first, then fuzzy spans that do not overlap them."""
        found = [Linked(m.iri, self.types.get(m.iri, ""), m.start, m.end, text[m.start:m.end], "ruler", 1.0)
                 for m in self.annotator.annotate([text])[0]]
        taken = list({(f.start, f.end) for f in found})  # a label linking many entities is one span
        for start, end, span in _word_spans(text):
            if any(s < end and start < e for s, e in taken):
                continue
            best = self._fuzzy(normalize(span))
            if best is not None:
                iri, score = best
                found.append(Linked(iri, self.types.get(iri, ""), start, end, span, "fuzzy", score))
                taken.append((start, end))
        return sorted(found, key=lambda f: f.start)

    def _fuzzy(self, span: str) -> tuple[str, float] | None:
        best: tuple[str, float] | None = None
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(span)  # difflib caches the second sequence: compare many labels to one span
        for i in self._candidates(span):
            label, iri = self.fuzzy_labels[i]
            matcher.set_seq1(label)
            ratio = matcher.ratio()
            if ratio >= FUZZY_MIN and (best is None or ratio > best[1]):
                best = (iri, ratio)
        return best

    def _candidates(self, span: str) -> np.ndarray:
        """Indices (ascending) of the fuzzy labels whose difflib ``quick_ratio`` with ``span`` reaches
        FUZZY_MIN — the labels ``ratio`` can accept (it never exceeds ``quick_ratio``) — computed for
        all labels at once: quick_ratio is 2 · (characters in common, as multisets) / (both lengths)."""
        if self._char_counts is None:
            chars: dict[str, int] = {}
            for label, _ in self.fuzzy_labels:
                for c in label:
                    chars.setdefault(c, len(chars))
            counts = np.zeros((len(self.fuzzy_labels), len(chars)), dtype=np.int32)
            for i, (label, _) in enumerate(self.fuzzy_labels):
                for c in label:
                    counts[i, chars[c]] += 1
            lengths = np.array([len(label) for label, _ in self.fuzzy_labels], dtype=np.int64)
            self._char_counts = (chars, counts, lengths)
        chars, counts, lengths = self._char_counts
        own = {chars[c]: n for c, n in Counter(span).items() if c in chars}
        common = np.minimum(counts[:, list(own)], np.array(list(own.values()), dtype=np.int32)).sum(axis=1)
        return np.flatnonzero(2.0 * common / (lengths + len(span)) >= FUZZY_MIN)

    def pref_label(self, iri: str, lang: str) -> str:
        return next(iter(self.labels.get(iri, {}).get(lang, [])), "")

    def bridge_terms(self, linked: list[Linked], lang: str, per_entity: int = 2) -> list[str]:
        """Distinct labels, in the language other than ``lang``, of the linked entities (preferred first)."""
        other = "ja" if lang == "en" else "en"
        out: list[str] = []
        for entity in dict.fromkeys(link.iri for link in linked):
            out.extend(self.labels.get(entity, {}).get(other, [])[:per_entity])
        return list(dict.fromkeys(out))  # entities sharing a label (a facet and its modality) give it once


def _word_spans(text: str, max_words: int = 4) -> list[tuple[int, int, str]]:
    """Runs of 2..max_words English words (fuzzy matching is for multi-word English labels)."""
    words = [(m.start(), m.end()) for m in re.finditer(r"[A-Za-z][A-Za-z0-9\-']*", text)]
    spans: list[tuple[int, int, str]] = []
    for n in range(max_words, 1, -1):
        for i in range(len(words) - n + 1):
            start, end = words[i][0], words[i + n - 1][1]
            spans.append((start, end, text[start:end]))
    return spans


#: Linkers of this many builds stay in memory (as for the search index).
_LINKERS: BoundedCache[str, EntityLinker] = BoundedCache(2)
#: The same linkers by the labels they were made from: a rebuild that left the labels alone
#: (most rebuilds: new documents, not new ontology) reuses the linker instead of building
#: its EntityRuler again, which tokenizes every label.
_BY_LABELS: BoundedCache[str, EntityLinker] = BoundedCache(2)


def get_linker(store: GraphStore) -> EntityLinker:
    """The linker of this store's build, built once (keyed by build id, like the search index)."""
    return _LINKERS.get_or_create(store.build_id or f"memory-{id(store)}", lambda: _linker_for(store))


def _linker_for(store: GraphStore) -> EntityLinker:
    rows = get_query("entity-labels").run(store).rows
    heads = head_noun_groups([(r["group"].value, r["word"].value) for r in store.select(HEAD_NOUN_QUERY).rows])
    digest = hashlib.sha256(repr((sorted(tuple(str(v) for v in r.values()) for r in rows), heads)).encode()).hexdigest()
    tokens = store.artefacts.folder / "index" / f"linker-{digest[:16]}.spacy" if store.artefacts else None
    if tokens is not None and not tokens.is_file():
        return linker_from_rows(rows, heads, tokens)  # a build without its tokens yet: save them for later starts
    return _BY_LABELS.get_or_create(digest, lambda: linker_from_rows(rows, heads, tokens))


class _SavedTokens:
    """The label tokenizer while a linker is made: the labels' tokens as saved beside the build (so a
    start does not tokenize ~15 000 labels and variants again), the real tokenizer for the rest, each
    of whose results is kept for saving."""

    def __init__(self, inner, vocab, path: Path | None) -> None:
        from spacy.tokens import DocBin

        self.inner, self.vocab = inner, vocab
        self.docs: dict[str, object] = {}
        self.missed = False
        if path is not None and path.is_file():
            self.docs = {d.text: d for d in DocBin().from_bytes(path.read_bytes()).get_docs(vocab)}

    def __call__(self, text: str):
        doc = self.docs.get(text)
        if doc is None:
            doc = self.docs[text] = self.inner(text)
            self.missed = True
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def save(self, path: Path) -> None:
        """Write the tokens (the attributes the annotator matches on) atomically."""
        from spacy.tokens import DocBin

        data = DocBin(attrs=["ORTH", "NORM", "TAG"], docs=self.docs.values()).to_bytes()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)


def linker_from_rows(rows: list[dict], head_nouns: list[list[str]] = (), tokens: Path | None = None) -> EntityLinker:
    """The linker of the ``entity-labels`` query's rows, with labels' head-noun variants; ``tokens``:
    where its labels' tokens are saved (read if there, written if not)."""
    lexicon = Lexicon()
    labels: dict[str, dict[str, list[str]]] = {}
    types: dict[str, str] = {}
    fuzzy: list[tuple[str, str]] = []
    for r in sorted(rows, key=lambda r: not (r["preferred"] and r["preferred"].value == "true")):
        iri, type_iri, label = r["entity"].value, r["type"].value, r["label"].value
        types.setdefault(iri, type_iri.rsplit("#", 1)[-1])
        lang = getattr(r["label"], "language", None) or language(label)
        by_lang = labels.setdefault(iri, {}).setdefault("ja" if lang == "ja" else "en", [])
        if label not in by_lang:
            by_lang.append(label)
        if type_iri in EXCLUDED_TYPES:
            continue
        lexicon.add(iri, label, type_iri)
        if language(label) == "en" and len(label.split()) >= 2:
            fuzzy.append((normalize(label), iri))
    lexicon.add_head_variants(list(head_nouns))
    # One entry per label (with its first IRI): _fuzzy keeps the first best match, so the other
    # IRIs of a shared label could never win, and a graph with many same-named entities stays fast.
    first: dict[str, str] = {}
    for label, iri in sorted(set(fuzzy)):
        first.setdefault(label, iri)
    return EntityLinker(_annotator(lexicon, tokens), types, labels, list(first.items()))


def _annotator(lexicon: Lexicon, tokens: Path | None) -> Annotator:
    """The ingest annotator over ``lexicon``, its labels tokenized from the saved tokens if any; it
    tokenizes questions with the real tokenizer."""
    from spacy.language import Language

    base = load_nlp()
    saved = _SavedTokens(base.tokenizer, base.vocab, tokens)
    annotator = Annotator(lexicon, Language(base.vocab, create_tokenizer=lambda _: saved))
    annotator.nlp.tokenizer = base.tokenizer
    if tokens is not None and saved.missed:
        saved.save(tokens)
    return annotator
