"""Risk classification: the reality table, undecided descriptions, bad input, and the reasoner itself."""

from __future__ import annotations

import csv
import statistics
import time
from pathlib import Path

import pytest

from regkg.queries.classify import ATTRIBUTES, classify, precompute
from regkg.queries.errors import InputError
from regkg.queries.reasoning import run_hermit
from regkg.ontology.namespaces import RKO

TABLE = Path(__file__).resolve().parent.parent / "data" / "therapy_classes.csv"
ATTRIBUTE_COLUMNS = [name for name in ATTRIBUTES if not ATTRIBUTES[name].get("informational")]


def reality_rows() -> list[dict]:
    with TABLE.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def outcome(answer: dict) -> str:
    if answer["outside_asrm"]:
        return "outside-asrm"
    return answer["risk_class"]["iri"].rsplit("/", 1)[-1] if answer["risk_class"] else "undecided"


@pytest.fixture(scope="module", autouse=True)
def reasoner_table():
    """One reasoner pass over every description (or the on-disk cache of it)."""
    started = time.perf_counter()
    size = precompute()
    print(f"\nrisk-class table: {size} descriptions in {time.perf_counter() - started:.1f} s")
    return size


def test_table_has_at_least_15_real_therapies_with_sources():
    rows = reality_rows()
    assert len(rows) >= 15
    assert all(row["source"].strip() for row in rows)


@pytest.mark.parametrize("row", reality_rows(), ids=lambda r: r["id"])
def test_classifier_agrees_with_reality_table(row):
    answer = classify({k: row[k] for k in ATTRIBUTE_COLUMNS if row[k]})
    assert outcome(answer) == row["expected"], answer["explanation"]["en"]
    assert answer["citations"], "a decided class must carry its citation"
    assert answer["rule"].startswith("https://w3id.org/regkg/id/rule/")
    if row["other_reading"]:
        assert [r["outcomes"] for r in answer["readings"]] == [[row["other_reading"]]]
        assert answer["readings"][0]["reading_ja"] in answer["explanation"]["ja"]


def test_agreement_and_latency_over_the_table():
    rows = reality_rows()
    timings, agree = [], 0
    for row in rows:
        started = time.perf_counter()
        answer = classify({k: row[k] for k in ATTRIBUTE_COLUMNS if row[k]})
        timings.append(time.perf_counter() - started)
        agree += outcome(answer) == row["expected"]
    p50 = statistics.median(timings)
    print(f"\nagreement {agree}/{len(rows)}; classify p50 {p50 * 1000:.2f} ms, max {max(timings) * 1000:.2f} ms")
    assert agree == len(rows)
    assert p50 < 1.0


def test_unknown_homologous_use_is_reported_with_the_deciding_question():
    answer = classify({"material": "cells", "cell_kind": "somatic", "origin": "autologous", "processing": "cultured",
                       "gene_introduced": "no", "purpose": "treatment"})
    assert answer["risk_class"] is None and not answer["outside_asrm"]
    assert answer["possible_outcomes"] == ["class-2", "class-3"]
    [item] = answer["undecided"]
    assert item["attribute"] == "homologous_use"
    assert {alt["value"]: alt["outcomes"] for alt in item["alternatives"]} == {True: ["class-3"], False: ["class-2"]}
    assert "相同利用" in item["question_ja"]


def test_cultured_cells_ask_for_the_purpose_which_decides_class_ii_or_iii():
    described = {"material": "cells", "cell_kind": "somatic", "origin": "autologous", "processing": "cultured",
                 "gene_introduced": "false", "homologous_use": "true"}
    open_question = classify(described)
    assert open_question["risk_class"] is None and open_question["possible_outcomes"] == ["class-2", "class-3"]
    [item] = open_question["undecided"]
    assert item["attribute"] == "purpose"
    assert {alt["value"]: alt["outcomes"] for alt in item["alternatives"]} == {"reconstruction": ["class-2"], "treatment": ["class-3"]}
    repair = classify({**described, "purpose": "repair"})
    assert outcome(repair) == "class-2"
    assert repair["rule"].endswith("/rule/cells-cultured-reconstruction-class-2")
    assert any(c["iri"].endswith("/law/426M60000100110/art/3") for c in repair["citations"])
    assert outcome(classify({**described, "purpose": "treatment"})) == "class-3"


def test_a_class_i_criterion_decides_despite_unknowns():
    answer = classify({"material": "cells", "cell_kind": "ips"})
    assert outcome(answer) == "class-1"
    assert answer["criterion"]["en"] == "uses cells derived from ES, iPS or iPS-like cells"
    assert answer["undecided"] == []


def test_evs_are_outside_the_act_with_citation():
    answer = classify({"material": "exosomes"})
    assert answer["outside_asrm"] and answer["risk_class"] is None
    assert any(c["document"].endswith("jsrm-ev-guidance-2024") for c in answer["citations"])


@pytest.mark.parametrize("attributes, fragment", [
    ({"material": "cells", "colour": "blue"}, "valid: material"),
    ({"material": "plasma"}, "valid: cells, prp"),
    ({"material": "cells", "origin": "martian"}, "autologous, allogeneic, xenogeneic"),
    ({"material": "cells", "homologous_use": "perhaps"}, "true, false or unknown"),
    ({"cell_kind": "ips"}, "'material' is required"),
])
def test_bad_input_names_the_valid_choices(attributes, fragment):
    with pytest.raises(InputError) as exc:
        classify(attributes)
    assert fragment in str(exc.value)


def test_hermit_decides_the_classes():
    """The table comes from the reasoner: a direct HermiT run over two descriptions."""
    properties = {n: str(s["property"]) for n, s in ATTRIBUTES.items() if "property" in s}
    base = {"material": "cells", "origin": "autologous", "processing": "cultured", "gene_introduced": False,
            "homologous_use": True, "purpose": "treatment", "clinical_trial": False, "approved_product": False}
    ips = tuple(sorted({**base, "cell_kind": "ips"}.items()))
    somatic = tuple(sorted({**base, "cell_kind": "somatic"}.items()))
    result = run_hermit([ips, somatic], properties)
    classes = list(result.values())
    assert str(RKO.AsrmClassI) in classes[0] and str(RKO.ClassICriterionPluripotent) in classes[0]
    assert str(RKO.AsrmClassIII) in classes[1] and str(RKO.AsrmClassI) not in classes[1]


def test_names_and_readings_of_outcomes_come_from_the_curated_graph():
    """No table of names in code: outside the Act is named by its outcome class, a source's other reading is
    an rko:ClassificationReading (therapy-attributes.ttl) with its citation."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDFS

    from regkg.ontology.load import ONTOLOGY_DIR
    from regkg.queries.classify import outcome_labels
    from regkg.queries.therapy_attributes import readings

    axioms = Graph().parse(ONTOLOGY_DIR / "risk-class-axioms.ttl")
    outside = URIRef("https://w3id.org/regkg/ontology#OutsideAsrmTherapy")
    labels = {label.language: str(label) for label in axioms.objects(outside, RDFS.label)}
    assert outcome_labels()["outside-asrm"] == (labels["ja"], labels["en"])
    (reading,) = readings()
    assert reading.when == (("cell_kind", "somatic"),) and reading.takes == (("origin", "autologous"),)
    assert reading.citations and all(locator for _, locator in reading.citations)


def test_an_assumed_default_says_what_the_other_answer_decides_with_its_provision():
    answer = classify({"material": "cells", "cell_kind": "somatic", "origin": "autologous", "processing": "cultured",
                       "gene_introduced": "false", "homologous_use": "true", "purpose": "reconstruction"})
    trial = next(a for a in answer["assumed"] if a["attribute"] == "clinical_trial")
    assert trial["value"] is False and trial["otherwise"] == "outside-asrm"
    assert [c["iri"] for c in trial["citations"]] == ["https://w3id.org/regkg/id/law/425AC0000000085/art/2/para/1"]
    assert "第2条第1項" in answer["explanation"]["ja"] and "Art. 2(1)" in answer["explanation"]["en"]
    as_trial = classify({"material": "cells", "clinical_trial": "true"})
    assert all("otherwise" not in a for a in as_trial["assumed"])  # already outside: the other answer changes nothing
