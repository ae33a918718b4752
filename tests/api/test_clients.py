"""Conformance with real SPARQL clients against a real `regkg serve` on 127.0.0.1."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

PREFIXES = "PREFIX rko: <https://w3id.org/regkg/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
MODALITIES = PREFIXES + "SELECT ?m ?label WHERE { ?m a rko:Modality ; skos:prefLabel ?label FILTER(lang(?label) = 'ja') }"


def modality_count(store) -> int:
    return int(store.select("SELECT (COUNT(*) AS ?n) WHERE { ?m a rko:Modality }").values("n")[0])


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_select_json_and_xml(server, store, method):
    for fmt in (JSON, XML):
        sw = SPARQLWrapper(server + "/sparql")
        sw.setMethod(method)
        sw.setQuery(MODALITIES)
        sw.setReturnFormat(fmt)
        result = sw.query().convert()
        rows = result["results"]["bindings"] if fmt == JSON else result.getElementsByTagName("result")
        assert len(rows) == modality_count(store)


def test_sparqlwrapper_ask_csv_and_construct(server):
    sw = SPARQLWrapper(server + "/sparql")
    sw.setQuery(PREFIXES + "ASK { ?m a rko:Modality }")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True
    sw.setQuery(MODALITIES)
    sw.setReturnFormat(CSV)
    assert sw.query().convert().decode().startswith("m,label")
    sw.setQuery(PREFIXES + "CONSTRUCT { ?m a rko:Modality } WHERE { ?m a rko:Modality }")
    sw.setReturnFormat(TURTLE)
    g = rdflib.Graph().parse(data=sw.query().convert(), format="turtle")
    assert len(g) > 10


def test_sparqlwrapper_sees_bad_syntax_as_bad_query(server):
    sw = SPARQLWrapper(server + "/sparql")
    sw.setQuery("SELECT ?s WHERE { ?s ?p }")
    sw.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed, match="1:"):
        sw.query()


def test_rdflib_sparqlstore(server, store):
    graph = rdflib.Graph(SPARQLStore(server + "/sparql", returnFormat="xml"))
    rows = list(graph.query(MODALITIES))
    assert len(rows) == modality_count(store)
    assert all(isinstance(r.m, rdflib.URIRef) for r in rows)
    risk = rdflib.URIRef("https://w3id.org/regkg/id/risk/tumorigenicity")
    assert (risk, rdflib.RDF.type, rdflib.URIRef("https://w3id.org/regkg/ontology#Risk")) in graph


def test_real_server_keeps_serving_during_a_runaway_query(server):
    deadline = time.monotonic() + 120  # measure after the background model warm-up, which competes for the CPU
    while httpx.get(server + "/health").json()["status"] == "loading" and time.monotonic() < deadline:
        time.sleep(0.5)
    slow = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"}
    outcome = {}

    def runaway() -> None:
        outcome["r"] = httpx.get(server + "/sparql", params=slow, timeout=30)
        outcome["ended"] = time.monotonic()

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    answered = []
    for _ in range(3):
        assert httpx.get(server + "/health").status_code == 200
        answered.append(time.monotonic())
    thread.join(30)
    assert outcome["r"].status_code == 422 and outcome["r"].json()["error"]["code"] == "query_timeout"
    assert answered[0] < outcome["ended"]  # the server answered others while the query ran, not after it


def test_no_stack_trace_on_garbage(server):
    for r in (httpx.post(server + "/sparql", content=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"}),
              httpx.post(server + "/ask", content=b"{not json", headers={"Content-Type": "application/json"}),
              httpx.get(server + "/entities/%00")):
        assert 400 <= r.status_code < 500 and "Traceback" not in r.text and r.json()["error"]["code"]
