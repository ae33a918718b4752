"""REST routes on the session graph, in-process."""

from __future__ import annotations

import pytest
import rdflib

from tests.api.conftest import require_module

TUMORIGENICITY = "https://w3id.org/regkg/id/risk/tumorigenicity"


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["message"] and "Traceback" not in body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def test_health_reports_graph_counts(client, store):
    body = client.get("/health").json()
    assert body["status"] in ("ok", "loading")
    distinct = int(store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"].value)
    assert body["triples"] == distinct and body["documents"] > 0 and body["passages"] > 0
    assert body["models"] in ("loading", "ready", "failed")


def test_named_query_library_and_run(client):
    names = {q["name"] for q in client.get("/queries").json()["queries"]}
    assert {"modalities", "modality-risk-class", "label-lookup"} <= names
    body = client.get("/queries/modality-risk-class", params={"modality": "regkg:modality/ips-derived-cells"}).json()
    assert body["count"] == len(body["rows"]) > 0
    assert any(r.get("risk_class") == "https://w3id.org/regkg/id/risk-class/class-1" for r in body["rows"])


def test_named_query_errors_are_4xx_json(client):
    assert_error(client.get("/queries/no-such-query"), 404, "not_found")
    assert "modality" in assert_error(client.get("/queries/modality-risk-class"), 400)["message"]
    assert "valid:" in assert_error(client.get("/queries/modality-risk-class", params={"modality": "not a curie"}), 404)["message"]
    assert_error(client.get("/queries/risk-tests", params={"risk": "regkg:risk/no-such-risk"}), 404, "not_found")
    by_name = client.get("/queries/modality-risk-class", params={"modality": "iPS細胞由来細胞"}).json()
    assert by_name["rows"] == client.get("/queries/modality-risk-class", params={"modality": "ips-derived-cells"}).json()["rows"]
    assert_error(client.get("/queries/modalities", params={"bogus": "1"}), 400)


def test_entity_lookup_in_japanese_and_english(client):
    ja = client.get("/entities", params={"q": "造腫瘍性"}).json()["hits"]
    en = client.get("/entities", params={"q": "tumorigenicity", "type": "Risk"}).json()["hits"]
    assert TUMORIGENICITY in [h["iri"] for h in ja]
    assert en[0]["iri"] == TUMORIGENICITY and en[0]["type"] == "rko:Risk"
    assert_error(client.get("/entities"), 400, "bad_request")


def test_entity_description_has_labels_definition_and_citations(client):
    e = client.get("/entities/regkg:risk/tumorigenicity").json()
    assert e["iri"] == TUMORIGENICITY and e["labels"]["ja"] == ["造腫瘍性"]
    assert e["definition"]["en"] and any(t["value"].endswith("#Risk") for t in e["types"])
    assert e["citations"] and all("document" in c for c in e["citations"])
    assert_error(client.get("/entities/regkg:risk/no-such-risk"), 404, "not_found")
    assert_error(client.get("/entities/nope:x"), 400)


@pytest.mark.parametrize("accept,fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                        ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_entity_as_rdf_by_accept(client, accept, fmt):
    r = client.get("/entities/regkg:risk/tumorigenicity", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    g = rdflib.Graph().parse(data=r.content, format=fmt)
    assert (rdflib.URIRef(TUMORIGENICITY), rdflib.RDF.type, rdflib.URIRef("https://w3id.org/regkg/ontology#Risk")) in g
    cited = list(g.objects(rdflib.URIRef(TUMORIGENICITY), rdflib.URIRef("https://w3id.org/regkg/ontology#citation")))
    assert all(list(g.predicate_objects(c)) for c in cited)  # citation nodes come with their content


def test_entity_not_acceptable(client):
    assert_error(client.get("/entities/regkg:risk/tumorigenicity", headers={"Accept": "image/png"}), 406)


def test_id_dereferences_by_accept(client):
    html = client.get("/id/risk/tumorigenicity", headers={"Accept": "text/html,*/*;q=0.8"})
    assert html.headers["content-type"].startswith("text/html") and "造腫瘍性" in html.text
    assert client.get("/id/risk/tumorigenicity").json()["iri"] == TUMORIGENICITY
    ttl = client.get("/id/risk/tumorigenicity", headers={"Accept": "text/turtle"})
    assert ttl.headers["content-type"].startswith("text/turtle") and "Accept" in ttl.headers["vary"]
    assert client.get("/id/risk/nothing-here", headers={"Accept": "text/html"}).status_code == 404


def test_provision_page_shows_its_text(client, store):
    iri = store.select("SELECT ?p WHERE { ?p a rko:Paragraph ; rko:text ?t } LIMIT 1").values("p")[0]
    text = store.select("SELECT ?t WHERE { ?p rko:text ?t }", {"p": __import__("pyoxigraph").NamedNode(iri)}).values("t")[0]
    page = client.get(iri.replace("https://w3id.org/regkg", ""), headers={"Accept": "text/html"})
    assert page.status_code == 200 and text[:20] in page.text


def test_modalities_and_requirements_with_citations(client):
    mods = client.get("/modalities").json()["modalities"]
    ips = next(m for m in mods if m["id"] == "ips-derived-cells")
    assert ips["label_ja"] and "第一種" in ips["risk_classes"]
    req = client.get("/modalities/ips-derived-cells/requirements").json()
    assert req["modality"]["iri"] == ips["iri"]
    assert req["risk_class"] and all(r["citations"] for r in req["risk_class"])
    assert len({r["rule"] for r in req["risk_class"]}) == len(req["risk_class"])  # each rule once, all its citations
    assert req["requirements"] and req["risks"] and req["tests"]
    assert client.get("/modalities/regkg:modality/ips-derived-cells/requirements").status_code == 404  # slash: not one id
    assert_error(client.get("/modalities/no-such-modality/requirements"), 404)


def test_unknown_route_and_method_are_json(client):
    assert_error(client.get("/no/such/route"), 404, "not_found")
    assert_error(client.delete("/health"), 405)


def test_body_size_limit(client):
    assert_error(client.post("/ask", json={"q": "x" * 30_000}), 413, "too_large")
    assert client.get("/health").status_code == 200  # still serving


def test_openapi_documents_every_contract_route(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/health", "/ask", "/search", "/sparql", "/queries", "/queries/{name}", "/entities",
                 "/entities/{curie}", "/modalities", "/modalities/{id}/requirements", "/classify", "/checklist"):
        assert path in paths, path
    assert set(paths["/sparql"]) == {"get", "post"}


# ---------------------------------------------------------------- routes backed by other issues' modules


def test_ask(client):
    require_module("ask")
    body = client.get("/ask", params={"q": "ES細胞を用いる再生医療等のリスク分類は？"}).json()
    assert body["question"] and body["answer"] and body["citations"]
    assert client.post("/ask", json={"q": "What does QTPP stand for?"}).status_code == 200
    assert_error(client.post("/ask", json={}), 400)


def test_search(client):
    require_module("search")
    body = client.get("/search", params={"q": "造腫瘍性", "k": 3}).json()
    assert 0 < len(body["hits"]) <= 3 and body["hits"][0]["text"]
    assert_error(client.get("/search", params={"q": "x", "k": 0}), 400)


def test_classify(client):
    require_module("classify")
    assert_error(client.post("/classify", content=b"[1, 2", headers={"content-type": "application/json"}), 400)


def test_checklist_downloads(client):
    require_module("checklist")
    from regkg.queries.checklist import PATHWAYS

    pathway = next(iter(PATHWAYS))
    for fmt in ("json", "md", "csv", "xlsx"):
        r = client.get("/checklist", params={"modality": "regkg:modality/ips-derived-cells", "pathway": pathway, "format": fmt})
        assert r.status_code == 200 and r.content, (fmt, r.text[:200])
        if fmt != "json":
            assert "attachment" in r.headers["content-disposition"]
    assert_error(client.get("/checklist", params={"modality": "x", "pathway": pathway, "format": "pdf"}), 400)


