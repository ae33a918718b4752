"""Run HermiT over the risk-class axioms for a batch of complete therapy descriptions.

A HermiT run starts a JVM (about a second), so classifying one description per
run would miss the 1 s target. Instead every complete description the
attribute vocabulary allows is classified in one run, once per axioms file
version, and the result table is kept in memory and on disk (keyed by the hash
of ``risk-class-axioms.ttl``). A lookup then costs microseconds; the reasoner
still decides every entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from regkg.ontology.load import ONTOLOGY_DIR
from regkg.ontology.namespaces import RKO

AXIOMS_FILE = ONTOLOGY_DIR / "risk-class-axioms.ttl"
THERAPY_NS = "https://w3id.org/regkg/id/therapy/"

# Triples that document a class rather than constrain it; HermiT does not need them.
_DOCUMENTATION = {RKO.citation, RKO.encodesRule, RKO.priority, RDFS.label, SKOS.definition}

Description = tuple[tuple[str, object], ...]
"""A complete description: sorted (attribute, value) pairs; values are IRIs or booleans."""


def axioms_hash(path: Path = AXIOMS_FILE) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def logical_graph(path: Path = AXIOMS_FILE) -> Graph:
    """The axioms without their documentation (labels, citations, priorities)."""
    full = Graph().parse(path, format="turtle")
    citation_nodes = {o for o in full.objects(None, RKO.citation) if isinstance(o, BNode)}
    logical = Graph()
    for s, p, o in full:
        if p in _DOCUMENTATION or s in citation_nodes:
            continue
        logical.add((s, p, o))
    return logical


def _key(description: Description) -> str:
    return json.dumps([[k, v] for k, v in description], ensure_ascii=False)


def run_hermit(descriptions: list[Description], properties: Mapping[str, str], path: Path = AXIOMS_FILE) -> dict[str, list[str]]:
    """Classify each description with HermiT; return key → IRIs of the named classes it belongs to.

    ``properties`` maps attribute names to the IRIs of the functional datatype
    properties that carry them in the axioms (facet slugs or booleans).
    """
    import owlready2

    world = owlready2.World()
    with tempfile.TemporaryDirectory() as tmp:
        nt = Path(tmp) / "axioms.nt"
        logical_graph(path).serialize(nt, format="nt", encoding="utf-8")
        onto = world.get_ontology(nt.as_uri()).load()
    therapy_class = world[str(RKO.DescribedTherapy)]
    data = world.get_ontology(THERAPY_NS)
    individuals = []
    with data:
        for n, description in enumerate(descriptions):
            ind = therapy_class(f"t{n}", namespace=data)
            for attribute, value in description:
                setattr(ind, world[properties[attribute]].python_name, value)
            individuals.append(ind)
        owlready2.sync_reasoner_hermit([onto, data], infer_property_values=False, debug=0)
    named = str(RKO)
    return {
        _key(description): sorted(c.iri for c in ind.INDIRECT_is_a if isinstance(c, owlready2.ThingClass) and c.iri.startswith(named))
        for description, ind in zip(descriptions, individuals)
    }


CHUNK = 40
"""Individuals per HermiT run: HermiT's cost grows with the square of the ABox, the JVM start is fixed."""


def _run_chunk(args: tuple[list[Description], dict[str, str]]) -> dict[str, list[str]]:
    descriptions, properties = args
    return run_hermit(descriptions, properties)


def classify_all(descriptions: list[Description], properties: Mapping[str, str], workers: int = 2) -> dict[str, list[str]]:
    """Classify many descriptions in chunks, two HermiT processes at a time."""
    from concurrent.futures import ProcessPoolExecutor

    chunks = [(descriptions[i:i + CHUNK], dict(properties)) for i in range(0, len(descriptions), CHUNK)]
    table: dict[str, list[str]] = {}
    if workers <= 1 or len(chunks) == 1:
        for chunk in chunks:
            table.update(_run_chunk(chunk))
        return table
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for part in pool.map(_run_chunk, chunks):
            table.update(part)
    return table


class ClassificationTable:
    """Reasoner results for every complete description, computed once per axioms version.

    Kept in memory and in ``cache_dir`` (named by the axioms hash), so only the
    first process after an axioms change pays for the reasoner runs.
    """

    def __init__(self, descriptions: Iterable[Description], properties: Mapping[str, str], cache_dir: Path | None = None) -> None:
        self._descriptions = list(descriptions)
        self._properties = dict(properties)
        self._cache_dir = cache_dir
        self._table: dict[str, list[str]] | None = None
        self._lock = threading.Lock()

    def _cache_file(self) -> Path | None:
        if self._cache_dir is None:
            return None
        return self._cache_dir / f"risk-class-table-{axioms_hash()}-{len(self._descriptions)}.json"

    def table(self) -> dict[str, list[str]]:
        with self._lock:
            if self._table is None:
                self._table = self._load() or self._compute()
            return self._table

    def _load(self) -> dict[str, list[str]] | None:
        cache = self._cache_file()
        if cache is None or not cache.is_file():
            return None
        try:
            return json.loads(cache.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _compute(self) -> dict[str, list[str]]:
        table = classify_all(self._descriptions, self._properties)
        cache = self._cache_file()
        if cache is not None:
            try:
                cache.parent.mkdir(parents=True, exist_ok=True)
                tmp = cache.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
                os.replace(tmp, cache)
            except OSError:
                pass  # a read-only data directory only costs the next process a reasoner run
        return table

    def classes_of(self, description: Description) -> list[str]:
        return self.table()[_key(description)]
