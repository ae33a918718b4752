"""One shape for every error the API returns: ``{"error": {"code", "message"}}``.

Bad input is the client's to fix, so it gets a 4xx with a message that says
what was wrong; anything unexpected is logged here and answered with a bare
500 body — never a stack trace, and the server keeps serving.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from regkg.graph.store import NoGraphError, StoreError, StoreTimeout, StoreUnavailable
from regkg.queries.errors import InputError

log = logging.getLogger("regkg.api")

#: The OpenAPI schema of the error body, referenced by every route's error responses.
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}


def error_responses(*statuses: int) -> dict[int | str, dict]:
    """OpenAPI ``responses`` entries for the error statuses a route can answer."""
    descriptions = {
        400: "Bad input (the message says what)", 403: "Forbidden by the endpoint's safety rules",
        404: "No such entity, query or modality", 406: "None of the accepted media types can be produced",
        413: "Request body too large", 415: "Unsupported request media type",
        422: "The query ran past the time limit", 503: "No graph built yet, a component not installed, or busy",
    }
    return {
        s: {"description": descriptions.get(s, "Error"), "content": {"application/json": {"schema": ERROR_SCHEMA}}}
        for s in statuses
    }


class ApiError(Exception):
    """An error with its HTTP status and a stable machine-readable code."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 406: "not_acceptable", 413: "too_large", 415: "unsupported_media_type"}


def install(app: FastAPI) -> None:
    """Register the handlers that turn every exception into the JSON error body."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError) -> JSONResponse:
        return error_response(exc.status, exc.code, str(exc))

    @app.exception_handler(NoGraphError)
    async def _no_graph(request: Request, exc: NoGraphError) -> JSONResponse:
        # the exception names the data directory, which is the operator's business, not the caller's
        return error_response(503, "no_graph", "no graph has been built yet; the operator runs `regkg build`")

    @app.exception_handler(StoreUnavailable)
    async def _store_unavailable(request: Request, exc: StoreUnavailable) -> JSONResponse:
        return error_response(503, "store_unavailable", str(exc), {"Retry-After": "5"})

    @app.exception_handler(StoreTimeout)
    async def _store_timeout(request: Request, exc: StoreTimeout) -> JSONResponse:
        return error_response(422, "query_timeout", f"{exc}; narrow the request")

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError) -> JSONResponse:
        # StoreError messages are written to be shown; they come from the input (a bad IRI, bad syntax).
        return error_response(400, "bad_query", str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "body", "path"))
            parts.append(f"{where or 'request'}: {e.get('msg', 'invalid')}")
        return error_response(400, "bad_request", "; ".join(parts) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        from regkg.api.negotiation import prefers_html

        if exc.status_code == 404 and prefers_html(request.headers.get("accept")):  # a browser gets a page
            from regkg.api.routes.ui import error_page

            return error_page(request, 404, request.url.path)
        code = _HTTP_CODES.get(exc.status_code, "bad_request" if exc.status_code < 500 else "server_error")
        return error_response(exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "server_error", "internal error; it has been logged")
