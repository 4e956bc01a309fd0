"""`forecasts import-transcript`: the dry run prints the candidates; a real run saves them, unverified."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from forecasts.cli import main
from forecasts.storage import migrate
from forecasts.storage.db import make_engine
from forecasts.storage.exchange import load_bundle, read_seed_dir
from forecasts.storage.orm import Claim, Source
from tests.conftest import SEEDS

EXCERPT = Path(__file__).parent / "data" / "transcript_excerpt.txt"


@pytest.fixture(scope="module")
def seeded_cli_db(new_database) -> str:  # type: ignore[no-untyped-def]
    url: str = new_database("forecasts_cli_transcript")
    migrate.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        load_bundle(session, read_seed_dir(SEEDS), by="seed")
    engine.dispose()
    return url


@pytest.fixture
def env(seeded_cli_db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", seeded_cli_db)
    return seeded_cli_db


def _run(*args: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(main, ["import-transcript", str(EXCERPT), *args])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.output)
    return rows


def test_dry_run_finds_the_amodei_claims_with_their_timestamps(env: str) -> None:
    # Threshold 0: every candidate, also those scored below the default (the narrator's, naming no milestone).
    rows = _run(
        "--dry-run", "--format", "json", "--said-on", "2024-04-18", "--narrator", "ai-explained", "--threshold", "0"
    )
    for row in rows:
        assert {"locator", "quote", "speaker", "milestone", "forecast"} <= set(row)
    by_milestone = {(r["speaker"], r["milestone"]): r for r in rows}
    asl3 = by_milestone[("dario-amodei", "asl-3")]
    assert asl3["locator"] == "00:16:14"
    assert asl3["quote"] == "Yeah, I think ASL 3 is, you know, could easily happen this year or next year."
    assert asl3["forecast"] == {"kind": "window", "year_low": 2024, "year_high": 2025, "confidence": "could easily"}
    asl4 = by_milestone[("dario-amodei", "asl-4")]
    assert asl4["locator"] == "00:16:25"
    assert asl4["forecast"] == {"kind": "window", "year_low": 2025, "year_high": 2028}
    assert by_milestone[("arthur-mensch", "agi")]["locator"] == "00:14:56"
    assert by_milestone[("yann-lecun", "hlmi")]["locator"] == "00:15:12"
    her = [r for r in rows if "by next year" in str(r["quote"])]
    assert [(r["locator"], r["speaker"]) for r in her] == [("00:16:48", "ai-explained")]


def test_the_default_threshold_keeps_the_likely_claims_most_likely_first(env: str) -> None:
    rows = _run("--dry-run", "--format", "json", "--said-on", "2024-04-18", "--narrator", "ai-explained")
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True) and min(scores) >= 0.5
    assert {(r["speaker"], r["milestone"]) for r in rows} == {
        ("dario-amodei", "asl-3"),
        ("dario-amodei", "asl-4"),
        ("arthur-mensch", "agi"),
        ("yann-lecun", "agi"),
        ("yann-lecun", "hlmi"),
    }
    assert all(r["reasons"] for r in rows)


def test_dry_run_saves_nothing_and_needs_a_date(env: str) -> None:
    engine = make_engine(env)
    with Session(engine) as session:
        before = len(session.scalars(select(Claim.id)).all())
    _run("--dry-run", "--format", "json", "--said-on", "2024-04-18")
    with Session(engine) as session:
        assert len(session.scalars(select(Claim.id)).all()) == before
    engine.dispose()
    result = CliRunner().invoke(main, ["import-transcript", str(EXCERPT), "--dry-run"])
    assert result.exit_code == 2 and "--said-on" in result.output


def test_saving_makes_unverified_claims_of_the_source(env: str) -> None:
    result = CliRunner().invoke(
        main,
        [
            "import-transcript",
            str(EXCERPT),
            "--said-on",
            "2024-04-18",
            "--narrator",
            "ai-explained",
            "--source-title",
            "Llama 3, VASA-1 and Her",
            "--source-kind",
            "video",
            "--published-on",
            "2024-04-18",
            "--source-url",
            "https://www.youtube.com/watch?v=example",
            "--threshold",
            "0",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "saved 5 unverified claims" in result.output
    assert "skipped 00:02:48" in result.output  # names no milestone
    engine = make_engine(env)
    with Session(engine) as session:
        source = session.scalar(select(Source).where(Source.key == "llama-3-vasa-1-and-her-2024-04-18"))
        assert source is not None and source.kind == "video"
        claims = session.scalars(select(Claim).where(Claim.source_id == source.id).order_by(Claim.locator)).all()
        assert [(c.locator, c.verification, c.entered_by) for c in claims][-2:] == [
            ("00:16:14", "unverified", "import-transcript"),
            ("00:16:25", "unverified", "import-transcript"),
        ]
    engine.dispose()


def test_a_malformed_transcript_names_the_line(env: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(
        "[00:00:01.000 --> 00:00:04.000]   Fine.\n[00:00:04.000 --> 00:0x:09.000]   Broken.\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["import-transcript", str(bad), "--dry-run", "--said-on", "2024-01-01"])
    assert result.exit_code == 1
    assert "line 2" in result.output
