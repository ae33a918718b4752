"""Content negotiation: pick the response media type from the ``Accept`` header.

One parser for every route, so `/sparql`, `/entities/…` and `/id/…` agree on
what ``Accept: text/turtle;q=0.9, */*;q=0.1`` means (RFC 9110 §12.5.1: the
highest q wins; among equal q, the more specific range, then the server's own
order of preference).
"""

from __future__ import annotations

from dataclasses import dataclass

JSON = "application/json"
HTML = "text/html"

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"

TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"
JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"

#: SELECT / ASK results, in the order the server prefers them (JSON first: the default).
RESULT_TYPES = (SPARQL_JSON, SPARQL_XML, CSV, TSV, JSON)
#: CONSTRUCT / DESCRIBE graphs and entity descriptions as RDF, Turtle first.
RDF_TYPES = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float

    def matches(self, media: str) -> bool:
        t, _, s = media.partition("/")
        return (self.type in ("*", t)) and (self.subtype in ("*", s))

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def _ranges(accept: str | None) -> list[_Range]:
    if not accept or not accept.strip():
        return [_Range("*", "*", 1.0)]
    ranges = []
    for part in accept.split(","):
        media, *params = [p.strip() for p in part.split(";")]
        t, sep, s = media.lower().partition("/")
        if not sep or not t or not s:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(_Range(t, s, q))
    return ranges or [_Range("*", "*", 1.0)]


def choose(accept: str | None, offers: tuple[str, ...] | list[str]) -> str | None:
    """The offer the client prefers most, or ``None`` when it accepts none of them.

    A missing or empty ``Accept`` means anything, so the first offer wins.
    """
    ranges = _ranges(accept)
    best: tuple[float, int, int] | None = None
    chosen = None
    for index, offer in enumerate(offers):
        matching = [r for r in ranges if r.matches(offer)]
        if not matching:
            continue
        top = max(matching, key=lambda r: r.specificity)  # the most specific range decides q
        if top.q <= 0:
            continue
        key = (top.q, top.specificity, -index)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen


def prefers_html(accept: str | None) -> bool:
    """True for browsers: HTML explicitly accepted and ranked at least as high as JSON or RDF."""
    if not accept or "html" not in accept.lower():
        return False
    return choose(accept, (HTML, JSON, *RDF_TYPES)) == HTML
