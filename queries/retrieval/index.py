"""The search index of one build: units, BM25, sentence embeddings and per-unit lookups.

Built once per build (keyed on ``store.build_id``, so a new build gets a new
index) and kept in memory; the cache holds the indexes of the last few builds
only, so a server that follows rebuilds does not grow. The build computes it
(:func:`derive`) into its artefacts folder (``store.artefacts``, dropped with the
build): the BM25 postings, the units cut into sentences, the sentence-embedding matrices (one row per
distinct sentence: the main model's, and the multilingual encoder's for English questions), the HNSW graph when the index is large enough to use one (see
:mod:`.dense`) and the bridge table; every process then memory-maps or reads
them instead of tokenizing and encoding the corpus again. The embedding model loads on first use,
never at import, so a server starts fast; ``warm`` does it all in the
background.

Everything a request needs per unit — the sentences of a unit, the units of a
document or of an entity, a unit's language or type — is an array or a dict
here, so no request walks all units in Python.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from regkg.graph.store import Artefacts, GraphStore
from regkg.queries.bounded_cache import BoundedCache
from regkg.queries.embed import Encoder, cached_encoder, multilingual_encoder
from regkg.queries.retrieval.bm25 import BM25
from regkg.queries.retrieval.bridge import SOURCES, Bridge, BridgeInputs, build_bridge
from regkg.queries.retrieval.dense import (ANN_MIN_ROWS, DenseIndex, build_ann, faiss_module, read_ann,
                                           save_ann)
from regkg.queries.retrieval.parallel import aligned_units, graph_pairs
from regkg.queries.retrieval.sentence_table import SentenceTable
from regkg.queries.retrieval.tokens import terms
from regkg.queries.retrieval.units import TextUnit, load_units, read_units, save_units

log = logging.getLogger(__name__)

@dataclass
class Column:
    """One attribute of every unit as small integer codes (``codes[i]`` indexes ``values``)."""

    codes: np.ndarray
    values: list[str]

    @classmethod
    def of(cls, items: Iterable[str]) -> Column:
        index: dict[str, int] = {}
        codes = np.fromiter((index.setdefault(v, len(index)) for v in items), dtype=np.int32)
        return cls(codes, list(index))

    def isin(self, wanted: Iterable[str]) -> np.ndarray:
        """A boolean row per unit: its value is one of ``wanted``."""
        wanted = set(wanted)
        return np.isin(self.codes, [i for i, v in enumerate(self.values) if v in wanted])


@dataclass
class SearchIndex:
    units: list[TextUnit]
    bm25: BM25
    sentences: list[str]
    sentence_unit: np.ndarray  # sentence index → unit index (non-decreasing: a unit's sentences are adjacent)
    sentence_row: np.ndarray  # sentence index → row of its (distinct) sentence's vector
    distinct: list[str]  # row → sentence text
    artefacts: Artefacts  # where the vectors are saved, and the models folder
    model_name: str | None
    ann_min_rows: int = ANN_MIN_ROWS
    #: Reads the (English, Japanese, source) phrase pairs of the graph (labels, titles) for the bridge.
    pairs_of: Callable[[], tuple[tuple[str, str, str], ...]] | None = None
    #: The artefacts folder is this build's alone (not a scratch folder several stores share), so
    #: what is saved there needs no digest of its inputs in its name.
    own_folder: bool = False
    _pairs: tuple[tuple[str, str, str], ...] | None = None
    _dense: DenseIndex | None = None
    _crosslingual: DenseIndex | None = None
    _bridges: dict[tuple[str, ...], Bridge] = field(default_factory=dict)
    _by_iri: dict[str, int] | None = None
    _iri_order: list[tuple[str, int]] | None = None
    _columns: dict[str, Column] = field(default_factory=dict)
    _entity_units: dict[str, np.ndarray] | None = None
    _unit_start: np.ndarray | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def pairs(self) -> tuple[tuple[str, str, str], ...]:
        """The graph's bilingual phrase pairs, read on first use (only a bridge being built needs them)."""
        if self._pairs is None:
            self._pairs = self.pairs_of() if self.pairs_of is not None else ()
        return self._pairs

    @property
    def encoder(self) -> Encoder:
        return cached_encoder(self.model_name, self.artefacts.models)

    def unit_for(self, iri: str) -> int | None:
        """The indexed unit of an IRI, or of its nearest indexed ancestor (an item → its paragraph)."""
        if self._by_iri is None:
            self._by_iri = {u.iri: i for i, u in enumerate(self.units)}
        while iri:
            if iri in self._by_iri:
                return self._by_iri[iri]
            iri = iri.rsplit("/", 2)[0] if iri.count("/") > 5 else ""
        return None

    def unit_sentences(self, unit: int) -> range:
        """Indices (into ``sentences``) of one unit's sentences, in text order."""
        if self._unit_start is None:
            self._unit_start = np.searchsorted(self.sentence_unit, np.arange(len(self.units) + 1))
        return range(int(self._unit_start[unit]), int(self._unit_start[unit + 1]))

    def column(self, name: str) -> Column:
        """The ``TextUnit`` attribute ``name`` of every unit (``lang``, ``type``, ``kind``, ``document``)."""
        col = self._columns.get(name)
        if col is None:
            col = self._columns[name] = Column.of(getattr(u, name) for u in self.units)
        return col

    def provision_units(self, provisions: Iterable[str]) -> list[int]:
        """Units that are one of ``provisions`` (IRIs), inside one (its paragraphs), or the nearest
        indexed one holding it (the article of a named item): found by bisecting the sorted IRIs."""
        if self._iri_order is None:
            self._iri_order = sorted((u.iri, i) for i, u in enumerate(self.units))
        found: set[int] = set()
        for provision in provisions:
            holder = self.unit_for(provision)
            if holder is not None:
                found.add(holder)
            inside = provision + "/"
            for iri, i in self._iri_order[bisect.bisect_left(self._iri_order, (inside,)):]:
                if not iri.startswith(inside):
                    break
                found.add(i)
        return sorted(found)

    def document_units(self, document: str) -> list[int]:
        """Units of one document, in index order."""
        return np.flatnonzero(self.column("document").isin([document])).tolist()

    def entity_units(self) -> dict[str, np.ndarray]:
        """Entity IRI → the units mentioning it (ascending)."""
        if self._entity_units is None:
            lists: dict[str, list[int]] = {}
            for i, u in enumerate(self.units):
                for e in set(u.entities):
                    lists.setdefault(e, []).append(i)
            self._entity_units = {e: np.array(ids, dtype=np.int64) for e, ids in lists.items()}
        return self._entity_units

    def entity_share(self, entities: set[str]) -> np.ndarray:
        """Per unit, the share of ``entities`` it mentions (0 … 1), each entity weighted by how
        rarely units mention it (its idf over the largest possible): a unit naming an entity that
        half the corpus names (再生医療等製品) says little about the question, one naming a rare
        entity much, as BM25 weighs words."""
        counts = np.zeros(len(self.units), dtype=np.float64)
        if not entities:
            return counts
        by_entity = self.entity_units()
        most = math.log(1 + len(self.units))
        for e in entities:
            ids = by_entity.get(e)
            if ids is not None:
                counts[ids] += math.log(1 + len(self.units) / len(ids)) / most
        return counts / len(entities)

    def dense(self) -> DenseIndex:
        """Sentence vectors and their search, loaded from disk or computed and saved on first use."""
        if self._dense is None:
            with self._lock:
                if self._dense is None:
                    self._dense = self._load_or_encode(self.encoder, self.embeddings_path())
        return self._dense

    def crosslingual(self) -> DenseIndex:
        """The same sentences in the multilingual encoder's space (English and Japanese together),
        for English questions over Japanese text; loaded, or computed and saved, like :meth:`dense`."""
        if self._crosslingual is None:
            with self._lock:
                if self._crosslingual is None:
                    encoder = multilingual_encoder()
                    self._crosslingual = self._load_or_encode(encoder, self.embeddings_path(encoder.name))
        return self._crosslingual

    def bridge(self, sources: Sequence[str] = SOURCES) -> Bridge:
        """The cross-lingual bridge of this index (from ``sources``; see :mod:`.bridge`): loaded from
        its table beside the build, or built from the dictionaries and the graph and saved there."""
        key = tuple(sources)
        bridge = self._bridges.get(key)
        if bridge is None:
            with self._lock:
                bridge = self._bridges.get(key)
                if bridge is None:
                    bridge = self._load_or_build_bridge(key)
                    self._bridges[key] = bridge
        return bridge

    def _load_or_build_bridge(self, sources: tuple[str, ...]) -> Bridge:
        """The bridge table saved beside the build, else built and saved: named by its sources in a
        build's own folder, by a digest of all its inputs in a shared scratch folder."""
        folder = self.artefacts.folder / "index"
        path = folder / f"bridge-{'+'.join(sources)}.tsv" if self.own_folder else None
        if path is not None and path.is_file():
            return Bridge.load(path)
        inputs = BridgeInputs(self.bm25.document_frequency(), self.pairs, aligned_units(self.units))
        path = path or folder / f"bridge-{inputs.digest(sources)}.tsv"
        if path.is_file():
            return Bridge.load(path)
        bridge = build_bridge(inputs, sources)
        bridge.save(path)
        return bridge

    def embeddings(self) -> np.ndarray:
        """One embedding row per sentence (``sentences`` order)."""
        return self.dense().vectors[self.sentence_row]

    def embeddings_path(self, model_name: str | None = None) -> Path:
        """Where one model's vectors of these sentences are saved (the main model's by default)."""
        digest = hashlib.sha256("\x1e".join(self.distinct).encode()).hexdigest()[:16]
        model = (model_name or self.model_name or "ginza-vectors").replace("/", "_").replace(":", "_")
        return self.artefacts.folder / "index" / f"{model}-{digest}.npy"

    def _load_or_encode(self, encoder: Encoder, path: Path) -> DenseIndex:
        use_ann = len(self.distinct) >= self.ann_min_rows
        if use_ann and faiss_module() is None:
            log.warning("%d distinct sentences but faiss is not installed: dense search uses brute force",
                        len(self.distinct))
            use_ann = False
        ann = read_ann(path.with_suffix(".hnsw"), len(self.distinct)) if use_ann else None
        if ann is not None:  # it holds the vectors too
            return DenseIndex(None, self.sentence_row, self.sentence_unit, len(self.units), ann)
        if path.is_file():
            vectors = np.load(path, mmap_mode="r")  # pages in as searches touch it
        else:
            vectors = encoder.encode(self.distinct)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{threading.get_ident()}.tmp.npy")
            np.save(tmp, vectors)
            tmp.replace(path)
        if use_ann:
            ann = build_ann(vectors)
            save_ann(ann, path.with_suffix(".hnsw"))
        return DenseIndex(vectors, self.sentence_row, self.sentence_unit, len(self.units), ann)


#: Indexes of this many builds stay in memory (the live one, and the one a request may still hold).
CACHED_BUILDS = 2
_CACHE: BoundedCache[tuple[str, str | None], SearchIndex] = BoundedCache(CACHED_BUILDS)


def get_index(store: GraphStore, model_name: str | None = None) -> SearchIndex:
    """The index of this store's build (loaded or built on first call, then cached).

    The embedding model is ``model_name`` if given, else the one the store's
    artefacts name; a scratch store without artefacts keeps its vectors in
    memory and assembles the default model in a temporary folder.
    """
    artefacts = store.artefacts or _scratch_artefacts()
    model_name = model_name if model_name is not None else artefacts.embed_model
    key = (store.build_id or f"memory-{id(store)}", model_name)
    return _CACHE.get_or_create(key, lambda: _open_index(store, artefacts, model_name))


def _open_index(store: GraphStore, artefacts: Artefacts, model_name: str | None) -> SearchIndex:
    """The index of a store: its units and BM25 postings loaded from the build's artefacts when the
    build saved them (for these units), else read and computed (and saved there, so the next process
    loads them)."""
    own_folder = store.build_id is not None and store.artefacts is not None
    saved_units = artefacts.folder / "index" / "units.json"
    units = read_units(saved_units) if own_folder else None
    if units is None:
        units = load_units(store)
        if own_folder:
            save_units(units, saved_units)
    folder = artefacts.folder / "index"
    source = _units_digest(units)
    bm25 = BM25.load(folder / "bm25", source) if own_folder else None
    table = SentenceTable.load(folder / "sentences", source) if own_folder else None
    if table is None:
        table = SentenceTable.of(units)
        if own_folder:
            table.save(folder / "sentences", source)
    index = build_index(units, artefacts, model_name, bm25=bm25, table=table)
    if bm25 is None and own_folder:
        index.bm25.save(folder / "bm25", source)
    index.pairs_of = lambda: graph_pairs(store)
    index.own_folder = own_folder
    return index


def _units_digest(units: Sequence[TextUnit]) -> str:
    """What a saved BM25 index must have been built from: the units' IRIs, texts and headings, in order."""
    h = hashlib.sha256()
    for u in units:
        h.update(f"{u.iri}\x1f{u.text}\x1f{section_heading(u)}\x1e".encode())
    return h.hexdigest()


_SCRATCH: list[Artefacts] = []


def _scratch_artefacts() -> Artefacts:
    """A temporary home for a scratch store's artefacts and models, one per process."""
    if not _SCRATCH:
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="regkg-scratch-"))
        _SCRATCH.append(Artefacts(folder / "artefacts", folder / "models"))
    return _SCRATCH[0]


def derive(store: GraphStore, progress=None) -> None:
    """Build step: compute this build's search artefacts into its artefacts folder — BM25 postings,
    sentence vectors (and HNSW graph), the cross-lingual bridge table and the linker's label tokens —
    so serving and every command load them instead of computing them."""
    if store.artefacts is None:
        return
    from regkg.queries.linking import get_linker

    def stage(name: str) -> None:
        if progress is not None:
            progress("stage", {"name": f"search index: {name}"})

    stage("BM25")
    index = _open_index(store, store.artefacts, store.artefacts.embed_model)
    stage("sentence vectors")
    index.dense()
    stage("cross-lingual sentence vectors")
    index.crosslingual()
    stage("cross-lingual bridge")
    index.bridge()
    stage("entity linker")
    get_linker(store)


def warm(store: GraphStore) -> None:
    """Load the index, the model, the embeddings, the bridge and the linker now (for a server's
    start-up thread)."""
    index = get_index(store)
    index.dense()
    index.encoder.encode(["warm-up"])
    index.crosslingual()
    multilingual_encoder().encode(["warm-up"])
    index.bridge()
    from regkg.queries.linking import get_linker

    get_linker(store)


def build_index(units: Sequence[TextUnit], artefacts: Artefacts, model_name: str | None,
                ann_min_rows: int = ANN_MIN_ROWS, bm25: BM25 | None = None,
                table: SentenceTable | None = None) -> SearchIndex:
    """The index of these units (with ``bm25``, their BM25 postings, and ``table``, their sentences,
    if already computed); vectors are saved under ``<artefacts.folder>/index/``.

    Units with the same text are tokenized once, and sentences with the same
    text share one vector row.
    """
    units = list(units)
    bm25 = bm25 if bm25 is not None else BM25(_unit_terms(units))
    table = table if table is not None else SentenceTable.of(units)
    return SearchIndex(units, bm25, table.sentences, table.sentence_unit, table.sentence_row, table.distinct,
                       artefacts, model_name, ann_min_rows)


def _unit_terms(units: list[TextUnit]) -> Iterator[list[str]]:
    """Each unit's BM25 terms — of its text and its section's headings — one at a time (nothing keeps
    them all); a text several units share is tokenized once."""
    texts = [searchable(u) for u in units]
    repeated = {text for text, n in Counter(texts).items() if n > 1}
    done: dict[str, list[str]] = {}
    for text in texts:
        if text not in repeated:
            yield terms(text)
        elif text in done:
            yield done[text]
        else:
            yield done.setdefault(text, terms(text))


def searchable(unit: TextUnit) -> str:
    """What BM25 reads of a unit: its text and the headings it sits under."""
    heading = section_heading(unit)
    return f"{unit.text}\n{heading}" if heading else unit.text


def section_heading(unit: TextUnit) -> str:
    """The headings a unit sits under, as its locator names them ("§ ICH Q9(R1) … > Two basic
    principles (PMDA Japanese), l. 29–31" → "ICH Q9(R1) … > Two basic principles (PMDA Japanese)"):
    a heading says what the text under it is about, in words the text itself may not repeat."""
    if not unit.locator.startswith("§"):
        return ""
    path = re.sub(r",\s*l\.\s*[0-9–\-]+\s*$", "", unit.locator[1:])
    return " > ".join(part.strip() for part in path.split(" > "))
