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
