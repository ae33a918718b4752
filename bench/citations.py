"""`python -m bench.citations`: how checkable the graph's citations are, on the current build.

Counts the cited statements by the strongest kind of evidence behind them (and
the Must/Should ones apart: only law, a notice or guidance may carry them), and
the curated citations by whether they can be checked: *precise* when the
locator names a unit whose text the corpus holds (a provision, or the passage
at the cited lines or heading) and the quote shown is text of that place — for a
line locator, text of those lines of the source file itself; *imprecise* when
not (a provision the corpus lacks, a place not found in the document's text, or a
quote from outside the cited lines).
"""

from __future__ import annotations

from collections import Counter

from pathlib import Path

from regkg.config import default_corpus_dirs, settings
from regkg.graph.store import connect
from regkg.ingest.normalize import nfkc
from regkg.queries.citations import CitationBuilder, Source, corpus_text, line_ranges, within_lines

STRENGTH = ("law", "notice", "guidance", "secondary", "practice")

_CITATIONS = """
SELECT ?statement ?force ?document ?locator ?provision ?evidence WHERE {
  ?statement rko:citation ?cite . ?cite dcterms:source ?document .
  OPTIONAL { ?statement rko:deonticForce ?force }
  OPTIONAL { ?cite rko:locator ?locator }
  OPTIONAL { ?cite rko:provision ?provision }
  OPTIONAL { ?cite rko:evidence ?cite_evidence }
  OPTIONAL { ?document rko:evidence ?document_evidence }
  BIND(COALESCE(?cite_evidence, ?document_evidence) AS ?kind)
  OPTIONAL { ?kind skos:notation ?evidence }
}
"""


def source_files(store, roots: list[Path]) -> dict[str, str]:
    """Document IRI → the text of its source file (NFKC, as the build reads it), for those found under ``roots``."""
    out = {}
    for row in store.select("SELECT ?d ?p WHERE { ?d rko:corpusPath ?p }").rows:
        found = [root / row["p"].value for root in roots if (root / row["p"].value).is_file()]
        if found:
            out[row["d"].value] = nfkc(found[0].read_text(encoding="utf-8"))
    return out


def measure(store, imprecise: list[tuple[str, str, str]] | None = None,
            roots: list[Path] | None = None) -> dict[str, Counter]:
    """Counts by evidence and by checkability; ``imprecise`` (when given) collects the (document, locator,
    provision) of each citation that cannot be checked, so the list behind the count can be read.

    ``roots``: the corpus folders the build read (default: the development corpus); a line-located
    quote is checked against its file there, and one whose file is not found counts as imprecise.
    """
    files = source_files(store, default_corpus_dirs() if roots is None else roots)
    rows = store.select(_CITATIONS).rows
    value = lambda row, name: row[name].value if row.get(name) is not None else ""  # noqa: E731
    strongest: dict[str, str] = {}
    forces: dict[str, str] = {}
    checkable: Counter = Counter()
    builder = CitationBuilder(corpus_text(store), "en")
    seen: set[tuple[str, str, str]] = set()
    for row in rows:
        kind = value(row, "evidence") or "unlabelled"
        statement = value(row, "statement")
        ranks = [*STRENGTH, "unlabelled"]
        if statement not in strongest or ranks.index(kind) < ranks.index(strongest[statement]):
            strongest[statement] = kind
        forces[statement] = value(row, "force").rsplit("#", 1)[-1]
        key = (value(row, "document"), value(row, "locator"), value(row, "provision"))
        if key in seen:
            continue
        seen.add(key)
        cited = builder.one(Source(key[0], "", key[1], key[2]))
        precise = bool(cited["quote"])
        if precise and line_ranges(key[1]):
            precise = within_lines(cited["quote"], files.get(key[0], ""), key[1])
            checkable["line-located"] += 1
            checkable["line-located, quote outside its lines"] += not precise
        checkable["precise" if precise else "imprecise"] += 1
        if not precise and imprecise is not None:
            imprecise.append(key)
    duties = Counter(f"{forces[s]} on {kind}" for s, kind in strongest.items() if forces[s] in ("Must", "Should"))
    return {"statements by evidence": Counter(strongest.values()),
            "Must/Should statements by strongest evidence": duties, "distinct citations": checkable}


def main(show_imprecise: bool = False) -> None:
    imprecise: list[tuple[str, str, str]] = []
    for title, counts in measure(connect(settings()), imprecise).items():
        print(title + ": " + ", ".join(f"{k} {n}" for k, n in counts.most_common()))
    if show_imprecise:
        for document, locator, provision in sorted(imprecise):
            print(f"  imprecise: {document.rsplit('/', 1)[-1]} | {locator} | {provision}")


if __name__ == "__main__":
    import sys

    main("--list" in sys.argv[1:])
