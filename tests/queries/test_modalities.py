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
