"""Lexical safety checks on SPARQL text, run before anything reaches the store.

pyoxigraph has no parse-only call, and executing is exactly what must not
happen for ``LOAD`` (a server-side fetch of any address) or ``SERVICE`` (the
same, inside a query). So the text is tokenised here — strings, IRIs and
comments recognised, so a keyword inside ``"…"`` or ``<…>`` never counts —
and the operation kind and any ``SERVICE`` targets are read off the tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r'''(?P<skip>\#[^\n\r]*|\s+)
      |(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
      |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      |(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
      |(?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*)?:[\w.\-:%\\\u00B7\u00C0-\uFFFF]*)
      |(?P<word>[A-Za-z_][A-Za-z0-9_]*)
      |(?P<other>.)''',
    re.VERBOSE | re.DOTALL,
)

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """Significant tokens (comments and whitespace dropped)."""
    return [
        Token(m.lastgroup or "other", m.group(), m.start(), m.end())
        for m in _TOKEN.finditer(text)
        if m.lastgroup != "skip"
    ]


def _keywords_after_prologue(toks: list[Token]) -> list[Token]:
    """Tokens from the first one after ``BASE <…>`` / ``PREFIX p: <…>`` declarations."""
    i = 0
    while i < len(toks) and toks[i].kind == "word" and toks[i].text.upper() in ("BASE", "PREFIX"):
        i += 3 if toks[i].text.upper() == "PREFIX" else 2
    return toks[i:]


def is_update(text: str) -> bool:
    """True when the text is a SPARQL Update request (INSERT, DELETE, LOAD, CLEAR, …)."""
    rest = _keywords_after_prologue(tokens(text))
    return bool(rest) and rest[0].kind == "word" and rest[0].text.upper() in UPDATE_KEYWORDS


def uses_load(text: str) -> bool:
    """True when an update contains a ``LOAD`` operation (a fetch of a remote document)."""
    return any(t.kind == "word" and t.text.upper() == "LOAD" for t in tokens(text))


@dataclass(frozen=True)
class ServiceClause:
    iri: str | None  # None when the endpoint is a variable: never allowed
    start: int  # span of ``SERVICE [SILENT] <iri>`` in the text
    end: int


def service_clauses(text: str) -> list[ServiceClause]:
    """Every ``SERVICE`` clause with its endpoint, in order."""
    toks = tokens(text)
    found = []
    for i, t in enumerate(toks):
        if t.kind != "word" or t.text.upper() != "SERVICE":
            continue
        j = i + 1
        if j < len(toks) and toks[j].kind == "word" and toks[j].text.upper() == "SILENT":
            j += 1
        target = toks[j] if j < len(toks) else None
        iri = target.text[1:-1] if target is not None and target.kind == "iri" else None
        found.append(ServiceClause(iri, t.start, target.end if target is not None else t.end))
    return found


def inline_local_services(text: str, local_endpoints: set[str]) -> str:
    """Drop ``SERVICE <this endpoint>`` wrappers so the group runs on the local graph.

    Raises :class:`PermissionError` for any other endpoint: the server makes no
    requests to addresses a query names.
    """
    clauses = service_clauses(text)
    for clause in clauses:
        if clause.iri is None or clause.iri not in local_endpoints:
            raise PermissionError(
                f"SERVICE {('<' + clause.iri + '>') if clause.iri else 'with a variable endpoint'} is refused: "
                "this endpoint queries only its own graph and makes no requests to other addresses"
            )
    for clause in reversed(clauses):
        text = text[: clause.start] + " " * (clause.end - clause.start) + text[clause.end:]
    return text
