"""A citation's locator as a reader of the page's language reads it: the one rendering pages and exports share.

Curated locators are written once, in the form the curation conventions give
(``第4条第1項第3号``, ``§ 見出し (note), l. 103–111``, ``p.7 …``, ``slide …``), and
passages get theirs from the build (``§ heading, p. 3, l. 12–20``). Shown to a
person they read in the page language:

- the structured parts are rendered from their structure — line ranges
  (``l. 103–111`` → ``103–111行``), pages (``p. 12`` → ``12頁``), slides, figures, and for
  laws the article, paragraph and item numbers a locator starts with
  (``第4条第1項第3号`` ↔ ``Art. 4(1), item 3``, the form ``ingest.cited_units``
  gives a provision; a note after them keeps its own words);
- a free-text note in English gets the Japanese form curated beside the
  knowledge (``ontology/locator-forms.ttl``: ``rko:LocatorForm``, the locator as
  written and its ``rko:localForm`` in ``@ja``, same places, no new facts).

A locator is otherwise shown as written: nothing is translated ad hoc.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from regkg.ingest.cited_units import parse_unit, unit_locator
from regkg.ontology.load import ONTOLOGY_DIR

FORMS_FILE = ONTOLOGY_DIR / "locator-forms.ttl"

_FORMS = """
SELECT ?locator ?ja WHERE {
  ?form a <https://w3id.org/regkg/ontology#LocatorForm> ; <https://w3id.org/regkg/ontology#forLocator> ?locator ;
        <https://w3id.org/regkg/ontology#localForm> ?ja FILTER(lang(?ja) = "ja")
}
"""

_NUMBER = r"\d+(?:\s*[–-]\s*\d+)?"
_LINES = re.compile(rf"\bl\.\s?({_NUMBER})")
_PAGES = re.compile(rf"\bpp?\.\s?({_NUMBER})")
_SLIDES = re.compile(r"(^|;\s*|,\s*)slides?\s+")
_FIGURES = re.compile(r"\bFig\.\s?")
_ARTICLE = re.compile(r"^(附則)?第(\d+)条((?:の\d+)*)(?:第(\d+)項)?(?:第(\d+)号((?:の\d+)*))?")


@lru_cache(maxsize=4)
def locator_forms(path: Path = FORMS_FILE) -> dict[str, str]:
    """Locator as curated → its curated Japanese form (read from the Turtle file the build also loads)."""
    if not path.is_file():
        return {}
    store = ox.Store()
    store.load(path.read_bytes(), ox.RdfFormat.TURTLE)
    return {r["locator"].value: r["ja"].value for r in store.query(_FORMS)}


def _range(text: str) -> str:
    return re.sub(r"\s*[–-]\s*", "–", text)


def _article_en(m: re.Match) -> str:
    suppl, art, branches, para, item, item_branches = m.groups()
    out = ("Suppl. " if suppl else "") + "Art. " + art + branches.replace("の", "-")
    if para:
        out += f"({para})"
    if item:
        out += f", item {item}{item_branches.replace('の', '-')}"
    return out


def locator_text(locator: str, lang: str | None, provision: str = "") -> str:
    """``locator`` (or, when there is none, the ``provision`` IRI's own numbers) as read in ``lang``.

    ``lang`` None (a bilingual document) or unknown: as written.
    """
    if not locator and provision and (m := parse_unit(provision)):
        ja, en = unit_locator(m)
        return en if lang == "en" else ja
    if lang == "ja":
        text = locator_forms().get(locator, locator)
        text = _LINES.sub(lambda m: _range(m[1]) + "行", text)
        text = _PAGES.sub(lambda m: _range(m[1]) + "頁", text)
        text = _FIGURES.sub("図 ", text)
        return _SLIDES.sub(lambda m: m[1] + "スライド ", text)
    if lang == "en":
        return _ARTICLE.sub(_article_en, locator)
    return locator


def citation_place(citation: dict, lang: str | None) -> str:
    """Where a citation dict (``locator``, and ``provision`` or ``iri``) points, as read in ``lang``."""
    provision = citation.get("provision") or citation.get("iri") or ""
    return locator_text(citation.get("locator") or "", lang, provision if parse_unit(provision) else "")


def latin_words(text: str) -> list[str]:
    """The runs of Latin letters in a text (how a check finds English left on a Japanese page)."""
    return re.findall(r"[A-Za-z][A-Za-z.'-]*", text)
