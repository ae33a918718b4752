"""Hybrid semantic search over provisions and passages (``GET /search``, ``regkg search``).

BM25 over Sudachi-normalised / lower-cased terms and dense sentence embeddings
(and, for an English question, the multilingual encoder's sentence vectors, which
place it beside the Japanese sentences that say the same) are fused by reciprocal
rank fusion; units that mention entities the query
links to rank higher, as do those of a document it names as its source and those holding a phrase
it quotes; and the query is expanded with the other language's
labels of those entities — the cross-lingual bridge that lets an English query
find Japanese text (and the reverse) through the graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from regkg.config import MAX_QUESTION_CHARS
from regkg.graph.store import GraphStore
from regkg.ontology.namespaces import expand_curie
from regkg.queries.embed import multilingual_encoder
from regkg.queries.errors import InputError
from regkg.queries.linking import EntityLinker, Linked, get_linker
from regkg.queries.named_provisions import named_provisions
from regkg.queries.quotations import holds, quoted_phrases
from regkg.queries.retrieval.bridge import SOURCES, Bridge
from regkg.queries.retrieval.index import SearchIndex, get_index, warm
from regkg.queries.retrieval.tokens import main_language, squash, terms
from regkg.queries.retrieval.topk import best_first

MAX_QUERY = MAX_QUESTION_CHARS
MAX_K = 100
#: Reciprocal-rank-fusion constant; smaller lets a clear first place in one ranking count (chosen on the dev sets).
RRF_K = 20
#: Bridge labels count less than the user's own words in BM25.
BRIDGE_WEIGHT = 0.3
#: Weight, in the fusion, of the dense (embedding) ranking.
DENSE_FUSION = 0.5
#: How many dense candidates enter the fusion.
DENSE_CANDIDATES = 100
#: Weight, in the fusion, of the multilingual encoder's ranking, by the question's language. English
#: questions over the mostly Japanese corpus gain (dev_qa_large English answer passage in the top 5:
#: 41 → 44 of 50, same from 1.0 to 2.0); Japanese ones do not (47 → 46), so they go without.
CROSSLINGUAL_FUSION = {"en": 1.0}
#: Weight of the entity boost, in units of a first-rank RRF contribution.
ENTITY_BOOST = 1.0
#: Boost, in the same units, of the units of a document the query names as its source ("according
#: to the MSC review", "the Niigata press release"). Chosen on the dev sets: dev_qa_large passage
#: top 5 84 → 87, exact 66 → 67, retrieval sets unchanged.
DOCUMENT_BOOST = 1.0
#: Kinds of document whose name names a regime more than a text: "under the ASRM" asks about what
#: the Act, its order, regulation and notices require together, so the Act's own text is not
#: preferred (boosting it cost 7 dev answers).
REGIME_KINDS = ("act",)
#: Boost, in the same units, of the units of a provision the query names ("ASRM Article 5",
#: 「施行令第1条」): the article's text is what such a question asks about.
PROVISION_BOOST = 1.0
#: Boost, in the same units, of a unit that holds a phrase the query quotes word for word
#: (「臨床試験の試験成績に関する資料その他の資料」): the quote was copied from it. Only the best
#: QUOTE_CANDIDATES units are compared, so a quote costs no scan of a large corpus.
QUOTE_BOOST = 1.0
QUOTE_CANDIDATES = 100
UNIT_TYPES = {"passage": ("Passage",), "provision": ("Paragraph", "Article"),
              "paragraph": ("Paragraph",), "article": ("Article",)}

__all__ = ["search", "search_in", "rank", "warm", "check_query", "Ranked"]


@dataclass(frozen=True)
class Ranked:
    unit: int  # index into SearchIndex.units
    score: float


def check_query(q: str | None) -> str:
    """The stripped query, or InputError for empty or oversized input."""
    q = (q or "").strip()
    if not q:
        raise InputError("the query is empty")
    if len(q) > MAX_QUERY:
        raise InputError(f"the query is {len(q)} characters long; the limit is {MAX_QUERY}")
    return q


def search(store: GraphStore, q: str, k: int = 10, lang: str | None = None, type: str | None = None,
           document: str | None = None) -> dict:
    """The ``/search`` JSON: best-first hits with text, score, document, title, locator, IRI and entities.

    ``lang`` keeps units in that language (``ja``/``en``); ``type`` keeps a unit
    type (``passage``, ``provision``) or units mentioning an entity of that class
    (``Modality``, ``rko:Risk``); ``document`` keeps one document (IRI, CURIE or
    id) or one document kind (``act``, ``guidance``, …).
    """
    q = check_query(q)
    if not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise InputError(f"k must be an integer from 1 to {MAX_K}")
    if lang not in (None, "", "ja", "en"):
        raise InputError("lang must be 'ja' or 'en'")
    return search_in(get_index(store), get_linker(store), q, k, lang or None, type or None, document or None)


def search_in(index: SearchIndex, linker: EntityLinker, q: str, k: int = 10, lang: str | None = None,
              type: str | None = None, document: str | None = None) -> dict:
    """``search`` on a given index and linker (input already checked)."""
    keep = _filter(index, linker, lang, type, document)
    hits = rank(index, linker, q, keep=keep, limit=k)
    return {"query": q, "hits": [hit_json(index, linker, h) for h in hits]}


def rank(index: SearchIndex, linker: EntityLinker, q: str, keep: np.ndarray | None = None,
         bridge: bool = True, dense: bool = True, linked: list[Linked] | None = None,
         limit: int | None = None, sources: Sequence[str] = SOURCES, crosslingual: bool = True) -> list[Ranked]:
    """All matching units (or the best ``limit``), best first.

    ``bridge=False`` turns the cross-lingual expansion off, ``sources`` chooses the
    bridge table's resources, ``dense=False`` turns the embeddings off and
    ``crosslingual=False`` the multilingual encoder, so the evaluation can measure
    what each part adds.
    """
    if linked is None:
        linked = linker.link(q)
    lang = main_language(q)
    extra = linker.bridge_terms(linked, lang) if bridge else []
    own = terms(q)
    weights = {t: BRIDGE_WEIGHT for t in terms(" ".join(extra)) if t not in own}
    table = index.bridge(sources) if bridge and sources else None
    if table is None:
        lexical = index.bm25.scores(own + sorted(weights), weights)
    else:
        # each word with its translations is one BM25 term, so text in either language can match it
        lexical = index.bm25.concept_scores(table.concepts(q) + [{t: w} for t, w in sorted(weights.items())])
    rankings = [(1.0, best_first(lexical))]
    if dense:
        query = query_vector(index, q, table)
        rankings.append((DENSE_FUSION, best_first(index.dense().unit_scores(query, DENSE_CANDIDATES),
                                                  DENSE_CANDIDATES)))
        weight = CROSSLINGUAL_FUSION.get(lang, 0.0) if crosslingual else 0.0
        if weight:
            scores = index.crosslingual().unit_scores(crosslingual_vector(q), DENSE_CANDIDATES)
            rankings.append((weight, best_first(scores, DENSE_CANDIDATES)))
    fused = np.zeros(len(index.units), dtype=np.float64)
    for weight, order in rankings:
        fused[order] += weight / (RRF_K + 1 + np.arange(len(order)))
    entities = {link.iri for link in linked}
    if entities:
        fused += ENTITY_BOOST * index.entity_share(entities) / (RRF_K + 1) * (fused > 0)
    documents = linker.document_links(q)
    named = linker.named_documents(q)
    if named:
        own = index.column("document").isin(named) & ~index.column("kind").isin(REGIME_KINDS)
        fused += DOCUMENT_BOOST * own / (RRF_K + 1) * (fused > 0)
    provisions = named_provisions(q, documents)
    if provisions:
        units = index.provision_units(provisions)
        fused[units] += PROVISION_BOOST / (RRF_K + 1)
    phrases = quoted_phrases(q)
    if phrases:
        for i in best_first(fused, QUOTE_CANDIDATES):
            text = squash(index.units[i].text)
            if any(holds(text, p) for p in phrases):
                fused[i] += QUOTE_BOOST / (RRF_K + 1)
    if keep is not None:
        fused = np.where(keep, fused, 0.0)
    return [Ranked(int(i), float(fused[i])) for i in best_first(fused, limit)]


@lru_cache(maxsize=256)
def crosslingual_vector(q: str) -> np.ndarray:
    """The question in the multilingual encoder's space (kept: ranking and reader both ask)."""
    return multilingual_encoder().encode([q])[0]


def query_vector(index: SearchIndex, q: str, table: Bridge | None) -> np.ndarray:
    """The question's embedding; the vectors know Japanese only, so with a bridge the question is
    embedded with its English words' translations."""
    gloss = table.gloss(q) if table is not None else ""
    return index.encoder.encode([(q + " " + gloss).strip()])[0]


def hit_json(index: SearchIndex, linker: EntityLinker, hit: Ranked) -> dict:
    u = index.units[hit.unit]
    return {
        "text": u.text, "score": round(hit.score, 6), "document": u.document, "title": u.title,
        "locator": u.locator, "iri": u.iri,
        "entities": [{"iri": e, "label": linker.pref_label(e, u.lang) or linker.pref_label(e, "en"),
                      "type": linker.types.get(e, "")} for e in u.entities],
    }


def _filter(index: SearchIndex, linker: EntityLinker, lang: str | None, type: str | None,
            document: str | None) -> np.ndarray | None:
    if not (lang or type or document):
        return None
    keep = np.ones(len(index.units), dtype=bool)
    if lang:
        keep &= index.column("lang").isin([lang])
    if type:
        keep &= _type_mask(index, linker, type)
    if document:
        keep &= _document_mask(index, document)
    return keep


def _type_mask(index: SearchIndex, linker: EntityLinker, type: str) -> np.ndarray:
    unit_types = UNIT_TYPES.get(type.lower())
    if unit_types:
        return index.column("type").isin(unit_types)
    name = type.split(":", 1)[-1].rsplit("#", 1)[-1]
    known = set(linker.types.values())
    if name not in known:
        raise InputError(f"unknown type {type!r}; use passage, provision, article, paragraph "
                         f"or an entity class: {', '.join(sorted(known))}")
    mask = np.zeros(len(index.units), dtype=bool)
    for entity, units in index.entity_units().items():
        if linker.types.get(entity) == name:
            mask[units] = True
    return mask


def _document_mask(index: SearchIndex, document: str) -> np.ndarray:
    kinds = set(index.column("kind").values) - {""}
    if document in kinds:
        return index.column("kind").isin([document])
    try:
        iri = expand_curie(document) if ":" in document else None
    except ValueError:
        iri = None
    wanted = {document, iri, f"https://w3id.org/regkg/id/doc/{document}", f"https://w3id.org/regkg/id/law/{document}"}
    mask = index.column("document").isin(w for w in wanted if w)
    if not mask.any():
        raise InputError(f"unknown document {document!r}; give a document IRI, CURIE or id, "
                         f"or a document kind: {', '.join(sorted(kinds))}")
    return mask
