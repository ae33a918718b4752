"""One contract, every adapter: named queries, search and ask give the same answers on the
embedded store and on a SPARQL server (Virtuoso) holding the same build.

Where SPARQL itself leaves a result open the comparison follows the standard,
not one engine: rows are compared as multisets (with ``ORDER BY`` keys compared
in sequence), ``GROUP_CONCAT`` values as multisets of their parts (the order of
concatenation is undefined), ``SAMPLE`` values not at all, and blank nodes by
position only.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pyoxigraph as ox
import pytest

from regkg.config import REPO_ROOT
from regkg.graph.stats import graph_stats
from regkg.graph.store import connect
from regkg.queries.library import library
from tests.graph.test_remote import published, virtuoso_server  # noqa: F401 — the shared server

EVAL = REPO_ROOT.parent / "shared" / "eval"

# Virtuoso 7.2 (Debian) answers some SPARQL forms differently from the standard; the queries
# avoid them (see the comments in queries/*.rq): the keywords true/false and boolean
# expressions as values (STRDT instead), a property path from a VALUES-bound parameter (bind
# it by a triple pattern, or isolate the path in a sub-select), aggregates over unbound
# values, rows that DISTINCT must merge although they differ in unprojected variables (a
# sub-select gives each subject once), and ORDER BY on stored literals (STR() keys). Orders
# are total where callers keep the first rows (linking, citations), as the row order within
# ties differs between engines. A default graph merged from several graphs is a bag on
# Virtuoso; the adapter sends the build's materialised union instead (graph/remote.py).


@pytest.fixture(scope="module")
def both(store, virtuoso_server, tmp_path_factory):  # noqa: F811
    """The session's embedded build, and the same quads published as a build in Virtuoso."""
    with published(store, virtuoso_server, tmp_path_factory.mktemp("remote-data")) as settings:
        yield store, connect(settings)


def _cell(term) -> str | None:
    if term is None:
        return None
    return "_:b" if isinstance(term, ox.BlankNode) else str(term)


def _columns(sparql: str) -> tuple[set[str], set[str]]:
    concat = set(re.findall(r"GROUP_CONCAT\s*\(.*?\)\s*AS\s*\?(\w+)", sparql, re.I | re.S))
    sample = set(re.findall(r"SAMPLE\s*\(.*?\)\s*\)?\s*AS\s*\?(\w+)", sparql, re.I | re.S))
    return concat, sample


def _order_keys(sparql: str) -> list[str]:
    match = re.search(r"ORDER\s+BY\s+(.*?)(?:LIMIT|OFFSET|$)", sparql, re.I | re.S)
    return re.findall(r"\?(\w+)", match.group(1)) if match else []


def canonical(result, sparql: str) -> tuple[Counter, list]:
    concat, sample = _columns(sparql)

    def row(r: dict) -> tuple:
        out = []
        for v in result.variables:
            if v in sample:
                continue
            value = r.get(v)
            if v in concat and value is not None:
                out.append((v, tuple(sorted(value.value.split()))))
            else:
                out.append((v, _cell(value)))
        return tuple(out)

    keys = [k for k in _order_keys(sparql) if k in result.variables and k not in sample]
    return Counter(row(r) for r in result.rows), [tuple(_cell(r.get(k)) for k in keys) for r in result.rows]


@pytest.mark.parametrize("name", sorted(library()))
def test_named_query_gives_identical_results(both, name):
    embedded, remote = both
    query = library()[name]
    rows_embedded, order_embedded = canonical(query.run(embedded, query.example), query.sparql)
    rows_remote, order_remote = canonical(query.run(remote, query.example), query.sparql)
    assert rows_remote == rows_embedded
    assert order_remote == order_embedded


JAPANESE_EQUALITY = pytest.mark.xfail(
    strict=True, reason="Virtuoso 7.2: a Japanese literal from the query and the same stored text compare unequal "
    "(CONTAINS matches, =, STRLEN and STRSTARTS/STRENDS do not), so an exact Japanese match ranks 1, not 0")


@pytest.mark.parametrize("text", [pytest.param("第二種", marks=JAPANESE_EQUALITY), "exosome", "MSC",
                                  pytest.param("細胞", marks=JAPANESE_EQUALITY)])
def test_label_lookup_agrees_beyond_its_example(both, text):
    """Japanese exact matches rank first on both; no text sends the server into a long scan."""
    embedded, remote = both
    query = library()["label-lookup"]
    on_server = query.run(remote, {"text": text})
    assert on_server.rows
    assert canonical(on_server, query.sparql) == canonical(query.run(embedded, {"text": text}), query.sparql)


def test_graph_level_contract_is_identical(both):
    embedded, remote = both
    assert remote.named_graphs() == embedded.named_graphs()
    assert remote.graph_sizes() == {g: len(embedded.graph_quads(g)) for g in embedded.named_graphs()}
    assert graph_stats(remote) == graph_stats(embedded)  # the distinct triple count too
    assert graph_stats(remote).by_class == graph_stats(embedded).by_class


def _questions(name: str, limit: int) -> list[str]:
    lines = (EVAL / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["q"] for line in lines if line.strip()][:limit]


def test_search_gives_identical_hits(both):
    from regkg.queries.search import search

    embedded, remote = both
    for q in _questions("dev_retrieval.jsonl", 8):
        assert search(remote, q, k=5) == search(embedded, q, k=5), q


def test_ask_gives_identical_answers(both):
    from regkg.queries.ask import ask

    embedded, remote = both
    for q in _questions("dev_qa.jsonl", 8):
        assert ask(remote, q) == ask(embedded, q), q
