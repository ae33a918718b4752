"""What a modality requires: each rule, requirement, risk and test once, with all its citations."""

from __future__ import annotations

from regkg.queries.modalities import all_modalities, requirements_of


def test_each_object_once_with_its_citations(store):
    data = requirements_of(store, "ips-derived-cells")
    rules = [r["rule"] for r in data["risk_class"]]
    assert len(rules) == len(set(rules))
    assert any(len(r["citations"]) > 1 for r in data["risk_class"])
    for key in ("requirements", "risks", "tests"):
        rows = [tuple(sorted((k, v) for k, v in r.items() if k != "citations" and isinstance(v, str))) for r in data[key]]
        assert len(rows) == len(set(rows)), key


def test_words_for_codes_and_english_classes(store):
    data = requirements_of(store, "MSC")  # any name
    assert data["modality"]["id"] == "msc"
    forced = [r for r in data["requirements"] if r.get("force")]
    assert forced and all(r.get("force_ja") and r.get("force_en") for r in forced)
    classed = [m for m in all_modalities(store) if m.get("risk_classes")]
    assert classed and all("Class" in m["risk_classes_en"] for m in classed)


def test_what_is_said_of_cultured_cells_is_not_inherited_by_a_modality_processed_without_culture(store):
    """PRP is centrifuged blood, never cultured: it does not inherit a tumorigenicity test or an FBS
    allergy from 'cell-processed product', whose sources speak of cultured cells; a cultured
    modality under the same concept still does, and the checklist agrees."""
    from regkg.queries.library import get_query

    cultured = {r["x"].value for r in store.select("SELECT ?x WHERE { ?x rko:presumesCulture true }").rows}
    assert cultured
    free = sorted({r["m"].value.rsplit("/", 1)[-1] for r in store.select(
        "SELECT ?m WHERE { ?m a rko:Modality ; skos:broader*/rko:processing/rko:cultureFree true }").rows})
    assert "prp" in free
    for slug in (*free, "msc"):
        modality = f"regkg:modality/{slug}"
        said = {r[v].value for name, v in (("modality-risks", "finding"), ("modality-tests", "requirement"),
                                          ("modality-requirements", "requirement"))
                for r in get_query(name).run(store, {"modality": modality}).rows if r.get(v) is not None}
        checklist = {r["requirement"].value for r in get_query("checklist-requirements").run(
            store, {"modality": modality, "pathway": "regkg:pathway/asrm-provision"}).rows}
        if slug == "msc":
            assert said & cultured and checklist & cultured
        else:
            assert not (said | checklist) & cultured, slug
