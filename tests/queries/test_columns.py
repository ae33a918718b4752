"""Every named query's result columns have human heads in both languages (queries/columns.tsv)."""

from __future__ import annotations

import pytest
from rdflib.plugins.sparql import prepareQuery

from regkg.queries.columns import column_heads, column_label
from regkg.queries.library import library


def projected(sparql: str) -> list[str]:
    """The SELECT variables of a query, as rdflib's parser sees them."""
    algebra = prepareQuery(sparql).algebra
    return [str(v) for v in algebra.get("PV", [])]


@pytest.mark.parametrize("name", sorted(library()))
def test_every_column_and_parameter_of_a_named_query_has_a_head_in_both_languages(name):
    query = library()[name]
    names = projected(query.sparql) + [p.name for p in query.params]
    assert names, f"{name}: no columns found"
    missing = [v for v in names if column_label(v, "ja") is None or column_label(v, "en") is None]
    assert not missing, f"{name}: add these to queries/columns.tsv: {missing}"


def test_language_variants_take_their_stems_label_with_the_language_named():
    assert column_label("modality_ja", "ja") == "モダリティ（日本語）"
    assert column_label("modality_en", "en") == "Modality (English)"
    assert column_label("document_title", "en") == "Document title"


def test_an_ad_hoc_variable_keeps_its_name():
    assert column_label("my_own_column", "ja") is None
    assert column_heads(["my_own_column", "locator"], "ja") == {"my_own_column": "my_own_column", "locator": "所在"}


def test_a_page_shows_a_term_once_by_its_label_in_the_page_language():
    from regkg.queries.columns import page_columns

    variables = ["modality", "modality_ja", "modality_en", "document", "document_title", "locator", "provision", "priority"]
    ja = page_columns(variables, "ja")
    assert [c["name"] for c in ja] == ["modality_ja", "document_title", "locator", "priority"]
    assert ja[0] == {"name": "modality_ja", "head": "モダリティ", "link": "modality", "fallback": "modality_en",
                     "boolean": False}
    assert [c["link"] for c in ja[1:]] == ["document", "provision", ""]
    assert [c["head"] for c in page_columns(variables, "en")][:2] == ["Modality", "Document title"]
    assert [c["name"] for c in page_columns(["document", "locator"], "ja")] == ["document", "locator"]  # nothing names it


def test_a_term_without_labels_is_linked_from_the_column_that_names_it():
    from regkg.queries.columns import page_columns

    shown = page_columns(["rule", "criterion_ja", "criterion_en", "priority"], "ja")
    assert [(c["name"], c["link"]) for c in shown] == [("criterion_ja", "rule"), ("priority", "")]


def test_a_column_of_booleans_is_known_as_one_and_shown_as_yes_or_no():
    import pyoxigraph as ox

    from regkg.graph.store import SelectResult
    from regkg.queries.columns import XSD_BOOLEAN, boolean_columns, page_columns

    yes = ox.Literal("true", datatype=ox.NamedNode(XSD_BOOLEAN))
    result = SelectResult(["outside_asrm", "priority", "criterion_ja"], [
        {"outside_asrm": yes, "priority": ox.Literal("1"), "criterion_ja": ox.Literal("true")},
        {"outside_asrm": None, "priority": ox.Literal("2"), "criterion_ja": None}])
    assert boolean_columns(result) == {"outside_asrm"}  # a plain string "true" is text, not a boolean
    shown = page_columns(result.variables, "ja", boolean_columns(result))
    assert [c["boolean"] for c in shown] == [True, False, False]
