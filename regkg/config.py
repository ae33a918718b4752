"""All run-time configuration in one place.

Settings come from environment variables so the CLI, the server and the tests
agree on where the data lives without passing paths around.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

#: Longest question or search text, in characters: the CLI, the API and its OpenAPI document all read it here.
MAX_QUESTION_CHARS = 1000

#: The repository root when running from a checkout (``../shared`` sits beside it).
REPO_ROOT = Path(__file__).resolve().parent.parent


def default_corpus_dirs() -> list[Path]:
    """The development corpus beside the clone, if it is there."""
    candidate = REPO_ROOT.parent / "shared" / "corpus"
    return [candidate] if candidate.is_dir() else []


#: Documents larger than this are skipped by a build (a 50 MB text made the graph 46x larger).
DEFAULT_MAX_DOCUMENT_MB = 20.0


@dataclass(frozen=True)
class Settings:
    """What every command and the server share; built once (from the environment) and passed down."""

    data_dir: Path
    store_url: str | None
    embed_model: str | None
    query_timeout_s: float
    max_rows: int
    #: complete builds kept on disk (or in the SPARQL server), the published one included
    keep_builds: int = 2
    #: a source file larger than this is skipped by the build, with the reason
    max_document_bytes: int = int(DEFAULT_MAX_DOCUMENT_MB * 1024 * 1024)
    #: SPARQL server store only: update and Graph Store Protocol endpoints, login
    store_update_url: str | None = None
    store_gsp_url: str | None = None
    store_user: str | None = None
    store_password: str | None = field(default=None, repr=False)
    store_auth: str = "digest"

    @property
    def cache_dir(self) -> Path:
        """Results kept between processes, keyed by what they derive from (the reasoner's table)."""
        return self.data_dir / "cache"


def settings() -> Settings:
    """Read the environment now (not at import) so tests can point REGKG_DATA elsewhere.

    The only place regkg reads its ``REGKG_*`` variables (the README lists them);
    everything below receives the result.
    """
    env = os.environ
    return Settings(
        data_dir=Path(env.get("REGKG_DATA", ".regkg")).resolve(),
        store_url=env.get("REGKG_STORE") or None,
        embed_model=env.get("REGKG_EMBED_MODEL") or None,
        query_timeout_s=float(env.get("REGKG_QUERY_TIMEOUT", "10")),
        max_rows=int(env.get("REGKG_MAX_ROWS", "10000")),
        keep_builds=int(env.get("REGKG_KEEP_BUILDS", "2")),
        max_document_bytes=int(float(env.get("REGKG_MAX_DOCUMENT_MB", str(DEFAULT_MAX_DOCUMENT_MB))) * 1024 * 1024),
        store_update_url=env.get("REGKG_STORE_UPDATE") or None,
        store_gsp_url=env.get("REGKG_STORE_GSP") or None,
        store_user=env.get("REGKG_STORE_USER") or None,
        store_password=env.get("REGKG_STORE_PASSWORD") or None,
        store_auth=(env.get("REGKG_STORE_AUTH") or "digest").lower(),
    )


@dataclass(frozen=True)
class ServerConfig:
    """Server-only knobs (the shared ones — timeout, row cap — come from Settings).

    Every limit on what a client may send or receive is stated here once; the
    routes, the OpenAPI document and the error messages read it from here.
    """

    admin_token: str | None = None
    max_body_bytes: int = 1_000_000
    query_workers: int = 2
    #: SPARQL text: length in characters and bracket nesting depth, checked before parsing.
    max_query_chars: int = 100_000
    max_query_depth: int = 64
    #: Serialised /sparql response size; results past it are cut like rows past the row cap.
    max_response_bytes: int = 8_000_000
    #: Data memory of one SPARQL worker process (0: uncapped); a query that needs more ends with a 422.
    worker_memory_bytes: int = 1 << 30
    #: Queries one client (address) may have running at once; more wait their turn within the time limit.
    client_queries: int = 1
    #: Refuse SPARQL queries where the workers cannot be cut off from the network.
    require_isolation: bool = True
    #: Request target (path and query string) length; longer requests get a JSON 414.
    max_url_chars: int = 16_384
    #: Characters of a request target written to the access log.
    log_url_chars: int = 300

    @classmethod
    def from_env(cls) -> ServerConfig:
        env = os.environ
        return cls(
            admin_token=env.get("REGKG_ADMIN_TOKEN") or None,
            max_body_bytes=int(env.get("REGKG_MAX_BODY", "1000000")),
            query_workers=int(env.get("REGKG_QUERY_WORKERS", "2")),
            max_query_chars=int(env.get("REGKG_MAX_QUERY_CHARS", "100000")),
            max_query_depth=int(env.get("REGKG_MAX_QUERY_DEPTH", "64")),
            max_response_bytes=int(env.get("REGKG_MAX_RESPONSE_BYTES", "8000000")),
            worker_memory_bytes=int(env.get("REGKG_WORKER_MEMORY", str(1 << 30))),
            client_queries=int(env.get("REGKG_CLIENT_QUERIES", "1")),
            require_isolation=env.get("REGKG_SPARQL_ISOLATION", "required") != "off",
        )
