"""The embedded adapter: builds of a pyoxigraph store on disk, one folder per build.

Layout of ``<data>/stores/``::

    CURRENT               the id of the published build; replaced by an atomic rename of CURRENT.<id>.tmp
    <build-id>/store/     the pyoxigraph store of one build
    <build-id>/artefacts/ what the build derived for search (keyed by the build, dropped with it)
    <build-id>/COMPLETE   written last, once the store is flushed: {"build_id", "completed", "triples"}

A folder without ``COMPLETE`` is a build that failed or was killed, whatever
its name; cleanup (run by the next writer, under the data directory's
:class:`~regkg.graph.lock.BuildLock`) removes it. Builds are ordered by the
time in their marker, never by folder name, and the published build is never
removed, so ``CURRENT`` cannot name a missing folder.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from regkg.files import write_atomically
from regkg.graph.lock import BuildLock
from regkg.graph.store import Artefacts, BuildInfo, NoGraphError, OxigraphStore, new_build_id

POINTER = "CURRENT"
MARKER = "COMPLETE"
STORE = "store"
ARTEFACTS = "artefacts"


class EmbeddedStores:
    """The lifecycle of embedded builds in one data directory (see the module docstring)."""

    def __init__(self, settings) -> None:
        self.settings = settings
        self.data_dir = settings.data_dir
        self.root = settings.data_dir / "stores"
        self.keep = max(1, settings.keep_builds)

    def artefacts(self, build_id: str) -> Artefacts:
        return Artefacts(self.root / build_id / ARTEFACTS, self.data_dir / "models", self.settings.embed_model,
                         self.settings.cache_dir)

    # ---------------------------------------------------------------- reading

    def live_build_id(self) -> str | None:
        """The published build, if its folder is complete."""
        try:
            build_id = (self.root / POINTER).read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return build_id if build_id and (self.root / build_id / MARKER).is_file() else None

    def _live(self) -> str:
        build_id = self.live_build_id()
        if build_id is None:
            raise NoGraphError(f"no graph has been built in {self.data_dir}; run `regkg build` first")
        return build_id

    def open(self, read_only: bool = True) -> OxigraphStore:
        """The published build, opened from disk (read-only: readers never write a build)."""
        build_id = self._live()
        return OxigraphStore.open(self.root / build_id / STORE, read_only=read_only, build_id=build_id,
                                  artefacts=self.artefacts(build_id))

    def open_in_memory(self) -> OxigraphStore:
        """The published build copied into memory, for a long-running server (see OxigraphStore)."""
        build_id = self._live()
        return OxigraphStore.load_in_memory(self.root / build_id / STORE, build_id=build_id,
                                            artefacts=self.artefacts(build_id))

    def follow(self) -> FollowedStore:
        return FollowedStore(self)

    def builds(self) -> list[BuildInfo]:
        """Every build folder, complete ones newest first, then incomplete ones."""
        live = self.live_build_id()
        out: list[BuildInfo] = []
        for folder in sorted(self.root.iterdir()) if self.root.is_dir() else []:
            if not folder.is_dir():
                continue
            marker = _read_marker(folder / MARKER)
            out.append(BuildInfo(folder.name, marker is not None, folder.name == live,
                                 marker.get("completed") if marker else None))
        complete = sorted((b for b in out if b.complete), key=lambda b: b.completed or "", reverse=True)
        return complete + [b for b in out if not b.complete]

    # ---------------------------------------------------------------- writing

    @contextmanager
    def stage(self, purpose: str = "regkg build") -> Iterator[EmbeddedStaging]:
        """Hold the lock, clear failed builds, and give a fresh store to fill; removed unless published."""
        with BuildLock(self.data_dir, purpose):
            self.cleanup()
            staging = EmbeddedStaging(self)
            try:
                yield staging
            finally:
                staging.close()
                if not staging.published:
                    shutil.rmtree(staging.folder, ignore_errors=True)

    def cleanup(self) -> None:
        """Remove incomplete builds and complete ones beyond the newest ``keep`` (never the live one).

        Only call it holding the lock: then no build is being written.
        """
        stray = [p for p in self.root.glob(f"{POINTER}.*.tmp")] if self.root.is_dir() else []
        for tmp in stray:
            tmp.unlink(missing_ok=True)
        complete = 0
        for info in self.builds():
            if info.complete and (info.live or complete < self.keep):
                complete += 1
                continue
            if not info.live:
                self.drop(info.build_id)

    def drop(self, build_id: str) -> None:
        """Remove one build (its marker first, so it stops counting as complete); never the live one."""
        if build_id == self.live_build_id():
            raise ValueError(f"{build_id} is the published build")
        folder = self.root / build_id
        (folder / MARKER).unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)


class EmbeddedStaging:
    """A build being written: a fresh store folder nobody reads until :meth:`publish`."""

    def __init__(self, stores: EmbeddedStores) -> None:
        self.stores = stores
        self.build_id = new_build_id()
        self.folder = stores.root / self.build_id
        self.folder.mkdir(parents=True)
        live = stores.live_build_id()
        self.previous = stores.open() if live is not None else None
        self.store = OxigraphStore.open(self.folder / STORE, build_id=self.build_id,
                                        artefacts=stores.artefacts(self.build_id))
        self.published = False

    def publish(self) -> int:
        """Flush, mark complete, switch ``CURRENT``, prune; the number of triples.

        The builder has materialised the union of the named graphs (what readers query)."""
        from regkg.graph.stats import graph_stats

        self.store.flush()
        triples = graph_stats(self.store).triples
        completed = dt.datetime.now(dt.timezone.utc).isoformat()
        write_atomically(self.folder / MARKER, json.dumps(
            {"build_id": self.build_id, "completed": completed, "triples": triples}))
        write_atomically(self.stores.root / POINTER, self.build_id)
        self.published = True
        self.close()
        self.stores.cleanup()
        return triples

    def close(self) -> None:
        """Let go of both stores (RocksDB files stay open while a store object lives)."""
        self.store.close()
        if self.previous is not None:
            self.previous.close()


class FollowedStore:
    """The published build held in memory, reloaded when a new build is published.

    A long-running server asks ``get()`` per request, which costs one read of
    the pointer file, so a `regkg build` beside the server takes effect without
    a restart and never interrupts a request. Only the current build is held:
    the old copy is released when the new one is loaded.
    """

    def __init__(self, stores: EmbeddedStores) -> None:
        self.stores = stores
        self._store: OxigraphStore | None = None

    def get(self) -> OxigraphStore:
        build_id = self.stores._live()
        if self._store is None or self._store.build_id != build_id:
            self._store = None
            self._store = self.stores.open_in_memory()
        return self._store


def _read_marker(path: Path) -> dict | None:
    try:
        marker = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) else None

