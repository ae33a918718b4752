"""All run-time configuration in one place.

Settings come from environment variables so the CLI, the server and the tests
agree on where the data lives without passing paths around.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: The repository root when running from a checkout (``../shared`` sits beside it).
REPO_ROOT = Path(__file__).resolve().parent.parent


def default_corpus_dirs() -> list[Path]:
    """The development corpus beside the clone, if it is there."""
    candidate = REPO_ROOT.parent / "shared" / "corpus"
    return [candidate] if candidate.is_dir() else []


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    store_url: str | None
    embed_model: str | None
    query_timeout_s: float
    max_rows: int

    @property
    def store_dir(self) -> Path:
        """Folder holding the embedded stores (one per build) and the ``current`` pointer."""
        return self.data_dir / "stores"


def settings() -> Settings:
    """Read the environment now (not at import) so tests can point REGKG_DATA elsewhere."""
    return Settings(
        data_dir=Path(os.environ.get("REGKG_DATA", ".regkg")).resolve(),
        store_url=os.environ.get("REGKG_STORE") or None,
        embed_model=os.environ.get("REGKG_EMBED_MODEL") or None,
        query_timeout_s=float(os.environ.get("REGKG_QUERY_TIMEOUT", "10")),
        max_rows=int(os.environ.get("REGKG_MAX_ROWS", "10000")),
    )


@dataclass(frozen=True)
class ServerConfig:
    """Server-only knobs (the shared ones — timeout, row cap — come from Settings)."""

    admin_token: str | None = None
    max_body_bytes: int = 1_000_000
    query_workers: int = 2

    @classmethod
    def from_env(cls) -> ServerConfig:
        return cls(
            admin_token=os.environ.get("REGKG_ADMIN_TOKEN") or None,
            max_body_bytes=int(os.environ.get("REGKG_MAX_BODY", "1000000")),
            query_workers=int(os.environ.get("REGKG_QUERY_WORKERS", "2")),
        )
