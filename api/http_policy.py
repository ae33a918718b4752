"""HTTP hygiene for every response: security headers, CORS on the data routes, OPTIONS, URL length, log size.

One ASGI middleware, so every route — including errors raised before a route
runs — gets the same treatment:

- ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy`` everywhere; pages
  (HTML) also get a Content-Security-Policy that forbids framing
  (``frame-ancestors 'none'``) and foreign scripts.
- ``Access-Control-Allow-Origin: *`` on the read-only data routes (JSON, SPARQL
  results, RDF), as public SPARQL endpoints send it, so any web page may read
  them; never on pages. Preflights allow only ``Content-Type`` and ``Accept``
  headers, so no cross-site page can present the administrator token.
- ``OPTIONS`` answered for every route with its ``Allow`` header.
- A request target longer than the limit gets the JSON 414 error, not a bare
  parser message.
"""

from __future__ import annotations

import json
import logging

from starlette.routing import Match

#: Paths that serve pages (HTML for people) rather than data.
PAGE_PREFIXES = ("/ui", "/static", "/docs", "/redoc")
PAGE_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
#: The interactive API docs run an inline start-up script; they may load nothing else from elsewhere.
DOCS_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'")
COMMON_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
CORS_HEADERS = [(b"access-control-allow-origin", b"*"),
                (b"access-control-expose-headers", b"X-Result-Truncated, X-Result-Limit, X-Result-Byte-Limit")]
PREFLIGHT_HEADERS = [(b"access-control-allow-methods", b"GET, POST, OPTIONS"),
                     (b"access-control-allow-headers", b"Content-Type, Accept"),
                     (b"access-control-max-age", b"600")]


def is_data_route(path: str) -> bool:
    return path != "/" and not any(path == p or path.startswith(p + "/") for p in PAGE_PREFIXES)


def _csp_for(path: str) -> bytes:
    return (DOCS_CSP if path.startswith(("/docs", "/redoc")) else PAGE_CSP).encode()


class HttpPolicy:
    """ASGI middleware applying the rules above; ``max_url_chars`` bounds path plus query string."""

    def __init__(self, app, max_url_chars: int) -> None:
        self.app = app
        self.max_url_chars = max_url_chars

    def _allowed_methods(self, scope) -> list[str]:
        """The methods some route answers at this path (each asked of the router, which knows its routes)."""
        routes = scope["app"].router.routes if "app" in scope else []
        allowed = [m for m in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
                   if any(route.matches({**scope, "method": m})[0] == Match.FULL for route in routes)]
        return [*allowed, "OPTIONS"]

    async def _send_json(self, send, status: int, code: str, message: str, extra: list) -> None:
        body = json.dumps({"error": {"code": code, "message": message}}).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                *COMMON_HEADERS, *extra]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        data = is_data_route(path)
        cors = CORS_HEADERS if data else []
        target = len(scope.get("raw_path") or path.encode()) + len(scope.get("query_string") or b"")
        if target > self.max_url_chars:
            await self._send_json(send, 414, "uri_too_long", f"the request target is {target} characters long; the "
                                  f"limit is {self.max_url_chars}: send long queries by POST", cors)
            return
        if scope["method"] == "OPTIONS":
            allowed = self._allowed_methods(scope)
            headers = [(b"allow", ", ".join(allowed).encode()), (b"content-length", b"0"), *COMMON_HEADERS]
            if data:
                headers += [*cors, *PREFLIGHT_HEADERS]
            await send({"type": "http.response.start", "status": 204, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                headers += COMMON_HEADERS
                if content_type.startswith(b"text/html"):
                    headers += [(b"content-security-policy", _csp_for(path)), (b"x-frame-options", b"DENY")]
                headers += cors
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class CappedAccessLog(logging.Filter):
    """Cut the request target in uvicorn's access log lines to ``limit`` characters."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and len(args[2]) > self.limit:
            record.args = (*args[:2], args[2][: self.limit] + f"…[{len(args[2])} chars]", *args[3:])
        return True


def cap_access_log(limit: int) -> None:
    """Install the filter once on uvicorn's access logger."""
    logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, CappedAccessLog) for f in logger.filters):
        logger.addFilter(CappedAccessLog(limit))
