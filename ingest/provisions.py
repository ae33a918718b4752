"""Law structure (article → paragraph → item, with versions) turned into units.

Both law readers (e-Gov XML, corpus Markdown) parse into these plain objects;
this module alone decides IRIs, locators and which text a provision carries,
so the two formats give identical units for identical law text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import iris
from .model import Unit
from .normalize import normalize_inline
from .numerals import locator_number


@dataclass
class ParsedItem:
    number: tuple[int, ...]
    original: str
    numbered: bool = False  # the source showed the item number
    subitems: list[str] = field(default_factory=list)

    @property
    def full_original(self) -> str:
        return "\n".join([self.original, *self.subitems])


@dataclass
class ParsedParagraph:
    number: int
    original: str  # the paragraph's own sentence(s), without its items
    items: list[ParsedItem] = field(default_factory=list)

    @property
    def full_original(self) -> str:
        return "\n".join([self.original, *(i.full_original for i in self.items)]).strip()


@dataclass
class ParsedVersion:
    """One text of an article as a source shows it, with that source's provenance."""

    label: str | None
    date: str | None
    source_url: str | None
    partial: bool | None
    paragraphs: list[ParsedParagraph] = field(default_factory=list)

    @property
    def full_original(self) -> str:
        return "\n".join(p.full_original for p in self.paragraphs).strip()


@dataclass
class ParsedArticle:
    number: tuple[int, ...]
    caption: str | None
    suppl: bool = False
    versions: list[ParsedVersion] = field(default_factory=list)
    explicit_versions: bool = False  # the source separates versions (### version: …)

    def primary(self) -> ParsedVersion | None:
        """The version whose text the provision itself carries: the latest dated one, else the first."""
        with_text = [v for v in self.versions if v.paragraphs]
        if not with_text:
            return self.versions[0] if self.versions else None
        return max(with_text, key=lambda v: (v.partial is not True, v.date or "", len(v.full_original)))


def _locator(article: ParsedArticle, para: int | None = None, item: tuple[int, ...] | None = None) -> str:
    loc = ("附則" if article.suppl else "") + locator_number(article.number)
    if para is not None:
        loc += f"第{para}項"
    if item is not None:
        loc += locator_number(item, "号")
    return loc


def article_units(law_id: str, article: ParsedArticle) -> list[Unit]:
    """Units for one article: the article, its paragraphs and items, and their versions."""
    law = iris.law_iri(law_id)
    art_iri = iris.article_iri(law_id, article.number, suppl=article.suppl)
    primary = article.primary()
    units: list[Unit] = []

    def provenance(v: ParsedVersion | None) -> dict:
        if v is None:
            return {}
        return {"source_url": v.source_url, "version_label": v.label, "version_date": v.date, "partial": v.partial}

    art_original = primary.full_original if primary else ""
    units.append(
        Unit(
            iri=art_iri, kind="Article", text=normalize_inline(art_original) if art_original else "",
            original_text=art_original, locator=_locator(article), parent=law,
            caption=article.caption, annotate=False, **provenance(primary),
        )
    )
    seen: set[str] = set()
    for para, source in _all_parts(article, primary):
        prov = provenance(source)
        p_iri = iris.paragraph_iri(art_iri, para.number)
        if p_iri in seen:
            continue
        seen.add(p_iri)
        units.append(
            Unit(
                iri=p_iri, kind="Paragraph", text=normalize_inline(para.full_original),
                original_text=para.full_original, locator=_locator(article, para.number), parent=art_iri,
                **prov,
            )
        )
        if para.items:
            units[-1].annotate_text = normalize_inline(para.original)
        for item in para.items:
            i_iri = iris.item_iri(p_iri, item.number)
            if i_iri in seen:
                continue
            seen.add(i_iri)
            units.append(
                Unit(
                    iri=i_iri, kind="Item", text=normalize_inline(item.full_original),
                    original_text=item.full_original, locator=_locator(article, para.number, item.number),
                    parent=p_iri, **prov,
                )
            )
    if article.explicit_versions:
        units.extend(_version_units(art_iri, article))
    return units


def _all_parts(article: ParsedArticle, primary: ParsedVersion | None) -> list[tuple[ParsedParagraph, ParsedVersion]]:
    """Every paragraph any version shows, taken from the primary version when it has it.

    A paragraph seen only in an older (or cut) version is still a provision of
    the article; its text then comes from the version that shows it.
    """
    order = ([primary] if primary else []) + sorted(
        (v for v in article.versions if v is not primary), key=lambda v: v.date or "", reverse=True)
    chosen: dict[int, tuple[ParsedParagraph, ParsedVersion]] = {}
    for v in order:
        for para in v.paragraphs:
            have = chosen.get(para.number)
            if have is None or (not have[0].original.strip() and para.original.strip()):
                chosen[para.number] = (para, v)
    return [chosen[n] for n in sorted(chosen)]


def _version_units(art_iri: str, article: ParsedArticle) -> list[Unit]:
    """One rko:ProvisionVersion per version block, for the article and each of its parts."""
    out: list[Unit] = []
    used: set[str] = set()
    for v in article.versions:
        vslug = iris.version_slug(v.date, v.label or "")
        base, n = vslug, 2
        while vslug in used:
            vslug, n = f"{base}-{n}", n + 1
        used.add(vslug)
        common = {"source_url": v.source_url, "version_label": v.label, "version_date": v.date,
                  "partial": v.partial, "annotate": False}
        text = v.full_original
        out.append(Unit(iri=iris.version_iri(art_iri, vslug), kind="ProvisionVersion",
                        text=normalize_inline(text) if text else "", original_text=text,
                        locator=f"{_locator(article)} ({v.label})", parent=art_iri, **common))
        for para in v.paragraphs:
            p_iri = iris.paragraph_iri(art_iri, para.number)
            out.append(Unit(iri=iris.version_iri(p_iri, vslug), kind="ProvisionVersion",
                            text=normalize_inline(para.full_original), original_text=para.full_original,
                            locator=f"{_locator(article, para.number)} ({v.label})", parent=p_iri, **common))
            for item in para.items:
                i_iri = iris.item_iri(p_iri, item.number)
                out.append(Unit(iri=iris.version_iri(i_iri, vslug), kind="ProvisionVersion",
                                text=normalize_inline(item.full_original), original_text=item.full_original,
                                locator=f"{_locator(article, para.number, item.number)} ({v.label})",
                                parent=i_iri, **common))
    return out
