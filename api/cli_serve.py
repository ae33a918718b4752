"""``regkg serve``: the HTTP API, SPARQL endpoint and web page under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command()(serve)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 to serve other machines).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Server processes; each has its own SPARQL query workers.")] = 1,
) -> None:
    """Serve the REST API, the SPARQL endpoint (/sparql) and the web page (/).

    Search models load in the background after start-up; GET /health reports
    "loading" until they are ready (graph routes answer at once). Settings:
    REGKG_QUERY_TIMEOUT (s), REGKG_MAX_ROWS, REGKG_MAX_BODY (bytes),
    REGKG_QUERY_WORKERS, REGKG_ADMIN_TOKEN (enables SPARQL Update with the token).
    """
    import uvicorn

    from regkg.api.http_protocol import JsonErrorProtocol

    uvicorn.run("regkg.api.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="info", server_header=False, http=JsonErrorProtocol)
