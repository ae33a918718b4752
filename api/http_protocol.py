"""uvicorn's HTTP protocol, with the API's JSON errors for requests it cannot hand to the app.

A request whose target is too long, or that is not valid HTTP, is answered by
uvicorn's parser before any middleware runs — as ``text/plain`` "Invalid HTTP
request received.". This subclass answers those in the API's error shape
instead (414 ``uri_too_long`` past ``ServerConfig.max_url_chars``, else 400),
and stops reading a request target at the limit rather than buffering it.
"""

from __future__ import annotations

import json

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from regkg.config import ServerConfig


class TargetTooLong(Exception):
    """Raised from the parser's URL callback; it aborts parsing of this request."""


class JsonErrorProtocol(HttpToolsProtocol):
    #: Read once per server process (uvicorn starts each worker process afresh).
    max_url_chars: int | None = None

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.target_too_long = False

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if JsonErrorProtocol.max_url_chars is None:
            JsonErrorProtocol.max_url_chars = ServerConfig.from_env().max_url_chars
        if len(self.url) > JsonErrorProtocol.max_url_chars:
            self.target_too_long = True
            raise TargetTooLong()

    def send_400_response(self, msg: str) -> None:
        if getattr(self, "target_too_long", False):
            status, code = 414, "uri_too_long"
            message = (f"the request target is longer than {JsonErrorProtocol.max_url_chars} characters; "
                       "send long queries by POST")
        else:
            status, code, message = 400, "bad_request", "the request is not valid HTTP"
        body = json.dumps({"error": {"code": code, "message": message}}).encode()
        content = [STATUS_LINE[status]]
        for name, value in self.server_state.default_headers:
            content.extend([name, b": ", value, b"\r\n"])
        content.extend([b"content-type: application/json\r\n", b"x-content-type-options: nosniff\r\n",
                        b"content-length: " + str(len(body)).encode() + b"\r\n", b"connection: close\r\n\r\n", body])
        self.transport.write(b"".join(content))
        self.transport.close()
