"""The FastAPI application factory (``regkg serve`` runs ``create_app`` under uvicorn).

A factory rather than a module-level app so each uvicorn worker process, and
each test, builds its own app from the environment at that moment.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from regkg.api import errors
from regkg.api.http_policy import HttpPolicy, cap_access_log
from regkg.api.limits import BodySizeLimit
from regkg.api.routes import docs, entities, health, library, modalities, services, sparql, ui
from regkg.api.runtime import Runtime
from regkg.api.sparql_pool import QueryPool

import regkg
from regkg.config import ServerConfig, Settings
from regkg.config import settings as env_settings

STATIC = Path(__file__).resolve().parent / "static"

DESCRIPTION = """\
Regulatory knowledge graph for Japanese regenerative medicine: what the Act on
the Safety of Regenerative Medicine (ASRM), the PMD Act and their ordinances,
notices and guidance require of a product or therapy — each statement with the
document and article that says so.

Errors are JSON `{"error": {"code", "message"}}` with a 4xx status for bad input.
Entity IRIs `https://w3id.org/regkg/id/…` dereference under `/id/…`.
"""


def create_app(settings: Settings | None = None, config: ServerConfig | None = None) -> FastAPI:
    rt = Runtime(settings or env_settings(), config or ServerConfig.from_env())

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if rt.serving:  # a nested run of the same app (a test client inside another): share
            yield
            return
        rt.serving = True
        rt.pool = None if rt.remote else QueryPool(rt.config.query_workers, rt.config.worker_memory_bytes,
                                                   rt.config.require_isolation)
        warm_up = rt.start_warm_up()
        try:
            yield
        finally:
            if rt.pool is not None:
                rt.pool.close()
                rt.pool = None
            rt.serving = False
            # a model load cut off by interpreter exit aborts the process: let it finish first
            warm_up.join(120)

    app = FastAPI(
        title="regkg", version=regkg.__version__, description=DESCRIPTION, lifespan=lifespan,
        docs_url=None, redoc_url=None,  # served by routes.docs from installed assets, not a CDN
        openapi_tags=[
            {"name": "answers", "description": "Questions, search, risk classification, checklists"},
            {"name": "modalities", "description": "What each modality requires, with citations"},
            {"name": "entities", "description": "Label lookup and entity descriptions; IRI dereferencing"},
            {"name": "named queries", "description": "The library of named SPARQL queries"},
            {"name": "SPARQL", "description": "SPARQL 1.1 Protocol endpoint (read-only, time-limited)"},
            {"name": "service", "description": "Health"},
        ],
    )
    app.state.runtime = rt
    errors.install(app)
    app.add_middleware(BodySizeLimit, max_bytes=rt.config.max_body_bytes)
    app.add_middleware(HttpPolicy, max_url_chars=rt.config.max_url_chars)
    cap_access_log(rt.config.log_url_chars)
    for module in (health, services, modalities, entities, library, sparql, ui, docs):
        app.include_router(module.router)
    app.mount(docs.PREFIX, StaticFiles(directory=docs.ASSETS), name="docs-assets")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
