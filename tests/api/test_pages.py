"""Pages as views, API docs offline, RDF output as documented."""

from __future__ import annotations

import json
import re

import pytest


def test_docs_load_their_assets_from_this_server(client):
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        sources = re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r"url: '([^']+)'", html)
        assets = [s for s in sources if s.endswith((".js", ".css"))]
        assert assets and all(s.startswith("/static/docs/") for s in assets), sources
        for asset in assets:
            assert client.get(asset).status_code == 200


@pytest.mark.parametrize("path", ["/ui/modalities", "/ui/modalities/msc", "/ui/documents", "/ui/classify?modality=prp",
                                  "/ui/checklist?modality=ips-derived-cells", "/ui/queries",
                                  "/ui/queries/modality-risk-class?modality=脂肪組織由来幹細胞"])
def test_every_page_is_also_its_json(client, path):
    base, _, query = path.partition("?")
    as_json = client.get(base + ".json" + ("?" + query if query else ""))
    by_accept = client.get(path, headers={"Accept": "application/json"})
    assert as_json.status_code == by_accept.status_code == 200
    assert as_json.headers["content-type"].startswith("application/json")
    assert as_json.json() == by_accept.json()
    html = client.get(path, headers={"Accept": "text/html"}).text
    assert html.count("<h1") == 1


def test_sparql_page_is_also_its_json_through_the_same_guard(client):
    query = "SELECT ?m WHERE { ?m a rko:Modality } ORDER BY ?m LIMIT 3"
    as_json = client.get("/ui/sparql.json", params={"query": query})
    by_accept = client.get("/ui/sparql", params={"query": query}, headers={"Accept": "application/json"})
    assert as_json.status_code == by_accept.status_code == 200 and as_json.json() == by_accept.json()
    data = as_json.json()
    assert data["result"]["vars"] == ["m"] and len(data["result"]["rows"]) == 3 and data["query"] == query
    html = client.get("/ui/sparql", params={"query": query}, headers={"Accept": "text/html"}).text
    assert all(row["m"].rsplit("/", 1)[-1] in html for row in data["result"]["rows"])
    refused = client.get("/ui/sparql.json", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert refused.status_code in (400, 403) and refused.json()["error"]["message"]


def test_checklist_page_agrees_with_its_json(client):
    data = client.get("/ui/checklist.json", params={"modality": "脂肪組織由来幹細胞", "pathway": "asrm-class-2"}).json()
    html = client.get("/ui/checklist", params={"modality": "脂肪組織由来幹細胞", "pathway": "asrm-class-2"},
                      headers={"Accept": "text/html"}).text
    assert data["checklist"]["pathway"] == "asrm-class-2" and data["checklist"]["build"]
    for section in data["checklist"]["sections"]:
        assert section["title_ja"] in html
        for line in section["lines"]:
            assert line["item_ja"].replace("&", "&amp;") in html
    for raw in ("modality_ja", "pathway_en", "seconds"):
        assert raw not in html
    actors = re.findall(r'<td data-label="主体">(.*?)</td>', html)
    assert actors and not [a for a in actors if " / " in a], "the actor in the page language, the other as its tooltip"
    csv = client.get("/checklist", params={"modality": "脂肪組織由来幹細胞", "pathway": "asrm-class-2", "format": "csv", "lang": "en"})
    assert csv.status_code == 200 and "Administrator of the regenerative medicine provider" in csv.content.decode("utf-8-sig")


def test_modality_checklist_link_and_default_pathway(client):
    assert client.get("/checklist", params={"modality": "ips-derived-cells", "format": "xlsx"}).status_code == 200
    error = client.get("/checklist", params={"modality": "prp"})  # Class II or III by how it is used
    assert error.status_code == 400 and "asrm-class-2, asrm-class-3" in error.json()["error"]["message"]


@pytest.mark.parametrize("path, named", [("/id/modality/msc", "自家のMSCを用いる"),  # a rule, by its criterion
                                         ("/id/law/425AC0000000085/art/4/para/1", "再生医療等の安全性の確保等に関する法律 第5条第1項")])
def test_links_to_unlabelled_things_read_as_names_not_codes(client, path, named):
    """Provisions, passages, rules and a modality's risks have no label; their links still read as words."""
    html = client.get(path, headers={"Accept": "text/html"}).text
    texts = re.findall(r'<a href="/id/[^"]*">([^<]*)</a>', html)
    assert texts and not [t for t in texts if t.startswith(("regkg:", "https://"))]
    assert any(named in text for text in texts)


def test_a_named_query_page_runs_it_with_a_modality_by_any_name(client):
    by_name = client.get("/ui/queries/modality-risk-class.json", params={"modality": "脂肪組織由来幹細胞"}).json()
    by_curie = client.get("/queries/modality-risk-class", params={"modality": "regkg:modality/adipose-derived-msc"}).json()
    assert by_name["result"]["rows"] == by_curie["rows"] and by_name["result"]["count"] == by_curie["count"] > 0
    page = client.get("/ui/queries/modality-risk-class", params={"modality": "脂肪組織由来幹細胞", "lang": "ja"},
                      headers={"Accept": "text/html"}).text
    heads = re.findall(r'<th scope="col">([^<]*)</th>', page)
    assert "リスク分類" in heads and "基準" in heads and not [h for h in heads if re.fullmatch(r"[a-z_]+", h)], heads
    form = client.get("/ui/queries/modality-risk-class", headers={"Accept": "text/html"})
    assert form.status_code == 200 and 'id="param-modality"' in form.text and 'id="results"' not in form.text
    unknown = client.get("/ui/queries/no-such-query", headers={"Accept": "text/html"})
    assert unknown.status_code == 404 and "no-such-query" in unknown.text


def test_browsers_get_a_page_for_unknown_addresses(client):
    page = client.get("/no/such/page", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html") and "<h1>" in page.text
    assert client.get("/no/such/page").json()["error"]["code"] == "not_found"


def test_turtle_without_escaped_slashes_or_repeated_triples(client):
    ttl = client.get("/entities/regkg:modality/ips-derived-cells", headers={"Accept": "text/turtle"}).text
    assert "\\/" not in ttl and "modality:ips-derived-cells" in ttl
    nt = client.get("/entities/regkg:modality/ips-derived-cells", headers={"Accept": "application/n-triples"}).text
    lines = [line for line in nt.splitlines() if line.strip() and "_:" not in line]
    assert len(lines) == len(set(lines))


def test_json_ld_has_a_context(client):
    doc = json.loads(client.get("/entities/regkg:modality/ips-derived-cells", headers={"Accept": "application/ld+json"}).text)
    assert doc["@context"]["rko"] == "https://w3id.org/regkg/ontology#"
    assert "@graph" in doc or "@id" in doc


def test_the_corpus_excerpt_marker_reads_in_the_page_language(client):
    page = "/id/law/425AC0000000085/art/4/para/1"  # the language by cookie: ?lang= would set it for the shared client
    ja = client.get(page, headers={"Accept": "text/html", "Cookie": "lang=ja"}).text
    en = client.get(page, headers={"Accept": "text/html", "Cookie": "lang=en"}).text
    assert "抜粋はここまで" in ja and "fragment ends" not in ja and "excerpt ends" not in ja
    assert "excerpt ends here" in en


def test_a_citation_without_text_shows_its_note_and_official_link_in_the_page_language(client):
    """A provision the corpus lacks has no quote: the page says why, in its language, and links the official text
    (the JSON always had both; the HTML dropped them)."""
    page = "/ui/checklist?modality=ips-derived-cells&pathway=asrm-class-1"
    data = client.get(page.replace("/ui/checklist", "/ui/checklist.json")).json()
    cited = [c for s in data["checklist"]["sections"] for line in s["lines"] for c in line["citations"]]
    art7 = next(c for c in cited if c["iri"].endswith("/law/425AC0000000085/art/7"))
    assert art7["note"] and art7["official_url"] == "https://laws.e-gov.go.jp/law/425AC0000000085#Mp-At_7"
    ja = client.get(page, headers={"Accept": "text/html", "Cookie": "lang=ja"}).text
    en = client.get(page, headers={"Accept": "text/html", "Cookie": "lang=en"}).text
    for html in (ja, en):
        assert 'href="https://laws.e-gov.go.jp/law/425AC0000000085#Mp-At_7"' in html
        assert art7["note"] not in html  # the bilingual form, cut to the page language
    assert "この条項の本文はコーパスに収録されていない。" in ja and "is not in the corpus" not in ja
    assert "The text of this provision is not in the corpus; see the official text." in en
    assert "コーパスに収録されていない" not in en and "公式の本文（e-Gov法令検索）" in ja and "Official text (e-Gov)" in en


def test_documents_page_gives_each_note_in_the_page_language(client):
    data = client.get("/ui/documents.json").json()["documents"]
    act = next(d for d in data if d["curie"] == "regkg:law/425AC0000000085")
    assert "2013年11月27日公布" in act["note_ja"] and "Promulgated 2013-11-27" in act["note_en"]
    assert all(d["note_ja"] for d in data if d["note_en"]), "every curated note has its Japanese form"
    ja = client.get("/ui/documents", params={"lang": "ja"}, headers={"Accept": "text/html"}).text
    en = client.get("/ui/documents", params={"lang": "en"}, headers={"Accept": "text/html"}).text
    assert act["note_ja"] in ja and act["note_en"] not in ja and act["note_en"] in en


def test_named_queries_read_in_the_page_language(client):
    page = client.get("/ui/queries/modality-risk-class", params={"lang": "ja"}, headers={"Accept": "text/html"}).text
    assert "<h1>モダリティの安確法上のリスク分類</h1>" in page and "ASRM risk class of a modality" not in page
    listing = client.get("/ui/queries.json").json()["queries"]
    assert all(q["title_ja"] != q["title"] and q["description_ja"] != q["description"] for q in listing)


def test_an_entity_is_its_json_with_the_json_suffix(client):
    data = client.get("/id/modality/msc.json", headers={"Accept": "text/html"})
    assert data.status_code == 200 and data.json()["curie"] == "regkg:modality/msc"
    assert client.get("/id/modality/no-such-thing.json").status_code == 404


def test_an_english_search_marks_the_japanese_name_of_what_it_names(client):
    result = client.get("/ui/search.json", params={"q": "specially certified committee"}).json()["result"]
    marked = {s["text"] for hit in result["hits"] for s in hit["segments"] if s["match"]}
    assert "特定認定再生医療等委員会" in marked, marked


def test_a_named_query_page_says_yes_or_no_and_describes_its_parameters_in_the_page_language(client):
    params = {"modality": "regkg:modality/in-vivo-nucleic-acids"}
    try:
        en = client.get("/ui/queries/modality-risk-class", params={**params, "lang": "en"}, headers={"Accept": "text/html"}).text
        ja = client.get("/ui/queries/modality-risk-class", params={**params, "lang": "ja"}, headers={"Accept": "text/html"}).text
    finally:  # a language switch sets the page language for the session's later requests: undo it
        client.cookies.clear()
    cells = lambda page: re.findall(r"<td>([^<]*)</td>", page)  # noqa: E731
    assert "はい" in cells(ja) and "Yes" in cells(en)
    assert not {"true", "false"} & set(cells(ja) + cells(en))
    query = client.get("/ui/queries/modality-risk-class.json").json()["query"]
    described = query["params"][0]
    assert described["description_ja"] and described["description_ja"] in ja and described["description_ja"] not in en
    assert described["description"] in en and described["description"] not in ja


def test_a_named_query_takes_any_entity_by_its_name_and_suggests_names_for_unknown_ones(client):
    by_curie = client.get("/ui/queries/actor-duties.json", params={"actor": "regkg:actor/provider-administrator"}).json()
    by_name = client.get("/ui/queries/actor-duties.json", params={"actor": "再生医療等提供機関の管理者"}).json()
    assert by_curie["result"]["rows"] and by_name["result"] == by_curie["result"]
    unknown = client.get("/ui/queries/actor-duties.json", params={"actor": "再生医療等提供機関の管理"})
    assert unknown.status_code == 404 and "did you mean" in unknown.json()["error"]["message"]
    page = client.get("/ui/queries/actor-duties", headers={"Accept": "text/html"}).text
    assert 'id="param-actor"' in page and 'list="param-actor-suggest"' in page
