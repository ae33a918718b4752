"""What a SPARQL text asks the server to do, decided from a parse, before any engine runs it.

Safety here depends on meaning — is this an update, does it name a ``SERVICE``,
does it ``LOAD`` a remote document — so it is read off a syntax tree, never
off patterns in the text (a regex tokenizer was fooled by ``<'>`` and ``\\'``
into missing a ``SERVICE``). The parser is tree-sitter's SPARQL 1.1 grammar: C,
fast, and without recursion limits, so a hostile text cannot exhaust it. It
fails closed: a text with any error or missing token in its tree is refused
(400), even where the store's engine might have read it.

Two cheap bounds come first, before any parser sees the text: its length and
its bracket depth (counted over raw characters, strings included, so the count
can only over-estimate). pyoxigraph's recursive parser crashes on deep nesting.

The engine then gets the text with comments blanked out (so no comment can
hide or reveal anything the tree did not show) and ``SERVICE`` clauses that
name this endpoint inlined. This is the first barrier; the query workers also
run without network access (:mod:`regkg.api.sparql_pool`).
"""

from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass

import tree_sitter
import tree_sitter_sparql

QUERY_FORMS = frozenset({"select_query", "construct_query", "describe_query", "ask_query"})
UPDATE_OPERATIONS = frozenset({"load", "clear", "drop", "create", "add", "move", "copy", "insert_data",
                               "delete_data", "delete_where", "modify"})
_PASSIVE = frozenset({"prologue", "comment", "values_clause"})
_OPENERS = frozenset(b"{([")
_CLOSERS = frozenset(b"})]")


class Refused(Exception):
    """The text is not run; ``status`` and ``code`` say why in HTTP terms."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class Limits:
    """Bounds on a SPARQL text, checked before parsing (one place: ``ServerConfig``)."""

    max_chars: int = 100_000
    max_depth: int = 64


@dataclass(frozen=True)
class Service:
    iri: str | None  # None when the endpoint is a variable: never allowed
    start: int  # byte span of ``SERVICE [SILENT] <iri>``, up to its group
    end: int


@dataclass(frozen=True)
class Parsed:
    """The facts about one text that the endpoint's rules need."""

    form: str  # "query", "update" or "empty"
    operations: tuple[str, ...]  # node types of the top-level operations
    services: tuple[Service, ...]
    comments: tuple[tuple[int, int], ...]  # byte spans


def check_bounds(text: str, limits: Limits) -> None:
    """Refuse over-long or over-deep texts (413 / 400) without parsing them."""
    if len(text) > limits.max_chars:
        raise Refused(413, "query_too_large", f"the SPARQL text is {len(text)} characters long; "
                      f"the limit is {limits.max_chars}")
    depth = deepest = 0
    for byte in text.encode("utf-8", "surrogatepass"):
        if byte in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif byte in _CLOSERS:
            depth -= 1
    if deepest > limits.max_depth:
        raise Refused(400, "query_too_deep", f"the SPARQL text nests brackets {deepest} deep; "
                      f"the limit is {limits.max_depth}")




def _language() -> tree_sitter.Language:
    # tree-sitter-sparql 0.1 hands over its grammar as an address, which tree-sitter 0.26 still takes
    # with a DeprecationWarning (pinned below 0.27 in pyproject.toml)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return tree_sitter.Language(tree_sitter_sparql.language())


_LANGUAGE = _language()
_local = threading.local()


def _parser() -> tree_sitter.Parser:
    """One parser per thread: a tree-sitter parser holds state while it parses."""
    if not hasattr(_local, "parser"):
        _local.parser = tree_sitter.Parser(_LANGUAGE)
    return _local.parser


def _walk(node: tree_sitter.Node):
    """Every node below ``node``, depth first, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def _syntax_error(source: bytes, node: tree_sitter.Node) -> Refused:
    line, column = node.start_point
    line_text = source.split(b"\n")[line] if line < source.count(b"\n") + 1 else b""
    column = len(line_text[:column].decode("utf-8", "replace")) + 1
    if node.is_missing:
        what = f"expected {node.type.replace('_', ' ')}"
    else:
        found = node.text.decode("utf-8", "replace").strip() if node.text else ""
        what = f"unexpected {found[:40]!r}" if found else "unexpected input"
    return Refused(400, "malformed_query", f"SPARQL syntax error at {line + 1}:{column}: {what}")


def parse(text: str) -> Parsed:
    """Parse ``text`` (fail closed: any error or missing token raises a 400 :class:`Refused`)."""
    source = text.encode("utf-8", "surrogatepass")
    root = _parser().parse(source).root_node
    if root.has_error:
        bad = next(n for n in _walk(root) if n.type == "ERROR" or n.is_missing)
        raise _syntax_error(source, bad)
    services, comments = [], []
    for node in _walk(root):
        if node.type == "comment":
            comments.append((node.start_byte, node.end_byte))
        elif node.type == "service_graph_pattern":
            target = next(c for c in node.children if c.is_named and c.type != "comment")
            group = node.children[-1]
            iri = target.text.decode()[1:-1] if target.type == "iri_reference" else None
            if target.type == "prefixed_name":
                iri = None  # its expansion depends on prefixes; only a full IRI can name this endpoint
            services.append(Service(iri, node.start_byte, group.start_byte))
    operations = tuple(c.type for c in root.children if c.is_named and c.type not in _PASSIVE)
    if not operations:
        form = "empty"
    elif all(op in UPDATE_OPERATIONS for op in operations):
        form = "update"
    elif len(operations) == 1 and operations[0] in QUERY_FORMS:
        form = "query"
    else:
        raise Refused(400, "malformed_query", "SPARQL syntax error: a request is either one query or a sequence "
                      "of update operations")
    return Parsed(form, operations, tuple(services), tuple(comments))


def _blank(source: bytes, spans) -> bytes:
    out = bytearray(source)
    for start, end in spans:
        out[start:end] = b" " * (end - start)
    return bytes(out)


def prepare_query(text: str, limits: Limits, local_endpoints: set[str]) -> str:
    """The text to run for a read-only query request, or :class:`Refused`.

    Updates are refused (403), ``SERVICE`` to any address but this endpoint's is
    refused (403), ``SERVICE <this endpoint>`` runs on the local graph, and
    comments are blanked. Byte positions are kept, so the engine's error
    positions still point into the user's text.
    """
    check_bounds(text, limits)
    parsed = parse(text)
    if parsed.form == "empty":
        raise Refused(400, "bad_request", "the query is empty")
    if parsed.form == "update":
        raise Refused(403, "read_only", "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, "
                      "DROP, …) is refused")
    for service in parsed.services:
        if service.iri is None or service.iri not in local_endpoints:
            target = f"<{service.iri}>" if service.iri else "with a variable or prefixed endpoint"
            raise Refused(403, "service_refused", f"SERVICE {target} is refused: this endpoint queries only its "
                          "own graph and makes no requests to other addresses")
    source = _blank(text.encode("utf-8", "surrogatepass"),
                    [*parsed.comments, *((s.start, s.end) for s in parsed.services)])
    return source.decode("utf-8", "surrogatepass")


def prepare_update(text: str, limits: Limits) -> str:
    """The text to run for an administrator's update, or :class:`Refused`: no ``LOAD``, no ``SERVICE``."""
    check_bounds(text, limits)
    parsed = parse(text)
    if parsed.form == "empty":
        raise Refused(400, "bad_request", "the update is empty")
    if parsed.form != "update":
        raise Refused(400, "not_an_update", "this is a query, not an update; send it as a query")
    if "load" in parsed.operations:
        raise Refused(403, "load_refused", "LOAD is refused: the server fetches no remote documents")
    if parsed.services:
        raise Refused(403, "service_refused", "SERVICE is refused in updates")
    return _blank(text.encode("utf-8", "surrogatepass"), parsed.comments).decode("utf-8", "surrogatepass")
