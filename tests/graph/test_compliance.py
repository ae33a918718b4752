"""One contract, every adapter: named queries, search and ask give the same answers on the
embedded store and on a SPARQL server (Virtuoso) holding the same build — and the answers the
curated knowledge says they must give, on each adapter (as oaklib runs one ComplianceTester
against every implementation), so agreeing on a wrong answer fails too.

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


# ------------------------------------------------------------------ expected answers, per adapter

ID = "https://w3id.org/regkg/id/"
RKO = "https://w3id.org/regkg/ontology#"
ASRM = ID + "law/425AC0000000085"


@pytest.fixture(params=["embedded", "sparql-server"])
def adapter(request, both):
    """Each adapter in turn, holding the same build."""
    return both[0] if request.param == "embedded" else both[1]


def test_the_risk_class_of_a_modality_is_the_curated_one(adapter):
    """iPS cell-derived cells: Class I by the rule stated on the modality, cited to the Enforcement
    Regulation's Article 2 (ontology/modalities.ttl)."""
    rows = library()["modality-risk-class"].run(adapter, {"modality": "regkg:modality/ips-derived-cells"}).rows
    nearest = [r for r in rows if r["distance"].value == "1"]
    assert {r["rule"].value for r in nearest} == {ID + "rule/ips-derived-cells-class-1"}
    assert {r["risk_class"].value for r in nearest} == {ID + "risk-class/class-1"}
    assert ID + "law/426M60000100110/art/2" in {r["provision"].value for r in nearest if r["provision"]}


def test_a_narrower_modality_has_its_own_rule_first_then_the_broader_ones(adapter):
    rows = library()["modality-risk-class"].run(
        adapter, {"modality": "regkg:modality/ips-derived-cells-autologous"}).rows
    by_distance = {(r["distance"].value, r["rule"].value) for r in rows}
    assert ("1", ID + "rule/ips-derived-cells-autologous-class-1") in by_distance
    assert ("2", ID + "rule/ips-derived-cells-class-1") in by_distance
    assert [int(r["distance"].value) for r in rows] == sorted(int(r["distance"].value) for r in rows)


def test_a_provision_has_the_acts_text_and_locator(adapter):
    """Article 1 (purpose) of the Act, as the corpus gives it (laws/425AC0000000085.md)."""
    rows = adapter.select(f"SELECT ?text ?locator ?doc WHERE {{ <{ASRM}/art/1> <{RKO}text> ?text ; "
                          f"<{RKO}locator> ?locator ; <http://data.europa.eu/eli/ontology#is_part_of> ?doc }}").rows
    assert len(rows) == 1
    assert rows[0]["locator"].value == "第1条" and rows[0]["doc"].value == ASRM
    assert rows[0]["text"].value.startswith(
        "この法律は、再生医療等に用いられる再生医療等技術の安全性の確保及び生命倫理への配慮")


def test_a_documents_title_is_its_curated_title(adapter):
    rows = adapter.select(f"SELECT ?title WHERE {{ <{ASRM}> <http://purl.org/dc/terms/title> ?title }}").rows
    assert {(r["title"].value, r["title"].language) for r in rows} == {
        ("再生医療等の安全性の確保等に関する法律", "ja"), ("Act on the Safety of Regenerative Medicine", "en")}


@pytest.mark.parametrize("kind", ["Modality", "RiskClass", "RiskClassRule", "Actor", "Test"])
def test_counts_of_curated_classes_are_those_of_the_curated_files(adapter, kind):
    """As many instances of each curated class as the ontology's Turtle files state (read here with
    rdflib, independently of either store); the Act has three risk classes."""
    import rdflib

    from regkg.ontology.load import ontology_files

    curated = rdflib.Graph()
    for f in ontology_files():
        curated.parse(f.path, format="turtle")
    expected = len(set(curated.subjects(rdflib.RDF.type, rdflib.URIRef(RKO + kind))))
    rows = adapter.select(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{RKO}{kind}> }}").rows
    assert expected > 0 and int(rows[0]["n"].value) == expected
    if kind == "RiskClass":
        assert expected == 3


def test_search_finds_the_provision_its_words_come_from(adapter):
    from regkg.queries.search import search

    hits = search(adapter, "再生医療等技術の安全性の確保及び生命倫理への配慮", k=3)["hits"]
    assert hits[0]["iri"] == ASRM + "/art/1/para/1"
