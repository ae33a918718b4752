"""Entity linking for questions: the ingest annotator's label matcher, plus a fuzzy label match.

The annotator (``regkg.ingest.annotate.Annotator`` over a ``regkg.ingest.lexicon.Lexicon``)
is the one that links passages at build time, so a question and the passages
it should find link to the same entities. Its lexicon is filled here from the
store through ``GraphStore.select`` (the ingest constructor wants a pyoxigraph
store or rdflib graph; any SPARQL endpoint works this way), once per build: the
linker is saved with the build and loaded by later starts. Spans the annotator
misses get a fuzzy match against multi-word labels (``gene-modified cell``
for ``gene modified cells``), so small spelling differences still link.

The linker also keeps each entity's labels by language: the cross-lingual
bridge expands a question with the other language's labels of what it links.

Documents are not entities a question is about, but a question may name its source
("according to the MSC review", 「薬機法では」): a second annotator over documents'
names finds them, so search and the reader can prefer the text of the document named
without documents competing with the entities for a span.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from regkg.files import write_atomically
from regkg.graph.store import GraphStore
from regkg.queries.bounded_cache import BoundedCache
from regkg.ingest.annotate import Annotator, LabelPatterns
from regkg.ingest.lexicon import EXCLUDED_TYPES, HEAD_NOUN_QUERY, Lexicon, head_noun_groups
from regkg.ontology.namespaces import RKO
from regkg.queries.library import get_query
from regkg.queries.retrieval.tokens import STOP_WORDS, language, normalize

#: The types whose names a question may give as its source.
DOCUMENT_TYPES = {str(RKO["Document"]), str(RKO["LegalDocument"])}
#: The same, as a link's type (the class's local name).
DOCUMENT_TYPE_NAMES = frozenset(t.rsplit("#", 1)[-1] for t in DOCUMENT_TYPES)
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
    documents: Annotator | None = None  # over documents' names
    _char_counts: tuple[dict[str, int], np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    #: the documents each recent text names: one question asks it of search, the reader and analysis
    _documents_named: BoundedCache[str, tuple[Linked, ...]] = field(default_factory=lambda: BoundedCache(64), repr=False)

    def link(self, text: str) -> list[Linked]:
        """Entities the text names: ruler spans first, then fuzzy spans that do not overlap them."""
        found = [Linked(m.iri, self.types.get(m.iri, ""), m.start, m.end, text[m.start:m.end], "ruler", 1.0)
                 for m in self.annotator.annotate([text])[0]]
        taken = list({(f.start, f.end) for f in found})  # a label linking many entities is one span
        documents: list[Linked] | None = None  # read when a fuzzy match needs them: most texts have none
        for start, end, span in _word_spans(text):
            if any(s < end and start < e for s, e in taken):
                continue
            best = self._fuzzy(normalize(span))
            if best is not None:
                # a document's exact name is not a misspelling of another name ("… Promotion Act" is no "… Promotion Center")
                documents = self.document_links(text) if documents is None else documents
                if any(d.start < end and start < d.end for d in documents):
                    continue
                label, iri, score = best
                # the span names what its label names: every entity that shares the label
                same = [m.iri for m in self.annotator.annotate([label])[0] if (m.start, m.end) == (0, len(label))]
                for each in dict.fromkeys(same or [iri]):
                    found.append(Linked(each, self.types.get(each, ""), start, end, span, "fuzzy", score))
                taken.append((start, end))
        return sorted(found, key=lambda f: f.start)

    def named_documents(self, text: str) -> set[str]:
        """The documents the text names (by a title, short name or number the graph gives them)."""
        return {link.iri for link in self.document_links(text)}

    def document_links(self, text: str) -> list[Linked]:
        """Where the text names a document, as links (the entity links leave documents out: a
        document named beside a thing says where to look, not what is asked about)."""
        if self.documents is None:
            return []
        documents = self.documents
        return list(self._documents_named.get_or_create(text, lambda: tuple(
            Linked(m.iri, self.types.get(m.iri, ""), m.start, m.end, text[m.start:m.end], "ruler", 1.0)
            for m in documents.annotate([text])[0])))

    def _fuzzy(self, span: str) -> tuple[str, str, float] | None:
        """The label ``span`` is a spelling of, with its (first) entity and the match ratio."""
        best: tuple[str, str, float] | None = None
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(span)  # difflib caches the second sequence: compare many labels to one span
        words = _words(span)
        for i in self._candidates(span):
            label, iri = self.fuzzy_labels[i]
            label_words = _words(label)
            if words < label_words or label_words < words:
                continue  # a name with a word more or less names another concept, it is not a spelling of it
            matcher.set_seq1(label)
            ratio = matcher.ratio()
            if ratio >= FUZZY_MIN and (best is None or ratio > best[2]):
                best = (label, iri, ratio)
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

    def save(self, path: Path) -> None:
        """Write what the linker is made of (labels, types, fuzzy labels, the annotator's label
        patterns) as JSON, atomically, for later starts."""
        data = {"types": self.types, "labels": self.labels, "fuzzy": self.fuzzy_labels,
                "patterns": self.annotator.patterns.to_json(),
                "document_patterns": self.documents.patterns.to_json() if self.documents is not None else None}
        write_atomically(path, json.dumps(data, ensure_ascii=False))

    @classmethod
    def load(cls, path: Path) -> EntityLinker | None:
        """The linker :meth:`save` wrote; None when there is none, or it is unreadable or of an
        older format (the caller makes it again)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            patterns = LabelPatterns.from_json(data["patterns"])
            documents = LabelPatterns.from_json(data["document_patterns"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        if patterns is None or documents is None:
            return None
        return cls(Annotator(patterns=patterns), data["types"], data["labels"],
                   [tuple(f) for f in data["fuzzy"]], Annotator(patterns=documents))

    def pref_label(self, iri: str, lang: str) -> str:
        return next(iter(self.labels.get(iri, {}).get(lang, [])), "")

    def bridge_terms(self, linked: list[Linked], lang: str, per_entity: int = 2) -> list[str]:
        """Distinct labels, in the language other than ``lang``, of the linked entities (preferred first)."""
        other = "ja" if lang == "en" else "en"
        out: list[str] = []
        for entity in dict.fromkeys(link.iri for link in linked):
            out.extend(self.labels.get(entity, {}).get(other, [])[:per_entity])
        return list(dict.fromkeys(out))  # entities sharing a label (a facet and its modality) give it once


def _words(text: str) -> set[str]:
    """The content words of an English name, hyphenated parts apart (cell-line: cell, line), without
    punctuation and function words (a span "is line qualification" says line qualification)."""
    return set(re.findall(r"[a-z0-9']+", text.lower())) - STOP_WORDS


_ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-']*")
#: A stretch of text between punctuation: a name is read within one.
_PHRASE = re.compile(r"[^,.;:!?()\[\]、。，；：！？（）]+")


def _word_spans(text: str, max_words: int = 4) -> list[tuple[int, int, str]]:
    """Runs of 2..max_words English words (fuzzy matching is for multi-word English labels), each
    inside one phrase: a name does not run across a comma or a full stop ("… technologies, how is")."""
    phrases = [[(p.start() + m.start(), p.start() + m.end()) for m in _ENGLISH_WORD.finditer(p.group(0))]
               for p in _PHRASE.finditer(text)]
    spans: list[tuple[int, int, str]] = []
    for n in range(max_words, 1, -1):  # longest first, in text order
        for words in phrases:
            for i in range(len(words) - n + 1):
                start, end = words[i][0], words[i + n - 1][1]
                spans.append((start, end, text[start:end]))
    return spans


#: Linkers of this many builds stay in memory (as for the search index).
_LINKERS: BoundedCache[str, EntityLinker] = BoundedCache(2)
#: The same linkers by the labels they were made from: a rebuild that left the labels alone
#: (most rebuilds: new documents, not new ontology) reuses the linker instead of building
#: its label patterns again, which tokenizes every label.
_BY_LABELS: BoundedCache[str, EntityLinker] = BoundedCache(2)


def get_linker(store: GraphStore) -> EntityLinker:
    """The linker of this store's build, built once (keyed by build id, like the search index)."""
    return _LINKERS.get_or_create(store.build_id or f"memory-{id(store)}", lambda: _linker_for(store))


def _linker_for(store: GraphStore) -> EntityLinker:
    """The linker saved with the build, else made from the store's labels (reusing one made from
    the same labels) and saved with the build: a build's labels never change."""
    saved = store.artefacts.folder / "index" / "linker.json" if store.build_id and store.artefacts else None
    linker = EntityLinker.load(saved) if saved is not None else None
    if linker is not None:
        return linker
    rows = get_query("entity-labels").run(store).rows
    heads = head_noun_groups([(r["group"].value, r["word"].value) for r in store.select(HEAD_NOUN_QUERY).rows])
    digest = hashlib.sha256(repr((sorted(tuple(str(v) for v in r.values()) for r in rows), heads)).encode()).hexdigest()
    linker = _BY_LABELS.get_or_create(digest, lambda: linker_from_rows(rows, heads))
    if saved is not None:
        linker.save(saved)
    return linker


def linker_from_rows(rows: list[dict], head_nouns: list[list[str]] = ()) -> EntityLinker:
    """The linker of the ``entity-labels`` query's rows, with labels' head-noun variants."""
    lexicon, documents = Lexicon(), Lexicon()
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
        if type_iri in DOCUMENT_TYPES:
            documents.add(iri, label, type_iri)
        if type_iri in EXCLUDED_TYPES:
            continue
        lexicon.add(iri, label, type_iri)
        if language(label) == "en" and len(label.split()) >= 2:
            fuzzy.append((normalize(label), iri))
    lexicon.add_head_variants(list(head_nouns))
    lexicon.add_particle_variants()
    # One entry per label (with its first IRI): _fuzzy keeps the first best match, so the other
    # IRIs of a shared label could never win, and a graph with many same-named entities stays fast.
    first: dict[str, str] = {}
    for label, iri in sorted(set(fuzzy)):
        first.setdefault(label, iri)
    return EntityLinker(Annotator(lexicon), types, labels, list(first.items()), Annotator(documents))
