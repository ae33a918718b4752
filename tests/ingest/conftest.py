"""Shared fixtures: the corpus location, ja_ginza loaded once, a lexicon from the ontology files."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SKOS

from regkg.ingest.annotate import Annotator
from regkg.ingest.lexicon import Lexicon
from regkg.ingest.nlp import load_tokenizer

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
RKO = rdflib.Namespace("https://w3id.org/regkg/ontology#")
ID = rdflib.Namespace("https://w3id.org/regkg/id/")


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not present")
    return CORPUS


@pytest.fixture(scope="session")
def ontology_graph() -> rdflib.Graph:
    """The ontology files present now, plus a few labels the tests rely on whatever the curated files say."""
    g = rdflib.Graph()
    for ttl in sorted((REPO / "ontology").glob("*.ttl")):
        g.parse(ttl)
    msc = ID["modality/msc"]
    g.add((msc, RDF.type, RKO.Modality))
    for label in ("間葉系幹細胞", "MSC", "mesenchymal stem cell"):
        g.add((msc, SKOS.altLabel, rdflib.Literal(label)))
    sterility = ID["test/sterility-test"]
    g.add((sterility, RDF.type, RKO.Test))
    g.add((sterility, SKOS.prefLabel, rdflib.Literal("無菌試験", lang="ja")))
    g.add((sterility, SKOS.altLabel, rdflib.Literal("sterility test", lang="en")))
    return g


@pytest.fixture(scope="session")
def lexicon(ontology_graph: rdflib.Graph) -> Lexicon:
    return Lexicon.from_graph(ontology_graph)


@pytest.fixture(scope="session")
def annotator(lexicon: Lexicon) -> Annotator:
    return Annotator(lexicon, load_tokenizer())
