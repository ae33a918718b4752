"""Human column heads for the named queries' results, from ``columns.tsv`` beside the ``.rq`` files.

A query's SELECT variables (``modality_ja``, ``document_title``) are names for programs;
a page shows a person "モダリティ（日本語）" or "Document title" instead. The labels are
data, one line per variable stem; ``_ja``/``_en`` variables take their stem's label
with the language added, so the two never drift apart.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from regkg.graph.store import SelectResult

COLUMNS_FILE = Path(__file__).resolve().parent / "columns.tsv"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
LANGUAGE_SUFFIX = {"ja": {"ja": "（日本語）", "en": " (Japanese)"}, "en": {"ja": "（英語）", "en": " (English)"}}


@lru_cache(maxsize=1)
def _stems(path: Path = COLUMNS_FILE) -> dict[str, dict[str, str]]:
    """variable → {"ja", "en", "names"} as columns.tsv lists them."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return {row["variable"]: {k: row[k] or "" for k in ("ja", "en", "names")} for row in csv.DictReader(lines, delimiter="\t")}


def column_label(variable: str, lang: str) -> str | None:
    """The head of a result column in ``lang`` (ja or en), or None when ``columns.tsv`` does not know it."""
    stems = _stems()
    if variable in stems:
        return stems[variable][lang]
    stem, _, suffix = variable.rpartition("_")
    if suffix in LANGUAGE_SUFFIX and stem in stems:
        return stems[stem][lang] + LANGUAGE_SUFFIX[suffix][lang]
    return None


def column_heads(variables: list[str], lang: str) -> dict[str, str]:
    """Variable → head for a results table; a variable without a label (an ad-hoc query's) keeps its name."""
    return {v: column_label(v, lang) or v for v in variables}


def boolean_columns(result: SelectResult) -> set[str]:
    """The variables whose every bound value is an ``xsd:boolean``: a page shows them as yes/no words, not
    ``true``/``false`` (the JSON keeps the lexical value)."""
    out = set()
    for v in result.variables:
        cells = [row[v] for row in result.rows if row.get(v) is not None]
        if cells and all(isinstance(c, ox.Literal) and c.datatype.value == XSD_BOOLEAN for c in cells):
            out.add(v)
    return out


def page_columns(variables: list[str], lang: str, booleans: set[str] | frozenset[str] = frozenset()) -> list[dict]:
    """The columns a page shows for a result, in the page language: ``{"name", "head", "link", "fallback",
    "boolean"}`` (``boolean``: the column is one of ``booleans``, shown as yes/no in the page language).

    Where a result has a term with its labels (``modality``, ``modality_ja``, ``modality_en``) the page shows
    one column, the label in its own language (``fallback``: the other language's, for a term labelled only
    there) linking to the term (``link``). The JSON of the same view keeps every variable.
    """
    other = "en" if lang == "ja" else "ja"
    present = set(variables)
    names = {v: _stems().get(v.rpartition("_")[0] if v.endswith(("_ja", "_en")) else v, {}).get("names", "") for v in variables}
    named = set(names.values()) & present  # terms another column names
    out = []
    for v in variables:
        stem, _, suffix = v.rpartition("_")
        if suffix == other and f"{stem}_{lang}" in present:
            continue  # shown through its own-language sibling
        if f"{v}_{lang}" in present or v in named:
            continue  # the term: the column that names it links to it
        if suffix == lang:
            head = column_label(stem, lang) or column_label(v, lang) or v
            link = stem if stem in present else names[v] if names[v] in present else ""
            out.append({"name": v, "head": head, "link": link,
                        "fallback": f"{stem}_{other}" if f"{stem}_{other}" in present else "", "boolean": v in booleans})
        else:
            out.append({"name": v, "head": column_label(v, lang) or v, "link": names[v] if names[v] in present else "",
                        "fallback": "", "boolean": v in booleans})
    return out
