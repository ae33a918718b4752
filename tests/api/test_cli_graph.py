"""The graph commands as a user runs them."""

import typer
from typer.testing import CliRunner

from regkg.api.cli import app

runner = CliRunner()


def test_every_command_has_help():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    commands = list(typer.main.get_command(app).commands)
    assert "build" in commands and "query" in commands
    for command in commands:
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0, command
        assert "Usage" in sub.output


def test_query_json_output(built_settings, monkeypatch):
    monkeypatch.setenv("REGKG_DATA", str(built_settings.data_dir))
    result = runner.invoke(app, ["query", "modality-risk-class", "-p", "modality=regkg:modality/es-derived-cells", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "regkg:risk-class/class-1" in result.output


def test_unknown_query_exits_2_and_lists_names(built_settings, monkeypatch):
    monkeypatch.setenv("REGKG_DATA", str(built_settings.data_dir))
    result = runner.invoke(app, ["query", "nope"])
    assert result.exit_code == 2
    assert "modality-risks" in result.output


def test_an_rq_file_without_a_header_exits_2_and_says_what_it_lacks(built_settings, monkeypatch, tmp_path):
    monkeypatch.setenv("REGKG_DATA", str(built_settings.data_dir))
    bare = tmp_path / "mine.rq"
    bare.write_text("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    result = runner.invoke(app, ["query", str(bare)])
    assert result.exit_code == 2, result.output
    assert "# name:" in result.output and "Traceback" not in result.output
    headed = tmp_path / "mine2.rq"
    headed.write_text("# name: mine2\n# title: Any\n# description: One triple\nSELECT ?s WHERE { ?s ?p ?o } LIMIT 1\n",
                      encoding="utf-8")
    assert runner.invoke(app, ["query", str(headed), "-f", "csv"]).exit_code == 0


def test_missing_parameter_exits_2_with_its_description(built_settings, monkeypatch):
    monkeypatch.setenv("REGKG_DATA", str(built_settings.data_dir))
    result = runner.invoke(app, ["query", "modality-risks"])
    assert result.exit_code == 2
    assert "modality" in result.output


def test_query_without_a_graph_says_to_build(tmp_path, monkeypatch):
    monkeypatch.setenv("REGKG_DATA", str(tmp_path))
    result = runner.invoke(app, ["query", "modalities"])
    assert result.exit_code == 1
    assert "run `regkg build` first" in " ".join(result.output.split())


def test_build_with_a_skipped_document_publishes_and_exits_3(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notice.md").write_text("# 通知\n\n再生医療等提供計画の提出について定める。\n", encoding="utf-8")
    (corpus / "huge.txt").write_text("細胞加工物の製造。\n" * 10_000, encoding="utf-8")
    monkeypatch.setenv("REGKG_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("REGKG_MAX_DOCUMENT_MB", "0.05")
    result = runner.invoke(app, ["build", "--corpus", str(corpus)])
    assert result.exit_code == 3, result.output
    message = " ".join(result.output.split())
    assert "published the new graph" in message and "skipped 1 document(s)" in message
    assert "huge.txt" in message and "over the limit" in message
    listed = runner.invoke(app, ["documents", "-f", "csv"])
    assert listed.exit_code == 0 and "notice.md" in listed.output and "huge.txt" not in listed.output


def test_build_while_another_holds_the_lock_exits_non_zero_and_says_who(tmp_path, monkeypatch):
    from regkg.graph.lock import BuildLock

    monkeypatch.setenv("REGKG_DATA", str(tmp_path / "data"))
    with BuildLock(tmp_path / "data", "another build"):
        result = runner.invoke(app, ["build", "--no-documents"])
    assert result.exit_code not in (0, 3)
    message = " ".join(result.output.split())
    assert "another build is running" in message and "another build, pid" in message
    assert "nothing was changed" in message
    assert not (tmp_path / "data" / "stores").exists()


def test_query_takes_any_modality_name_and_fails_on_unknown_ones(built_settings, monkeypatch):
    monkeypatch.setenv("REGKG_DATA", str(built_settings.data_dir))
    short = runner.invoke(app, ["query", "modality-risk-class", "-p", "modality=es-derived-cells", "-f", "csv"])
    label = runner.invoke(app, ["query", "modality-risk-class", "-p", "modality=ES細胞由来細胞", "-f", "csv"])
    assert short.exit_code == label.exit_code == 0 and short.output == label.output
    assert short.output.startswith("\ufeff")  # CSV with a BOM
    typo = runner.invoke(app, ["query", "modality-risk-class", "-p", "modality=MCS"])
    assert typo.exit_code == 2 and "did you mean" in typo.output and "msc" in typo.output
    unknown = runner.invoke(app, ["query", "risk-tests", "-p", "risk=regkg:risk/no-such-risk"])
    assert unknown.exit_code == 2 and "nothing about" in unknown.output


def test_wide_results_read_as_records_at_80_columns(built_settings, monkeypatch):
    monkeypatch.setenv("REGKG_DATA", str(built_settings.data_dir))
    monkeypatch.setenv("COLUMNS", "80")
    result = runner.invoke(app, ["query", "modality-risk-class", "-p", "modality=ips-derived-cells"])
    assert result.exit_code == 0
    assert "criterion_en: uses cells derived from iPS cells" in result.output


def test_checklist_format_from_the_file_name(built_settings, monkeypatch, tmp_path):
    monkeypatch.setenv("REGKG_DATA", str(built_settings.data_dir))
    out = tmp_path / "c.xlsx"
    result = runner.invoke(app, ["checklist", "--modality", "iPS細胞由来細胞", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"


def test_documents_lists_titles_of_every_document(built_settings, monkeypatch):
    monkeypatch.setenv("REGKG_DATA", str(built_settings.data_dir))
    result = runner.invoke(app, ["documents", "-f", "json"])
    assert result.exit_code == 0
    import json

    docs = json.loads(result.output)
    assert all(d["title_ja"] or d["title_en"] for d in docs)
    assert any(d["provisions"] for d in docs) and any(not (d["provisions"] or d["passages"]) for d in docs)
