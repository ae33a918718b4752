"""The classifier's attributes come from the curated graph: what the file says is what classify, the CLI help and
the form use, and a word that would name two values is refused rather than guessed."""

from __future__ import annotations

import shutil

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF
from typer.testing import CliRunner

from regkg.ontology.load import ONTOLOGY_DIR
from regkg.queries.classify import classify
from regkg.queries.reasoning import AXIOMS_FILE
from regkg.queries.therapy_attributes import SOURCES, outcomes, vocabulary


def test_every_deciding_attribute_is_a_property_of_the_reasoners_description():
    axioms = Graph().parse(AXIOMS_FILE, format="turtle")
    deciding = {name: spec for name, spec in vocabulary().attributes.items() if not spec.get("informational")}
    assert {"material", "cell_kind", "origin", "processing", "purpose"} <= set(deciding)
    for name, spec in deciding.items():
        assert (URIRef(spec["property"]), RDF.type, OWL.DatatypeProperty) in axioms, name


def test_outcomes_cover_the_outcome_classes_of_the_axioms():
    assert outcomes() == {"OutsideAsrmTherapy": None, "AsrmClassI": "class-1", "AsrmClassII": "class-2",
                          "AsrmClassIII": "class-3"}


@pytest.mark.parametrize("typed, attribute, expected", [
    ("iPS細胞", "cell_kind", "ips"),            # a facet's preferred label
    ("adult stem cells", "cell_kind", "somatic-stem"),  # a facet's alternative label
    ("MSC", "cell_kind", "somatic-stem"),        # a hidden input variant
    ("修復", "purpose", "reconstruction"),
    ("はい", "homologous_use", True),
    ("ｎｏ", "gene_introduced", False),           # full-width, as some keyboards type it
])
def test_words_users_type_map_to_the_values_the_graph_gives(typed, attribute, expected):
    answer = classify({"material": "cells", attribute: typed})
    assert answer["attributes"][attribute] == expected


def test_unknown_answers_leave_the_attribute_open():
    answer = classify({"material": "cells", "origin": "不明", "cell_kind": "ips"})
    assert "origin" not in answer["attributes"]


def test_a_word_naming_two_values_is_refused(tmp_path):
    for name in SOURCES:
        shutil.copy(ONTOLOGY_DIR / name, tmp_path / name)
    path = tmp_path / "therapy-attributes.ttl"
    path.write_text(path.read_text(encoding="utf-8") + '\nfacet:allogeneic skos:hiddenLabel "auto" .\n', encoding="utf-8")
    with pytest.raises(ValueError, match="'auto' names two values of 'origin'"):
        vocabulary(tmp_path)


def test_cli_help_lists_the_values_from_the_graph():
    from regkg.api.cli import app

    result = CliRunner().invoke(app, ["classify", "--help"], env={"COLUMNS": "400"})
    assert result.exit_code == 0
    for value in vocabulary().attributes["purpose"]["values"] + vocabulary().attributes["cell_kind"]["values"]:
        assert value in result.output
