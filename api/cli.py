"""The ``regkg`` command line. Each command module registers its own commands."""

from __future__ import annotations

import typer

from regkg.api import cli_ask, cli_bench, cli_classify, cli_graph, cli_serve

app = typer.Typer(
    help="regkg — regulatory knowledge graph for Japanese regenerative medicine.\n\n"
    "Start with `regkg build`, then `regkg stats` or `regkg query --list`.",
    no_args_is_help=True,
    add_completion=False,
)

# One line per command module; keep this list the only place commands are wired.
for module in (cli_graph, cli_serve, cli_ask, cli_classify, cli_bench):
    module.register(app)

if __name__ == "__main__":
    app()
