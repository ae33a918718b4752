"""SHACL and OWL checks on the real ontology, and on deliberately broken data."""

import shutil

from rdflib import Graph

from regkg.ontology.load import ONTOLOGY_DIR
from regkg.ontology.validate import owl_check, shacl_check, validate


def test_curated_knowledge_conforms_and_is_consistent():
    report = validate()
    assert report.conforms, report.shacl_text[:3000]
    assert report.owl_consistent, report.owl_message


BROKEN = """
@base <https://w3id.org/regkg/id/> .
@prefix rko: <https://w3id.org/regkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<modality/unlabelled-thing> a rko:Modality ;
    skos:prefLabel "名前だけ"@ja .

<requirement/uncited> a rko:Requirement ;
    skos:prefLabel "出典なし"@ja , "no source"@en ;
    rko:appliesTo <modality/msc> ; rko:requires <test/sterility-test> ; rko:deonticForce rko:Must .

<requirement/cites-nothing-real> a rko:Requirement ;
    skos:prefLabel "架空の出典"@ja , "made-up source"@en ;
    rko:appliesTo <modality/msc> ; rko:requires <test/sterility-test> ; rko:deonticForce rko:Must ;
    rko:citation [ dcterms:source <doc/does-not-exist> ; rko:locator "p. 1" ] .
"""


def _validate_with(tmp_path, name: str, turtle: str):
    """The validation report of the curated knowledge with one more (broken) Turtle file beside it."""
    onto = tmp_path / "onto"
    shutil.copytree(ONTOLOGY_DIR, onto, ignore=shutil.ignore_patterns("*.py", "__pycache__", "*.md"))
    (onto / name).write_text(turtle, encoding="utf-8")
    return validate(onto, owl=False)


def test_broken_fixture_fails_with_a_readable_report(tmp_path):
    report = _validate_with(tmp_path, "zz-broken.ttl", BROKEN)
    assert not report.conforms
    text = report.shacl_text
    assert "needs exactly one English skos:prefLabel" in text
    assert "needs a risk-class rule" in text
    assert "needs at least one rko:citation" in text
    assert "rko:Document in the graph" in text
    assert "unlabelled-thing" in text and "requirement/uncited" in text


def test_reasoner_detects_contradictions():
    g = Graph().parse(data="""
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix ex: <http://example.org/> .
        ex:A a owl:Class . ex:B a owl:Class . ex:A owl:disjointWith ex:B .
        ex:x a ex:A , ex:B .
    """, format="turtle")
    consistent, message = owl_check(g)
    assert not consistent and "inconsisten" in message.lower()


def test_shapes_catch_a_bad_law_id():
    g = Graph().parse(data="""
        @prefix rko: <https://w3id.org/regkg/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://w3id.org/regkg/id/law/x> a rko:LegalDocument ; rko:lawId "not-a-law-id" ;
            rko:documentNumber "n" ; rko:documentKind "act" .
    """, format="turtle")
    conforms, text, _ = shacl_check(g)
    assert not conforms and "not-a-law-id" in text


BROKEN_ATTRIBUTE = """
@prefix rko: <https://w3id.org/regkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://w3id.org/regkg/id/therapy-attribute/> .

ex:colour a rko:TherapyAttribute ;
    skos:notation "colour" ; rko:order 99 ;
    skos:prefLabel "色"@ja , "Colour"@en ;
    rko:question "色は何か"@ja ;
    rko:valueType "choice" ;
    rko:allowedValues ( ex:blue ) .
ex:blue a skos:Concept ; skos:prefLabel "青"@ja .

ex:dose a rko:TherapyAttribute ;
    skos:notation "Dose-Level" ; rko:order 98 ;
    skos:prefLabel "用量"@ja , "Dose"@en ;
    rko:question "用量"@ja , "Dose"@en ;
    rko:valueType "number" ; rko:informational true .
"""


def test_broken_therapy_attribute_fails_validation(tmp_path):
    """The classifier's attributes are data under shapes: a half-written one is caught before the classifier reads it."""
    report = _validate_with(tmp_path, "zz-broken-attribute.ttl", BROKEN_ATTRIBUTE)
    assert not report.conforms
    text = report.shacl_text
    assert "exactly one English rko:question" in text
    assert "lists its values (rko:allowedValues)" in text  # ex:blue has no English label
    assert "rko:valueType: choice, boolean or text" in text
    assert "one name (skos:notation" in text
    assert "colour" in text and "dose" in text


BROKEN_EVIDENCE = """
@base <https://w3id.org/regkg/id/> .
@prefix rko: <https://w3id.org/regkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<requirement/must-on-a-summary> a rko:Requirement ;
    skos:prefLabel "二次資料だけの義務"@ja , "duty from a summary only"@en ;
    rko:appliesTo <modality/msc> ; rko:requires <test/sterility-test> ; rko:deonticForce rko:Must ;
    rko:citation [ dcterms:source <doc/001-4cca66a7f5034154> ; rko:locator "§4" ] .

<requirement/should-on-a-summary> a rko:Requirement ;
    skos:prefLabel "二次資料だけの推奨"@ja , "recommendation from a summary only"@en ;
    rko:appliesTo <modality/msc> ; rko:requires <test/sterility-test> ; rko:deonticForce rko:Should ;
    rko:citation [ dcterms:source <doc/001-4cca66a7f5034154> ; rko:locator "§4" ] .

<requirement/secondary-column-as-notice> a rko:Requirement ;
    skos:prefLabel "通知扱いの二次資料"@ja , "secondary column read as a notice"@en ;
    rko:appliesTo <modality/msc> ; rko:requires <test/sterility-test> ; rko:deonticForce rko:Should ;
    rko:citation [ dcterms:source <doc/mhlw-misc-notices> ; rko:locator "§ 再生医療等に関する記録 (secondary)" ] .
"""


def test_secondary_evidence_is_labelled_and_never_carries_a_must_or_should(tmp_path):
    """A summary by a third party is not the law it summarises: its section says so, and it makes neither a
    Must nor a Should (rko:Unverified says what it is)."""
    text = _validate_with(tmp_path, "zz-broken-evidence.ttl", BROKEN_EVIDENCE).shacl_text
    assert text.count("Message: a Must or Should requirement needs a citation that is neither a secondary summary") == 2
    assert 'locator says "(secondary" states rko:evidence rko:EvidenceSecondary' in text
    assert "must-on-a-summary" in text and "should-on-a-summary" in text


BROKEN_LOCATOR_FORM = """
@prefix rko: <https://w3id.org/regkg/ontology#> .

[] a rko:LocatorForm ; rko:forLocator "§ no citation writes this, l. 1" ; rko:localForm "§ どの引用にもない, l. 1"@ja .
[] a rko:LocatorForm ; rko:forLocator "第2条（第一種再生医療等技術）— item text not in corpus" ;
    rko:localForm "an English form"@en .
"""


def test_a_locator_form_renders_a_written_locator_in_japanese(tmp_path):
    text = _validate_with(tmp_path, "zz-broken-locator-form.ttl", BROKEN_LOCATOR_FORM).shacl_text
    assert "renders a locator that no citation writes" in text
    assert "has one Japanese form" in text


BROKEN_READING = """
@prefix rko: <https://w3id.org/regkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<https://w3id.org/regkg/id/classification-reading/uncited> a rko:ClassificationReading ;
    rko:readingOf rko:ClassICriterionAllogeneic ;
    rko:readingTakes [ rko:attribute rko:NotAnAttribute ; rko:attributeValue <https://w3id.org/regkg/id/facet/autologous> ] ;
    rdfs:comment "a reading said in English only"@en .
"""


def test_a_classification_reading_is_cited_said_in_both_languages_and_names_real_attributes(tmp_path):
    text = _validate_with(tmp_path, "zz-broken-reading.ttl", BROKEN_READING).shacl_text
    assert "cites the source that reads it so" in text
    assert "what the source reads, in Japanese" in text
    assert "a reading's values name a classifier attribute" in text
