"""Entity labels and synonyms from the ontology, for the annotator's label matcher.

Every individual typed with an ``rko:`` class contributes its ``skos:prefLabel``
and ``skos:altLabel`` values (Japanese and English). The graph is read once,
so curated files added later need no change here.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from regkg.ontology.namespaces import RKO

from .normalize import nfkc

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: Types whose labels are not things a text "mentions" in the sense we annotate
#: (documents are linked by cross-reference extraction; deontic forces are words like "must").
EXCLUDED_TYPES = {str(RKO["DeonticForce"]), str(RKO["Document"]), str(RKO["LegalDocument"]),
                  str(RKO["Citation"]), str(RKO["ProvisionVersion"]), str(RKO["Passage"]),
                  str(RKO["Provision"]), str(RKO["Article"]), str(RKO["Paragraph"]), str(RKO["Item"])}

#: Groups of head nouns used interchangeably after a name (ontology/question-lexicon.ttl); the build
#: and the question linker both read them with this query.
HEAD_NOUN_QUERY = f"""
SELECT ?group ?word WHERE {{
  ?group <{RDF_TYPE}> <{RKO}HeadNounVariants> ; <{RKO}cue> ?word .
}}"""

_QUERY = f"""
SELECT ?s ?type ?label WHERE {{
  ?s <{RDF_TYPE}> ?type .
  ?s <{SKOS}prefLabel>|<{SKOS}altLabel> ?label .
  FILTER(STRSTARTS(STR(?type), "{RKO}"))
}}"""


@dataclass
class Lexicon:
    """label → entity IRIs, and entity IRI → its rko type (local name)."""

    labels: dict[str, set[str]] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)

    def add(self, iri: str, label: str, type_iri: str = "") -> None:
        # Texts are NFKC-normalised before annotation, so labels must be too
        # (多血小板血漿（PRP） would otherwise never match).
        label = nfkc(label).strip()
        if not _usable(label):
            return
        self.labels.setdefault(label, set()).add(iri)
        if type_iri:
            self.types.setdefault(iri, type_iri.rsplit("#", 1)[-1])

    @classmethod
    def from_graph(cls, graph: Any) -> Lexicon:
        """From an rdflib Graph/Dataset or a pyoxigraph Store (any graph in it)."""
        lex = cls()
        for s, t, label in _rows(graph):
            if t not in EXCLUDED_TYPES:
                lex.add(s, label, t)
        lex.add_head_variants(head_noun_groups(_head_rows(graph)))
        return lex

    def add_head_variants(self, groups: list[list[str]]) -> None:
        """Also link a label with its head noun swapped for another of its group ("iPS cell-derived
        cells" → "… products", "… therapy"): people name a modality by what is made or done with it.
        A label that is only the head noun gets no variants."""
        longest_first = [sorted(group, key=len, reverse=True) for group in groups]
        for label, iris in list(self.labels.items()):
            for group in longest_first:
                head = next((h for h in group if _ends_with_head(label, h)), None)
                if head is None:
                    continue
                for other in group:
                    if other != head:
                        for iri in iris:
                            self.add(iri, label[: len(label) - len(head)] + other)
                break

    def add_particle_variants(self) -> None:
        """Also link a Japanese label with each の between two nouns dropped or kept: the same name is
        written 特定細胞加工物の製造の許可, 特定細胞加工物の製造許可 and 特定細胞加工物製造許可. Labels
        with at most MAX_PARTICLES such の, every combination."""
        for label, iris in list(self.labels.items()):
            parts = _NOUN_NO.split(label)
            if not 2 <= len(parts) <= MAX_PARTICLES + 1:
                continue
            for keep in itertools.product((True, False), repeat=len(parts) - 1):
                variant = parts[0] + "".join(("の" if k else "") + p for k, p in zip(keep, parts[1:], strict=True))
                for iri in iris:
                    self.add(iri, variant)

    def __len__(self) -> int:
        return len(self.labels)


#: A の joining two nouns written in kanji or katakana (not the の of もの or その).
_NOUN_NO = re.compile(r"(?<=[\u4e00-\u9fff\u30a1-\u30ff])の(?=[\u4e00-\u9fff\u30a1-\u30ff])")
#: Labels with more such の than this get no variants (their combinations multiply).
MAX_PARTICLES = 2


def _ends_with_head(label: str, head: str) -> bool:
    """True when ``head`` ends ``label`` as a word (English) or a suffix after a name (Japanese)."""
    if not label.endswith(head) or len(label) <= len(head) + 1:
        return False
    return not head.isascii() or label[-len(head) - 1] in " -"


def head_noun_groups(rows: list[tuple[str, str]]) -> list[list[str]]:
    """(group, word) rows → the word lists of each group, in a fixed order."""
    groups: dict[str, list[str]] = {}
    for group, word in sorted(rows):
        groups.setdefault(group, []).append(nfkc(word).strip())
    return list(groups.values())


def _usable(label: str) -> bool:
    """Skip one-character labels and short lower-case English words (too ambiguous)."""
    if len(label) < 2:
        return False
    if re.fullmatch(r"[a-z ]{2,3}", label):
        return False
    return True


def _head_rows(graph: Any) -> list[tuple[str, str]]:
    return _select(graph, HEAD_NOUN_QUERY, ("group", "word"))


def _rows(graph: Any) -> list[tuple[str, str, str]]:
    return _select(graph, _QUERY, ("s", "type", "label"))


def _select(graph: Any, query: str, names: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The query's rows as strings, from an rdflib graph or a pyoxigraph store (its named graphs
    and its default graph: a pyoxigraph store does not union them)."""
    try:
        import pyoxigraph
    except ImportError:  # pragma: no cover
        pyoxigraph = None
    if pyoxigraph is not None and isinstance(graph, pyoxigraph.Store):
        in_graphs = query.replace("WHERE {", "WHERE { GRAPH ?g {", 1) + " }"
        return [tuple(r[n].value for n in names) for q in (in_graphs, query) for r in graph.query(q)]
    return [tuple(str(v) for v in row) for row in graph.query(query)]
