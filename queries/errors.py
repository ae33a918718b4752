"""Errors the read side raises for bad input; the API maps them to 4xx, the CLI to exit code 2."""


class InputError(ValueError):
    """The request is malformed or names something invalid (→ HTTP 400)."""

    status = 400
    code = "bad_request"


class NotFound(InputError):
    """The request names an entity, query or modality that does not exist (→ HTTP 404)."""

    status = 404
    code = "not_found"
