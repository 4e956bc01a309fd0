"""The command line: help everywhere, and export/import through real files."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from forecasts.cli import main


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in group.commands.items():
        out.append((*prefix, name))
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, (*prefix, name)))
    return out


@pytest.mark.parametrize("path", _commands(main), ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


@pytest.fixture
def cli_db(new_database, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]
    url: str = new_database("forecasts_cli")
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_upgrade_seed_export_reset_import(cli_db: str, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    seeded = runner.invoke(main, ["seed"])
    assert seeded.exit_code == 0, seeded.output
    assert "claims:" in seeded.output
    again = runner.invoke(main, ["seed"])
    assert "claims: 0 created, 0 updated" in again.output
    out = tmp_path / "claims.json"
    assert runner.invoke(main, ["export", "--format", "json", str(out)]).exit_code == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert len(exported["claims"]) >= 65
    assert runner.invoke(main, ["db", "reset", "--yes"]).exit_code == 0
    imported = runner.invoke(main, ["import", str(out)])
    assert imported.exit_code == 0, imported.output
    csv_out = runner.invoke(main, ["export", "--format", "csv", "-"])
    assert csv_out.output.startswith("key,speaker,")
    assert (
        len(csv_out.output.strip().splitlines())
        == len(exported["claims"]) + sum(c["quote"].count("\n") for c in exported["claims"]) + 1
    )


def test_a_malformed_import_names_file_line_and_field(cli_db: str, tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["db", "upgrade"])
    bad = tmp_path / "bad.csv"
    bad.write_text("speaker,milestone,said_on,quote,forecast_kind\nsomeone,agi,2024-13-01,q,never\n", encoding="utf-8")
    result = runner.invoke(main, ["import", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2: said_on:" in result.output
    assert "not a date" in result.output
