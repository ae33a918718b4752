"""Every link a user can follow from the pages of the default build resolves.

The crawl reads the rendered HTML as a user would click through it: the modality
list, each modality page, the checklist page of every modality on every pathway
that applies to it (its form's pathway choices, submitted), the answer page of
every question of the large dev set, and every entity page those pages link to.
The links on those entity pages are followed once more and must resolve too; the
crawl stops there, since the closure of the whole graph would take minutes.

Fails on any link that does not resolve and on a provision page that shows
neither text, nor its parts, nor "text not in corpus" with the official link.
Links that only switch the language, or download a checklist that rendered, are
fetched once per route (downloads: for one modality, every pathway and format);
the others are checked to name the checklist shown.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev_qa_large.jsonl"
HTML = {"Accept": "text/html"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
CLASS_LABELS = {"class-1": "第一種", "class-2": "第二種", "class-3": "第三種"}
_PROVISION = re.compile(r"^/id/law/[0-9A-Z]+/(suppl/)?art/")


class _Page(HTMLParser):
    """The internal links of a page (fragments dropped), the choices of its pathway select and the places
    its citations name (``span.where``)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: set[str] = set()
        self.pathways: list[str] = []
        self.places: list[str] = []
        self._select = ""
        self._in_place = False
        self.feed(html)

    def handle_data(self, data: str) -> None:
        if self._in_place:
            self.places[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self._in_place = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "span" and a.get("class") == "where":
            self.places.append("")
            self._in_place = True
        href = (a.get("href") or "").split("#", 1)[0]
        if tag == "a" and href.startswith("/") and not href.startswith("//"):
            self.links.add(href)
        elif tag == "select":
            self._select = a.get("name") or ""
        elif tag == "option" and self._select == "pathway" and a.get("value"):
            self.pathways.append(a["value"])


def _get(client, url: str) -> tuple[int, _Page]:
    response = client.get(url, headers=HTML)
    is_html = response.headers.get("content-type", "").startswith("text/html")
    return response.status_code, _Page(response.text if is_html else "")


def _applies(pathway: str, modality: dict) -> bool:
    """Every non-ASRM pathway applies; an ASRM class applies when the modality's rules give it."""
    from regkg.queries.checklist import PATHWAYS

    risk_class = PATHWAYS[pathway]["risk_class"]
    return risk_class is None or CLASS_LABELS[risk_class] in (modality.get("risk_classes") or "")


#: page → the places its citations name, as the crawl saw them (Japanese pages: the default language)
PLACES: dict[str, list[str]] = {}


@pytest.fixture(scope="module")
def crawled(client) -> dict[str, set[str]]:
    """Page → the internal links it holds, for every page the crawl starts from (all answered 200)."""
    pages: dict[str, set[str]] = {}

    def visit(url: str, ok: tuple[int, ...] = (200,)) -> _Page:
        status, page = _get(client, url)
        assert status in ok, url
        pages[url] = page.links
        PLACES[url] = page.places
        return page

    listing = visit("/ui/modalities")
    modalities = {m["id"]: m for m in client.get("/ui/modalities.json").json()["modalities"]}
    shown = sorted(link for link in listing.links if re.fullmatch(r"/ui/modalities/[^/.]+", link))
    assert len(shown) == len(modalities) > 10
    for link in shown:
        modality = modalities[link.rsplit("/", 1)[1]]
        checklist = next(a for a in visit(link).links if a.startswith("/ui/checklist?"))
        # 400 when the modality's class leaves the pathway open: the page asks for one, with the choices
        choices = visit(checklist, (200, 400)).pathways
        assert choices, checklist
        for pathway in choices:
            if _applies(pathway, modality):
                visit(checklist + "&" + urlencode({"pathway": pathway}))
    for line in EVAL.read_text(encoding="utf-8").splitlines():
        visit("/?" + urlencode({"q": json.loads(line)["q"]}))
    return pages


def _provision_shown(path: str, html: str, links: set[str]) -> bool:
    return 'id="provision-text"' in html or any(link.startswith(path + "/") for link in links)


def test_every_link_on_the_pages_resolves(client, crawled):
    """Entity pages as HTML and as the JSON they link to, the entity links on them once more, and one
    link per route and parameter set of the rest (language switches, forms, downloads of one modality)."""
    first = set().union(*crawled.values())
    entities = sorted(link for link in first if link.startswith("/id/"))
    assert len(entities) > 100
    broken, empty, second = [], [], set()
    checked = set(entities)

    def check(link: str, page: str) -> str | None:
        response = client.get(link, headers=BROWSER)
        if response.status_code != 200:
            broken.append(f"{link} ({response.status_code}) from {page}")
            return None
        return response.text

    for path in entities:
        html = check(path, next(page for page, links in crawled.items() if path in links))
        if html is None:
            continue
        links = _Page(html).links
        if _PROVISION.match(path) and not _provision_shown(path, html, links):
            empty.append(path)
        as_data = sorted(link for link in links if link == path + ".json" or link.startswith("/entities/"))
        assert as_data, path
        check(as_data[0], path)
        checked.add(as_data[0])
        second |= {(link, path) for link in links}
    for path, page in sorted(second):
        if path.startswith("/id/") and path not in checked:
            checked.add(path)
            html = check(path, page)
            if html is not None and _PROVISION.match(path) and not _provision_shown(path, html, _Page(html).links):
                empty.append(path)
    others = {link for link in first if not link.startswith("/id/")}
    try:
        for link in sorted(_one_per_route(others)):
            check(link, "a start page")
    finally:  # a language switch sets the page language for the session's later requests: undo it
        client.cookies.clear()
    assert not broken, f"{len(broken)} broken links: {broken[:20]}"
    assert not empty, f"{len(empty)} provision pages without text or a 'not in corpus' note: {empty[:20]}"


def _one_per_route(links: set[str]) -> set[str]:
    """One link per (path, parameter names), plus every download of one modality's checklists.

    The rest repeat a page already crawled in the other language, or a download whose
    checklist rendered; fetching each would double the crawl.
    """
    chosen: dict[tuple, str] = {}
    for link in sorted(links):
        parts = urlsplit(link)
        chosen.setdefault((parts.path, tuple(sorted(parse_qs(parts.query)))), link)
    downloads = {link for link in links if urlsplit(link).path == "/checklist" and "modality%2Fmsc&" in link}
    assert len(downloads) >= 4
    return set(chosen.values()) | downloads


def test_download_links_name_the_checklist_shown(crawled):
    for page, links in crawled.items():
        if not page.startswith("/ui/checklist?") or "pathway=" not in page:
            continue
        shown = parse_qs(urlsplit(page).query)
        downloads = [parse_qs(urlsplit(link).query) for link in links if urlsplit(link).path == "/checklist"]
        assert {d["format"][0] for d in downloads} == {"json", "md", "csv", "xlsx"}, page
        for d in downloads:
            assert d["modality"][0].rsplit("/", 1)[-1] == shown["modality"][0], page
            assert d["pathway"] == shown["pathway"], page


def test_a_provision_the_corpus_lacks_says_so_and_links_the_official_text(client):
    entity = client.get("/id/law/426M60000100110/art/2", headers={"Accept": "application/json"}).json()
    assert entity["text_in_corpus"] is False and not entity["text"]
    assert entity["official_url"] == "https://laws.e-gov.go.jp/law/426M60000100110#Mp-At_2"
    page = client.get("/id/law/426M60000100110/art/2", headers=HTML).text
    assert "https://laws.e-gov.go.jp/law/426M60000100110#Mp-At_2" in page


def test_japanese_pages_name_cited_places_in_japanese(crawled, corpus_dir):
    """Lines, pages and slides of a citation's place read in Japanese on every crawled page, and no English
    word is left that the sources do not use themselves (a passage's heading path is its source's own words;
    a curated locator's English note has its Japanese form, checked in tests/queries/test_locators.py)."""
    from regkg.ingest.normalize import nfkc
    from regkg.queries.locators import latin_words

    places = {place for shown in PLACES.values() for place in shown}
    assert len(places) > 200
    structured = [p for p in places if re.search(r"\bl\. ?\d|\bpp?\. ?\d|\bslides?\b|\bArt\. |\bFig\. ", p)]
    assert not structured, structured[:10]
    sources = " ".join(nfkc(f.read_text(encoding="utf-8")) for f in corpus_dir.rglob("*") if f.suffix in (".md", ".txt"))
    own = set(latin_words(sources))
    prose = [p for p in places if [w for w in latin_words(p) if len(w) >= 3 and w.islower() and w not in own]]
    assert not prose, prose[:10]
