"""Accounts, tokens and survey import from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from forecasts.cli import main

EXCERPT = Path(__file__).resolve().parent / "data" / "espai_2023_excerpt.csv"


@pytest.fixture
def cli_db(new_database, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]
    url: str = new_database("forecasts_cli_admin")
    monkeypatch.setenv("DATABASE_URL", url)
    assert CliRunner().invoke(main, ["db", "upgrade"]).exit_code == 0
    return url


def test_users_and_tokens(cli_db: str) -> None:
    runner = CliRunner()
    made = runner.invoke(
        main, ["users", "create", "ed@example.org", "--role", "admin"], input="long enough secret\nlong enough secret\n"
    )
    assert made.exit_code == 0, made.output
    assert "long enough secret" not in made.output  # never echoed
    mismatch = runner.invoke(main, ["users", "create", "x@example.org"], input="long enough secret\nother one!!\n")
    assert mismatch.exit_code != 0
    short = runner.invoke(main, ["users", "create", "y@example.org"], input="short\nshort\n")
    assert short.exit_code == 1 and "password" in short.output
    token = runner.invoke(main, ["tokens", "create", "--user", "ed@example.org", "--name", "script"])
    assert token.exit_code == 0
    value = token.stdout.strip().splitlines()[0]
    assert value.startswith("fct_") and len(value) > 40
    revoked = runner.invoke(main, ["tokens", "revoke", value[:12]])
    assert revoked.exit_code == 0, revoked.output
    unknown = runner.invoke(main, ["tokens", "create", "--user", "nobody@example.org", "--name", "x"])
    assert unknown.exit_code == 1


def test_import_survey_is_idempotent(cli_db: str) -> None:
    runner = CliRunner()
    runner.invoke(main, ["seed"])
    args = [
        "import-survey",
        "--format",
        "espai",
        "--question",
        "hlmi",
        "--survey-date",
        "2023-10-15",
        "--milestone",
        "hlmi",
        str(EXCERPT),
    ]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "speakers: " in first.output and " 0 created" not in first.output.split("claims:")[1]
    second = runner.invoke(main, args)
    assert "claims: 0 created, 0 updated" in second.output


def test_import_survey_names_a_bad_file(cli_db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("ResponseId,treat_assign,hb_b_1,hb_b_2\nR_1,Fixed years,10,20\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["import-survey", "--question", "hlmi", "--survey-date", "2023-10-15", "--milestone", "hlmi", str(bad)]
    )
    assert result.exit_code == 1
    assert str(bad) in result.output and "hb_b_3" in result.output


def test_reproduce_espai_prints_published_next_to_ours() -> None:
    result = CliRunner().invoke(main, ["reproduce-espai", str(EXCERPT)])
    assert result.exit_code == 0, result.output
    assert "published" in result.output and "2047" in result.output
