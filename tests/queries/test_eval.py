"""`regkg eval`: file formats, matching rules and the command on the real graph."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from regkg.queries.errors import InputError
from regkg.queries.evaluate import evaluate, kind_of, load_rows, squash


def _write(tmp_path, rows, name="set.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def test_squash_ignores_width_case_and_spaces():
    assert squash("７ Years") == squash("7years")


def test_malformed_lines_are_input_errors(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"q": "x", "expect": []}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        load_rows(bad)
    with pytest.raises(InputError):
        load_rows(_write(tmp_path, [{"question": "no q"}]))


def test_retrieval_and_qa_sets_are_measured(store, tmp_path):
    retrieval = load_rows(_write(tmp_path, [{"id": "r1", "q": "特定認定再生医療等委員会", "expect": ["特定認定再生医療等委員会"]},
                                            {"id": "r2", "q": "qwzx vbnm", "expect": ["存在しない文字列"]}], "r.jsonl"))
    assert kind_of(retrieval) == "retrieval"
    report = evaluate(store, retrieval)
    m = report.metrics()
    assert m["hit@5"] == 0.5 and m["hit@1"] == 0.5 and m["mrr"] == 0.5
    qa = load_rows(_write(tmp_path, [{"id": "q1", "lang": "ja", "q": "ES細胞由来細胞のリスク区分は？",
                                      "expect": [["第一種"], ["存在しない答え"]]}], "qa.jsonl"))
    assert kind_of(qa) == "qa"
    m = evaluate(store, qa).metrics()
    assert m["exact"] == 0.0 and m["partial"] == 0.5 and m["cited"] == 1.0


def test_eval_command_prints_metrics(built_settings, tmp_path, monkeypatch):
    from regkg.api.cli import app

    monkeypatch.setenv("REGKG_DATA", str(built_settings.data_dir))
    path = _write(tmp_path, [{"id": "r1", "q": "特定認定再生医療等委員会", "expect": ["特定認定再生医療等委員会"]}])
    result = CliRunner().invoke(app, ["eval", str(path), "--per-question"])
    assert result.exit_code == 0, result.output
    assert "hit@5" in result.output and "r1" in result.output
    assert CliRunner().invoke(app, ["eval", str(tmp_path / "missing.jsonl")]).exit_code == 2


def test_report_splits_by_kind_and_method_and_bands_confidence():
    from regkg.queries.evaluate import Outcome, Report

    report = Report("qa", [Outcome("a", "ja", "q", 1.0, True, method="graph", kind="procedure", confidence=0.95),
                           Outcome("b", "en", "q", 0.0, False, method="search", kind="procedure", confidence=0.6),
                           Outcome("c", "en", "q", 1.0, True, method="search", kind="list", confidence=0.62)])
    subsets = {name: rows for name, rows in report.subsets()}
    assert [o.id for o in subsets["kind procedure"]] == ["a", "b"]
    assert [o.id for o in subsets["method search"]] == ["b", "c"]
    assert report.metrics(rows=subsets["en"])["exact"] == 0.5
    # 1.0 belongs to the top band; each band's share is of its own answers
    assert report.calibration() == [("0.5–0.7", 2, 0.5), ("0.9–1.0", 1, 1.0)]
