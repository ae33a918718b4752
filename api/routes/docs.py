"""``/docs`` and ``/redoc``: the API reference from assets installed with the package (fastapi-offline), no CDN.

FastAPI's own pages load Swagger UI and ReDoc from a CDN, so they stay blank
offline — and regkg runs offline.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"
PREFIX = "/static/docs"

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title="regkg — API",
                               swagger_js_url=f"{PREFIX}/swagger-ui-bundle.js", swagger_css_url=f"{PREFIX}/swagger-ui.css",
                               swagger_favicon_url=f"{PREFIX}/favicon.png")


@router.get("/redoc", response_class=HTMLResponse)
def redoc() -> HTMLResponse:
    return get_redoc_html(openapi_url="/openapi.json", title="regkg — API", redoc_js_url=f"{PREFIX}/redoc.standalone.js",
                          redoc_favicon_url=f"{PREFIX}/favicon.png", with_google_fonts=False)
