"""Modifiers onto the modality hierarchy: "MSC … from adipose tissue" means adipose-derived MSC.

People name a modality by a general head (MSC, iPS細胞, cell therapy) plus
modifiers (autologous / 自家, allogeneic / 他家, adipose / 脂肪, cord / 臍帯 …).
A narrower modality's labels say what sets it apart from its broader one:
the words of its labels that the broader one's labels and the generic words
(cells, derived, 由来 …) do not have. When such a word appears in the
question, the linked general modality is replaced by the narrower one that
matches most of them. Everything comes from the graph's labels and hierarchy,
so a new modality with its labels needs no code.
"""

from __future__ import annotations

import re
from dataclasses import replace

from regkg.graph.store import GraphStore
from regkg.queries.bounded_cache import BoundedCache
from regkg.queries.library import get_query
from regkg.queries.linking import EntityLinker, Linked
from regkg.queries.retrieval.tokens import STOP_WORDS, language, normalize

_WORD = re.compile(r"[a-z0-9]+")


def descendants(children: dict[str, list[str]], iri: str) -> list[str]:
    """Every modality below ``iri`` (breadth first)."""
    out: list[str] = []
    queue = list(children.get(iri, []))
    while queue:
        node = queue.pop(0)
        if node not in out:
            out.append(node)
            queue.extend(children.get(node, []))
    return out


def _labels(linker: EntityLinker, iri: str) -> list[str]:
    return [normalize(label) for labels in linker.labels.get(iri, {}).values() for label in labels]


def distinguishing(linker: EntityLinker, narrower: str, broader: str, generic: frozenset[str]) -> set[str]:
    """Words of the narrower modality's labels that its broader modality's labels lack."""
    broad = _labels(linker, broader)
    broad_words = {w for label in broad for w in _WORD.findall(label)}
    out: set[str] = set()
    for label in _labels(linker, narrower):
        if language(label) == "en":
            out |= {w for w in _WORD.findall(label)
                    if len(w) >= 3 and w not in broad_words and w not in STOP_WORDS and w not in generic}
            continue
        rest = label
        for b in sorted(broad + sorted(g for g in generic if language(g) == "ja"), key=len, reverse=True):
            rest = rest.replace(b, " ")
        out |= {piece for piece in re.split(r"[\s・（）()、,/]+", rest) if len(piece) >= 2 and language(piece) == "ja"}
    return out


#: How far an exclusion cue reaches: English "besides X" after it, Japanese 「X以外」 before it.
EXCLUSION_REACH = 30


def excluded_spans(text: str, cues: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans a question sets aside ("besides bone marrow", 「骨髄以外」)."""
    spans = []
    for cue in cues:
        for m in re.finditer(re.escape(cue), text):
            if language(cue) == "ja":
                spans.append((max(0, m.start() - EXCLUSION_REACH), m.start()))
            else:
                spans.append((m.end(), m.end() + EXCLUSION_REACH))
    return spans


def _occurs(text: str, word: str, outside: list[tuple[int, int]]) -> bool:
    pattern = re.escape(word) if language(word) == "ja" else r"(?<![a-z0-9])" + re.escape(word) + r"(?![a-z0-9])"
    return any(not any(s <= m.start() < e for s, e in outside) for m in re.finditer(pattern, text))


def refine(q: str, linked: list[Linked], linker: EntityLinker, children: dict[str, list[str]],
           generic: frozenset[str], exclusions: tuple[str, ...] = ()) -> list[Linked]:
    """Links with each general modality replaced by the narrower one the question's modifiers name
    (not by modifiers the question sets aside with ``exclusions``: "besides", 以外 …)."""
    text = normalize(q)
    if len(text) != len(q):
        text = q.lower()
    aside = excluded_spans(text, exclusions)
    out: list[Linked] = []
    for link in linked:
        best: tuple[int, int, str] | None = None  # (words matched, -words unmatched, iri)
        if link.type == "Modality":
            for narrower in descendants(children, link.iri):
                words = distinguishing(linker, narrower, link.iri, generic)
                hits = sum(_occurs(text, w, [(link.start, link.end), *aside]) for w in words)
                if hits and (best is None or (hits, -len(words)) > best[:2]):
                    best = (hits, -len(words), narrower)
        out.append(replace(link, iri=best[2], method="modifier") if best else link)
    return out


_HIERARCHIES: BoundedCache[str, dict[str, list[str]]] = BoundedCache(2)


def get_children(store: GraphStore) -> dict[str, list[str]]:
    """Each modality's narrower modalities in this store's build (keyed by build id, like the linker)."""
    return _HIERARCHIES.get_or_create(store.build_id or f"memory-{id(store)}", lambda: children_of(store))


def children_of(store: GraphStore) -> dict[str, list[str]]:
    children: dict[str, set[str]] = {}
    for r in get_query("modality-hierarchy").run(store).rows:
        if r.get("broader") is not None:
            children.setdefault(r["broader"].value, set()).add(r["modality"].value)
    return {broader: sorted(narrower) for broader, narrower in children.items()}
