"""The search index of one build: units, BM25, sentence embeddings and the entity linker.

Built once per store (keyed on ``store.path``, the build folder, so a new build
gets a new index) and kept in memory. The sentence-embedding matrix is saved
beside the build under ``<REGKG_DATA>/index/<build-folder>/`` so a restart
loads it instead of encoding the corpus again. The embedding model loads on
first use, never at import, so a server starts fast; ``warm`` does it all in
the background.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from regkg.config import settings
from regkg.graph.store import GraphStore
from regkg.queries.embed import Encoder, cached_encoder
from regkg.queries.retrieval.bm25 import BM25
from regkg.queries.retrieval.tokens import sentences, terms
from regkg.queries.retrieval.units import TextUnit, load_units

#: Sentences shorter than this are merged into the next: headings and list stubs alone embed poorly.
MIN_SENTENCE = 12


@dataclass
class SearchIndex:
    units: list[TextUnit]
    unit_terms: list[list[str]]
    bm25: BM25
    sentences: list[str]
    sentence_unit: np.ndarray  # sentence index → unit index
    data_dir: Path
    key: str
    model_name: str | None
    _embeddings: np.ndarray | None = None
    _by_iri: dict[str, int] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def encoder(self) -> Encoder:
        return cached_encoder(self.model_name, self.data_dir)

    def unit_for(self, iri: str) -> int | None:
        """The indexed unit of an IRI, or of its nearest indexed ancestor (an item → its paragraph)."""
        if self._by_iri is None:
            self._by_iri = {u.iri: i for i, u in enumerate(self.units)}
        while iri:
            if iri in self._by_iri:
                return self._by_iri[iri]
            iri = iri.rsplit("/", 2)[0] if iri.count("/") > 5 else ""
        return None

    def embeddings(self) -> np.ndarray:
        """Sentence embeddings, loaded from disk or computed and saved on first use."""
        if self._embeddings is None:
            with self._lock:
                if self._embeddings is None:
                    self._embeddings = self._load_or_encode()
        return self._embeddings

    def _load_or_encode(self) -> np.ndarray:
        digest = hashlib.sha256("\x1e".join(self.sentences).encode()).hexdigest()[:16]
        model = (self.model_name or "ginza-vectors").replace("/", "_").replace(":", "_")
        path = self.data_dir / "index" / self.key / f"{model}-{digest}.npy"
        if path.is_file():
            return np.load(path)
        matrix = self.encoder.encode(self.sentences)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{threading.get_ident()}.tmp.npy")
        np.save(tmp, matrix)
        tmp.replace(path)
        return matrix


_CACHE: dict[tuple[str, str | None], SearchIndex] = {}
_CACHE_LOCK = threading.Lock()


def get_index(store: GraphStore, model_name: str | None = None) -> SearchIndex:
    """The index of this store's build (built on first call, then cached)."""
    model_name = model_name if model_name is not None else settings().embed_model
    path = getattr(store, "path", None)
    key = (str(path) if path is not None else f"memory-{id(store)}", model_name)
    index = _CACHE.get(key)
    if index is None:
        with _CACHE_LOCK:
            index = _CACHE.get(key)
            if index is None:
                index = _build(store, path, model_name)
                _CACHE[key] = index
    return index


def warm(store: GraphStore) -> None:
    """Build the index, load the model and the embeddings now (for a server's start-up thread)."""
    index = get_index(store)
    index.embeddings()
    index.encoder.encode(["warm-up"])
    from regkg.queries.linking import get_linker

    get_linker(store)


def _build(store: GraphStore, path: Path | None, model_name: str | None) -> SearchIndex:
    units = load_units(store)
    unit_terms = [terms(u.text) for u in units]
    sents: list[str] = []
    owner: list[int] = []
    for i, u in enumerate(units):
        for s in _chunks(u.text):
            sents.append(s)
            owner.append(i)
    data_dir = path.parent.parent if path is not None else settings().data_dir
    return SearchIndex(units, unit_terms, BM25(unit_terms), sents, np.array(owner, dtype=np.int64), data_dir,
                       path.name if path is not None else "memory", model_name)


def _chunks(text: str) -> list[str]:
    out: list[str] = []
    carry = ""
    for s in sentences(text):
        s = (carry + " " + s).strip() if carry else s
        if len(s) < MIN_SENTENCE:
            carry = s
            continue
        out.append(s)
        carry = ""
    if carry:
        out.append(carry)
    return out or [text[:500]]
