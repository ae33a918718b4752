"""The classifier's form: labelled controls, and defaults a modality implies, read from its facets in the graph."""

from __future__ import annotations

import pyoxigraph as ox

from regkg.queries.modalities import all_modalities
from regkg.queries.therapy_form import fields, modality_attributes

_GENE_MODIFIED = "SELECT ?v WHERE { ?m rko:geneModified ?v }"


def test_every_default_is_a_value_the_form_offers(store):
    offered = {f["name"]: {o["value"] for o in f["options"]} or {"true", "false"} for f in fields(store)
               if f["control"] != "text"}
    for modality in all_modalities(store):
        for name, value in modality_attributes(store, modality["iri"]).items():
            assert value in offered[name], (modality["id"], name, value)


def test_a_modalitys_own_gene_flag_answers_the_gene_question(store):
    checked = 0
    for modality in all_modalities(store):
        own = store.select(_GENE_MODIFIED, {"m": ox.NamedNode(modality["iri"])}).rows
        if own:
            checked += 1
            assert modality_attributes(store, modality["iri"])["gene_introduced"] == own[0]["v"].value, modality["id"]
    assert checked


def test_a_facet_value_the_classifier_does_not_name_is_read_through_its_broader_value(store):
    # gene-modified cells are "genetically engineered", a kind of "processed" (加工), which the classifier calls cultured
    implied = modality_attributes(store, "https://w3id.org/regkg/id/modality/gene-modified-cells")
    assert implied == {"material": "cells", "processing": "cultured", "gene_introduced": "true"}


def test_every_choice_reads_as_words_on_a_japanese_page(store):
    from regkg.api.i18n import VALUE_WORDS

    for field in fields(store, VALUE_WORDS):
        for option in field["options"]:
            assert option["label_ja"] != option["value"] and option["label_en"], (field["name"], option)
