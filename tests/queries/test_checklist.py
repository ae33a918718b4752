"""Checklists from the graph: sections, citations, data-driven lines, exports and the XLSX round trip."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
from openpyxl import load_workbook

import shutil

from regkg.graph.build import build
from regkg.graph.store import connect
from regkg.ontology.load import ontology_files
from tests.conftest import make_settings
from regkg.queries.checklist import PATHWAYS, STATUS_CHOICES, build_checklist, default_pathway, export_checklist
from regkg.queries.errors import InputError, NotFound

MODALITY = {"ev-product-development": "extracellular-vesicles"}


@pytest.mark.parametrize("pathway", list(PATHWAYS))
def test_every_pathway_gives_cited_lines(store, pathway):
    started = time.perf_counter()
    checklist = build_checklist(store, MODALITY.get(pathway, "adipose-derived-msc"), pathway)
    elapsed = time.perf_counter() - started
    print(f"\n{pathway}: {sum(len(s.lines) for s in checklist.sections)} lines in {elapsed * 1000:.0f} ms")
    lines = [line for section in checklist.sections for line in section.lines]
    assert lines
    uncited = [line.iri for line in lines if not line.citations]
    assert not uncited, uncited
    assert elapsed < 5


def test_asrm_class_1_has_steps_plan_items_tests_and_post_start_duties(store):
    checklist = build_checklist(store, "regkg:modality/ips-derived-cells", "asrm-class-1")
    kinds = [s.kind for s in checklist.sections]
    assert kinds.count("procedure") >= 2 and "plan-items" in kinds and "tests" in kinds
    steps = [line for s in checklist.sections if s.kind == "procedure" for line in s.lines]
    assert any("7" in line.deadline["ja"] for line in steps), "adverse events within 7 days (施行規則 第35条第1号)"
    assert any(line.actor["ja"] for line in steps)
    assert not any(" / " in value for line in steps for value in (*line.actor.values(), *line.recipient.values())), \
        "a value is one language's label, never the two joined"
    tests = next(s for s in checklist.sections if s.kind == "tests")
    assert any(line.risk["ja"] and line.risk["en"] for line in tests.lines)


def test_pathway_that_does_not_fit_the_modality_is_flagged(store):
    checklist = build_checklist(store, "extracellular-vesicles", "asrm-class-2")
    assert checklist.notes and checklist.notes[0]["citations"]
    described = build_checklist(store, "msc", "asrm-class-1",
                                {"material": "cells", "cell_kind": "somatic-stem", "origin": "autologous", "processing": "cultured"})
    assert described.notes and "Class II" in described.notes[0]["en"]


def test_bad_input_names_valid_choices(store):
    with pytest.raises(NotFound, match="valid: .*asrm-class-1"):
        build_checklist(store, "msc", "asrm-class-4")
    with pytest.raises(NotFound, match="did you mean: .*car-t-cells"):
        build_checklist(store, "unicorn-cells", "asrm-class-2")
    with pytest.raises(NotFound, match="valid: .*adipose-derived-msc"):
        build_checklist(store, "qqqq", "asrm-class-2")
    with pytest.raises(InputError, match="valid: json, md, csv, xlsx"):
        export_checklist(build_checklist(store, "msc", "asrm-class-2"), "pdf")


def test_a_new_requirement_adds_a_line_without_code_change(tmp_path):
    """Curated knowledge in, one more line out: rebuild the ontology with one extra requirement file."""
    ontology = tmp_path / "ontology"
    ontology.mkdir()
    for f in ontology_files():
        shutil.copy(f.path, ontology / f.path.name)
    extra = b"""
    @prefix rko: <https://w3id.org/regkg/ontology#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix dcterms: <http://purl.org/dc/terms/> .
    <https://w3id.org/regkg/id/requirement/test-only-platelet-count> a rko:Requirement ;
        skos:prefLabel "PRP platelet count"@en , "PRP\xe8\xa1\x80\xe5\xb0\x8f\xe6\x9d\xbf\xe6\x95\xb0"@ja ;
        rko:appliesTo <https://w3id.org/regkg/id/modality/prp> ;
        rko:requires <https://w3id.org/regkg/id/test/test-only-platelet-count> ;
        rko:deonticForce rko:Should ;
        rko:citation [ dcterms:source <https://w3id.org/regkg/id/doc/001-4cca66a7f5034154> ; rko:locator "test" ] .
    <https://w3id.org/regkg/id/test/test-only-platelet-count> a rko:Test ; skos:prefLabel "platelet count"@en .
    """
    stores = []
    for name in ("before", "after"):
        if name == "after":
            (ontology / "zz-test-extra.ttl").write_bytes(extra)
        settings = make_settings(tmp_path / name)
        build(settings, [], ontology_dir=ontology)
        stores.append(connect(settings))
    before, after = (build_checklist(s, "prp", "asrm-class-3") for s in stores)
    count = lambda c: sum(len(s.lines) for s in c.sections)
    assert count(after) == count(before) + 1
    tests = next(s for s in after.sections if s.kind == "tests")
    assert "platelet count" in [line.item_en for line in tests.lines]


@pytest.fixture(scope="module")
def class_2(store):
    return build_checklist(store, "adipose-derived-msc", "asrm-class-2")


def test_xlsx_round_trip(class_2, tmp_path):
    content, media = export_checklist(class_2, "xlsx")
    assert media.endswith("spreadsheetml.sheet")
    path = tmp_path / "checklist.xlsx"
    path.write_bytes(content)
    book = load_workbook(path)
    assert len(book.sheetnames) == len(class_2.sections) + 1  # the cover first
    for section, name in zip(class_2.sections, book.sheetnames[1:]):
        sheet = book[name]
        assert sheet["A1"].value.startswith(section.title_ja)
        header = [c.value for c in sheet[2]]
        assert header[-3:] == ["出典 / Citation", "根拠の種類 / Evidence", "状態 / Status"]
        assert sheet.freeze_panes == "C3"
        assert sheet.page_setup.orientation == "landscape"
        body = list(sheet.iter_rows(min_row=3, values_only=True))
        assert len(body) == len(section.lines)
        assert all(row[-3] for row in body), "every line has its citation"
        assert all(row[-2] and "/" not in row[-2] for row in body), "and the kind of evidence, in the export's language"
        assert all(row[-1] == STATUS_CHOICES[0] for row in body)
        if body:
            [validation] = sheet.data_validations.dataValidation
            assert validation.type == "list" and "完了 / done" in validation.formula1
            assert str(validation.sqref) == f"K3:K{len(body) + 2}"


def test_json_md_csv_carry_sections_and_citations(class_2):
    data = json.loads(export_checklist(class_2, "json")[0])
    assert [s["title_en"] for s in data["sections"]] == [s.title_en for s in class_2.sections]
    md = export_checklist(class_2, "md")[0].decode()
    assert all(f"## {s.title_ja}" in md for s in class_2.sections)
    assert "第4条第1項" in md
    rows = list(csv.reader(io.StringIO(export_checklist(class_2, "csv")[0].decode("utf-8-sig"))))
    assert rows[0][0] == "Section" and len(rows) - 1 == sum(len(s.lines) for s in class_2.sections)
    assert all(row[9] for row in rows[1:])


def test_pathway_defaults_to_the_one_the_risk_class_implies(store):
    """Every modality whose nearest rules leave exactly one class checklist gets it (an exclusion rule beside it,
    as for HSCT, leaves no other checklist); the others get a 400 naming theirs."""
    from regkg.queries.modalities import all_modalities, implied_classes

    by_class = {f"https://w3id.org/regkg/id/risk-class/{spec['risk_class']}": pid
                for pid, spec in PATHWAYS.items() if spec["risk_class"]}
    single, several = 0, 0
    for modality in all_modalities(store):
        classes, _ = implied_classes(store, modality["iri"])
        options = sorted(by_class[c] for c in classes if c in by_class)
        if len(options) == 1:
            single += 1
            assert default_pathway(store, modality["iri"]) == options[0], modality["id"]
        elif len(options) > 1:
            several += 1
            with pytest.raises(InputError, match="choose one of: " + ", ".join(options)):
                default_pathway(store, modality["iri"])
    assert single and several
    assert build_checklist(store, "hematopoietic-stem-cells").pathway == "asrm-class-2"  # the case a user met
    assert build_checklist(store, "ips-derived-cells").pathway == "asrm-class-1"


def test_each_item_once_and_plan_items_not_repeated_as_requirements(store):
    checklist = build_checklist(store, "adipose-derived-msc", "asrm-class-2")
    ids = [s.id for s in checklist.sections]
    assert len(ids) == len(set(ids))
    plan = next(s for s in checklist.sections if s.kind == "plan-items")
    for section in checklist.sections:
        assert len({line.iri for line in section.lines}) == len(section.lines), section.id
        labels = [line.item_ja for line in section.lines]
        assert len(labels) == len(set(labels)), section.id
    others = next(s for s in checklist.sections if s.kind == "requirements")
    assert not {line.iri for line in plan.lines} & {line.iri for line in others.lines}
    assert not any(line.item_ja == p.item_ja for line in others.lines for p in plan.lines)


def test_plan_items_follow_the_official_form_where_the_graph_records_it(store):
    plan = next(s for s in build_checklist(store, "msc", "asrm-class-2").sections if s.kind == "plan-items")
    order = store.select("SELECT ?i ?o WHERE { ?i a rko:PlanItem ; rko:order ?o }").rows
    positions = {r["i"].value: int(r["o"].value) for r in order}
    listed = [positions[line.iri] for line in plan.lines if line.iri in positions]
    assert len(listed) >= 2 and listed == sorted(listed)
    assert plan.lines[0].iri in positions  # the form's items come first


def test_cover_names_the_decision_build_and_date(store):
    checklist = build_checklist(store, "ips-derived-cells", "asrm-class-1")
    assert checklist.build and checklist.date and checklist.disclaimer["ja"]
    assert any(r.get("risk_class", "").endswith("class-1") and r["citations"] for r in checklist.decision)


def test_attributes_take_what_the_modality_implies(store):
    checklist = build_checklist(store, "adipose-derived-msc", "asrm-class-2", {"origin": "autologous"})
    # material and cell kind come from the modality (no "material is required"); what is left open is named
    assert checklist.notes and "cultured" in checklist.notes[0]["en"] and "made of" not in checklist.notes[0]["en"]
