"""`regkg bench …`: the benchmarks in the checkout's ``bench/`` folder.

The benchmarks stay a top-level folder of the repository (run as ``python -m
bench`` by ``make bench``) rather than part of the installed package: they
need rdflib data copies, a Virtuoso binary and synthetic data, none of which
an installation serving users should carry. The command runs them from the
checkout this package was installed from (``pip install -e .``) and says so
when there is none.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from regkg.api.cli_common import fail
from regkg.config import REPO_ROOT


def register(app: typer.Typer) -> None:
    app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(bench)


def bench(
    ctx: typer.Context,
    command: Annotated[Optional[str], typer.Argument(help="queries, growth, ingest, vectors, startup, citations or all (default: queries).")] = None,
) -> None:
    """Benchmark the built graph and print tables (options: `regkg bench queries --help`)."""
    if not (REPO_ROOT / "bench" / "__main__.py").is_file():
        fail(f"the benchmarks live in a checkout's bench/ folder, not found beside {REPO_ROOT}")
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from bench.__main__ import main

    main(([command] if command else []) + list(ctx.args))
