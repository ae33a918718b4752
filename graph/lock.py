"""One writer per data directory: an exclusive, non-blocking lock on ``<data>/build.lock``.

Two builds writing beside each other used to delete each other's stores (the
faster one pruned the slower one's folder). Whatever writes a build — `regkg
build`, an admin SPARQL Update — holds this lock from before it reads the
previous build until after it has published and pruned; a second writer is
refused at once, told who holds the lock, and changes nothing. ``flock``
belongs to the open file, so the kernel releases it when the holder dies,
even by SIGKILL: a stale lock never blocks the next build.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket
from pathlib import Path
from types import TracebackType

LOCK_FILE = "build.lock"


class BuildLocked(Exception):
    """Another process is writing a build in this data directory; nothing was changed."""


class BuildLock:
    """``with BuildLock(data_dir, "regkg build"):`` — raises :class:`BuildLocked` when held elsewhere."""

    def __init__(self, data_dir: Path, purpose: str) -> None:
        self.path = data_dir / LOCK_FILE
        self.purpose = purpose
        self._fd: int | None = None

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise BuildLocked(f"another build is running in {self.path.parent} ({holder(self.path)}); "
                              "nothing was changed") from None
        # Name the holder in the file, for the message a refused writer prints.
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({
            "pid": os.getpid(), "host": socket.gethostname(), "purpose": self.purpose,
            "since": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        }).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = None


def holder(path: Path) -> str:
    """Who holds the lock, as the holder wrote it (best effort: it may be mid-write)."""
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        return f"{info['purpose']}, pid {info['pid']} on {info['host']}, since {info['since']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "holder unknown"
