"""The named-query library: headers, parameter handling and real answers on the product graph."""

import pyoxigraph as ox
import pytest

from regkg.queries.errors import NotFound
from regkg.queries.library import QueryUsageError, get_query, library

REGKG = "https://w3id.org/regkg/id/"


def run(store, name, **params):
    return get_query(name).run(store, params)


def test_library_has_the_competency_questions():
    names = set(library())
    assert len(names) >= 15
    for needed in ("modality-requirements", "modality-risks", "risk-tests", "plan-items", "procedure-steps",
                   "requirement-provisions", "provision-entities", "documents-by-issuer", "label-lookup",
                   "modality-hierarchy"):
        assert needed in names


@pytest.mark.parametrize("name", sorted(library()))
def test_every_query_answers_its_documented_example(store, name):
    query = library()[name]
    missing = [p.name for p in query.params if p.required and p.name not in query.example]
    assert not missing, f"{name}: add '# example:' values for {missing}"
    assert query.run(store, query.example).rows, f"{name} returned nothing for its example {query.example}"


def test_unknown_query_names_the_valid_ones():
    with pytest.raises(NotFound) as info:
        get_query("no-such-query")
    assert "modality-risks" in str(info.value)


def test_missing_and_unknown_parameters_are_reported():
    query = get_query("modality-risks")
    with pytest.raises(QueryUsageError, match="needs parameter"):
        query.bindings({})
    with pytest.raises(QueryUsageError, match="no parameter colour"):
        query.bindings({"modality": "regkg:modality/msc", "colour": "red"})
    with pytest.raises(QueryUsageError, match="not an IRI"):
        query.bindings({"modality": "msc"})


def nearest_rules(store, modality):
    rows = run(store, "modality-risk-class", modality=modality).rows
    nearest = min(int(r["distance"].value) for r in rows)
    return [r for r in rows if int(r["distance"].value) == nearest], rows


def test_ips_derived_therapy_is_class_one_with_citation(store):
    nearest, rows = nearest_rules(store, "regkg:modality/ips-derived-cells")
    assert {r["risk_class"].value for r in nearest if r["risk_class"] is not None} == {REGKG + "risk-class/class-1"}
    assert all(r["document"] is not None and r["locator"] is not None for r in rows)
    # broader rules (e.g. the exclusions stated on all cell-processed products) follow, farther away
    assert [int(r["distance"].value) for r in rows] == sorted(int(r["distance"].value) for r in rows)


def test_msc_rules_include_class_two(store):
    nearest, _ = nearest_rules(store, "regkg:modality/adipose-derived-msc")
    assert REGKG + "risk-class/class-2" in {r["risk_class"].value for r in nearest if r["risk_class"]}


def test_extracellular_vesicles_are_outside_asrm_with_citation(store):
    rows, _ = nearest_rules(store, "regkg:modality/extracellular-vesicles")
    outside = [r for r in rows if r["outside_asrm"] is not None and r["outside_asrm"].value == "true"]
    assert outside and all(r["document"] is not None for r in outside)


def test_risks_inherit_down_the_modality_tree(store):
    own = {r["risk"].value for r in run(store, "modality-risks", modality="regkg:modality/pluripotent-stem-cell-derived").rows}
    child = {r["risk"].value for r in run(store, "modality-risks", modality="regkg:modality/ips-derived-cells-allogeneic").rows}
    assert REGKG + "risk/tumorigenicity" in child
    assert own <= child


def test_tests_for_a_risk(store):
    tests = {r["test"].value for r in run(store, "risk-tests", risk="regkg:risk/mycoplasma-contamination").rows}
    assert REGKG + "test/mycoplasma-negation-test" in tests


def test_class_one_plan_goes_to_special_committee_then_minister(store):
    rows = run(store, "procedure-steps", procedure="regkg:procedure/asrm-class-1").rows
    orders = [int(r["order"].value) for r in rows]
    assert orders == sorted(orders)
    recipients = {r["recipient"].value for r in rows if r["recipient"] is not None}
    assert {REGKG + "actor/special-certified-committee", REGKG + "actor/mhlw-minister"} <= recipients
    assert all(r["document"] is not None for r in rows)


def test_class_three_plan_is_reviewed_by_certified_committee(store):
    rows = run(store, "risk-class-procedure", risk_class="regkg:risk-class/class-3").rows
    assert REGKG + "actor/certified-committee" in {r["recipient"].value for r in rows}


def test_conditional_approval_term_is_seven_years_cited_to_pmd_act(store):
    rows = run(store, "deadlines").rows
    seven = [r for r in rows if r["deadline_ja"] is not None and "7年" in r["deadline_ja"].value]
    assert seven
    assert any(r["provision"] is not None and "335AC0000000145/art/23-26" in r["provision"].value for r in seven)


def test_plan_items_for_asrm_provision_are_cited(store):
    rows = run(store, "plan-items", pathway="regkg:pathway/asrm-provision").rows
    items = {r["item"].value for r in rows}
    assert len(items) >= 15
    assert all(r["document"] is not None for r in rows)


def test_label_lookup_finds_synonyms_in_both_languages(store):
    def top(text, **kw):
        return run(store, "label-lookup", text=text, **kw).rows[0]["entity"].value
    assert top("iPSC", type_filter="rko:Modality").startswith(REGKG + "modality/ips")
    assert top("iPSC", type_filter="rko:CellKind") == REGKG + "facet/ips"
    assert top("第1種") == REGKG + "risk-class/class-1"
    assert top("エクソソーム", type_filter="rko:Modality") == REGKG + "modality/extracellular-vesicles"


def test_parameters_are_bound_as_terms_not_text(store):
    hostile = 'x") } UNION { ?entity ?p ?o } #'
    assert run(store, "label-lookup", text=hostile).rows == []


def test_provision_entities_links_a_provision_to_what_cites_and_mentions_it(store):
    rows = run(store, "provision-entities", provision="regkg:law/425AC0000000085/art/17").rows
    links = {(r["entity"].value, r["link"].value) for r in rows}
    assert (REGKG + "actor/certified-committee", "mentions") in links
    assert any(link == "cites" for _, link in links)


def test_documents_by_issuer_filters(store):
    mhlw = {r["document"].value for r in run(store, "documents-by-issuer", issuer="regkg:actor/mhlw").rows}
    everyone = {r["document"].value for r in run(store, "documents-by-issuer").rows}
    assert REGKG + "law/426M60000100110" in mhlw
    assert REGKG + "law/425AC0000000085" not in mhlw
    assert mhlw < everyone


def test_modality_hierarchy(store):
    broader = {r["modality"].value: r["broader"].value for r in run(store, "modality-hierarchy").rows if r["broader"]}
    assert broader[REGKG + "modality/adipose-derived-msc"] == REGKG + "modality/msc"


def test_every_parameter_is_described_in_both_languages():
    undescribed = [f"{q.name}.{p.name}" for q in library().values() for p in q.params
                   if not (p.description and p.description_ja)]
    assert not undescribed, f"add '# param-ja: name | …' headers: {undescribed}"
