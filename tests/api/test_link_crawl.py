"""Every IRI the default build cites or links resolves, as a page and as JSON.

Crawls the modality pages, the checklist of every modality on every pathway
that applies to it, the answer pages of the large dev question set, and the
entity pages those link to; fails on any 404 and on a provision page that
shows neither text nor "text not in corpus" with the official link.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from regkg.queries.checklist import PATHWAYS

EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev_qa_large.jsonl"
HTML = {"Accept": "text/html"}
_LINK = re.compile(r'href="(/id/[^"#?]+)"')
CLASS_LABELS = {"class-1": "第一種", "class-2": "第二種", "class-3": "第三種"}
_PROVISION = re.compile(r"^/id/law/[0-9A-Z]+/(suppl/)?art/")


def _links(html: str) -> set[str]:
    return set(_LINK.findall(html))


def _applicable(modality: dict) -> list[str]:
    """Pathways whose checklist applies: every non-ASRM pathway, and the ASRM classes the modality's rules give."""
    classes = modality.get("risk_classes") or ""
    return [p for p, spec in PATHWAYS.items() if spec["risk_class"] is None or CLASS_LABELS[spec["risk_class"]] in classes]


@pytest.fixture(scope="module")
def crawled(client) -> dict[str, set[str]]:
    """Page → the /id/ links it holds, for every page the crawl starts from."""
    pages: dict[str, set[str]] = {}
    modalities = client.get("/modalities").json()["modalities"]
    assert modalities
    for m in modalities:
        page = f"/ui/modalities/{m['id']}"
        response = client.get(page, headers=HTML)
        assert response.status_code == 200, page
        pages[page] = _links(response.text)
        for pathway in _applicable(m):
            url = f"/checklist?modality={quote(m['id'])}&pathway={pathway}&format=json"
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.json()
            iris = {c["iri"] for s in body["sections"] for line in s["lines"] for c in line["citations"]}
            iris |= {c["iri"] for note in body["notes"] for c in note["citations"]}
            pages[url] = {"/id/" + i.split("/id/", 1)[1] for i in iris if "w3id.org/regkg/id/" in i}
    for line in EVAL.read_text(encoding="utf-8").splitlines():
        q = json.loads(line)["q"]
        response = client.get("/", params={"q": q}, headers=HTML)
        assert response.status_code == 200, q
        pages[f"/?q={q}"] = _links(response.text)
    return pages


def test_every_linked_iri_resolves_as_page_and_json(client, crawled):
    targets = set().union(*crawled.values())
    assert len(targets) > 100
    broken, empty = [], []
    for path in sorted(targets):
        page = client.get(path, headers=HTML)
        data = client.get(path, headers={"Accept": "application/json"})
        if page.status_code != 200 or data.status_code != 200:
            broken.append(f"{path} ({page.status_code}/{data.status_code}) from "
                          + next(p for p, links in crawled.items() if path in links))
            continue
        if _PROVISION.match(path):
            entity = data.json()
            shows = entity.get("text") or any(l["property"] == "eli:is_part_of" for l in entity["incoming"])
            if not shows and not (entity["text_in_corpus"] is False and entity["official_url"]):
                empty.append(path)
            elif not shows and 'id="provision-text"' not in page.text:
                empty.append(path)
    assert not broken, f"{len(broken)} broken links: {broken[:20]}"
    assert not empty, f"{len(empty)} provision pages without text or a 'not in corpus' note: {empty[:20]}"


def test_a_provision_the_corpus_lacks_says_so_and_links_the_official_text(client):
    entity = client.get("/id/law/426M60000100110/art/2", headers={"Accept": "application/json"}).json()
    assert entity["text_in_corpus"] is False and not entity["text"]
    assert entity["official_url"] == "https://laws.e-gov.go.jp/law/426M60000100110#Mp-At_2"
    page = client.get("/id/law/426M60000100110/art/2", headers=HTML).text
    assert "https://laws.e-gov.go.jp/law/426M60000100110#Mp-At_2" in page
