"""Seeding is idempotent, exports round-trip, and a bad file is refused whole."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from forecasts.storage.exchange import (
    RecordError,
    export_csv,
    export_document,
    export_json,
    load_bundle,
    read_csv,
    read_json,
    read_seed_dir,
    read_yaml,
)
from forecasts.storage.orm import Claim, ClaimRevision, Milestone, Source, Speaker
from tests.conftest import SEEDS


def _count(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _seed(session: Session, directory: Path = SEEDS) -> Any:
    return load_bundle(session, read_seed_dir(directory), by="seed")


def _comparable(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(
        ({k: v for k, v in c.items() if k not in {"id", "version", "entered_by"}} for c in doc["claims"]),
        key=lambda c: c["key"],
    )


def test_seed_twice_adds_nothing_the_second_time(session: Session) -> None:
    first = _seed(session)
    assert first.created["claims"] >= 65
    claims, revisions = _count(session, Claim), _count(session, ClaimRevision)
    second = _seed(session)
    assert second.created == {} and second.updated == {}
    assert (_count(session, Claim), _count(session, ClaimRevision)) == (claims, revisions)


def test_an_edited_seed_file_updates_its_rows(session: Session, tmp_path: Path) -> None:
    directory = tmp_path / "seeds"
    shutil.copytree(SEEDS, directory)
    _seed(session, directory)
    text = (directory / "claims.yaml").read_text(encoding="utf-8")
    edited = text.replace("anywhere from 2025 to 2028", "anywhere from 2025 to 2029", 1)
    assert edited != text
    (directory / "claims.yaml").write_text(edited, encoding="utf-8")
    report = _seed(session, directory)
    assert report.updated == {"claims": 1}
    claim = session.scalar(select(Claim).where(Claim.quote.contains("2025 to 2029")))
    assert claim is not None and claim.version == 2
    assert [r.action for r in claim.revisions] == ["create", "update"]


def test_the_seed_holds_what_the_tracker_promises(session: Session) -> None:
    _seed(session)
    claims = session.scalars(select(Claim)).all()
    by_speaker = Counter(c.speaker.slug for c in claims)
    years_by_speaker: dict[str, set[int]] = {}
    for c in claims:
        years_by_speaker.setdefault(c.speaker.slug, set()).add(c.said_on.year)
    transcript = [c for c in claims if c.locator and c.source and c.source.kind == "video"]
    assert len(transcript) >= 5
    assert len(claims) - len(transcript) >= 60
    assert len(by_speaker) >= 20
    assert sum(1 for s, n in by_speaker.items() if n >= 3 and len(years_by_speaker[s]) >= 2) >= 8
    slugs = set(session.scalars(select(Milestone.slug)))
    assert {"agi", "hlmi", "tai", "superintelligence", "faol", "asl-3", "asl-4"} <= slugs
    asl3 = session.scalar(select(Milestone).where(Milestone.slug == "asl-3"))
    assert asl3 is not None and str(asl3.resolved_on) == "2025-05-22"


def test_transcript_claims_carry_their_timestamps(session: Session) -> None:
    _seed(session)
    amodei = session.scalars(
        select(Claim).join(Speaker).where(Speaker.slug == "dario-amodei", Claim.said_on == dt.date(2024, 4, 12))
    ).all()
    windows = {(c.milestone.slug, c.year_low, c.year_high) for c in amodei if c.forecast_kind == "window"}
    assert {("asl-3", 2024, 2025), ("asl-4", 2025, 2028)} <= windows
    for c in amodei:
        if c.locator:
            assert c.locator.startswith("00:16:")
            assert c.original_source is not None
    mensch = session.scalars(select(Claim).join(Speaker).where(Speaker.slug == "arthur-mensch")).all()
    assert any(c.forecast_kind == "never" and "believe in AGI" in c.quote for c in mensch)


def test_export_wipe_import_gives_the_same_claims(session: Session, tmp_path: Path) -> None:
    _seed(session)
    before = export_document(session)
    text = export_json(session)
    for model in (ClaimRevision, Claim, Speaker):
        session.execute(delete(model))
    while session.execute(select(Milestone.id).limit(1)).first():  # leaves first: milestones nest
        parents = select(Milestone.parent_id).where(Milestone.parent_id.is_not(None))
        session.execute(delete(Milestone).where(Milestone.id.not_in(parents)))
    session.execute(delete(Source))
    load_bundle(session, read_json("export.json", text), by="import")
    after = export_document(session)
    assert _comparable(after) == _comparable(before)
    assert json.loads(text)["claims"][0].keys() >= {
        "id",
        "speaker",
        "milestone",
        "said_on",
        "quote",
        "verbatim",
        "locator",
        "forecast",
        "source",
    }


def test_csv_export_reads_back_to_the_same_claims(session: Session) -> None:
    _seed(session)
    before = export_document(session)
    csv_text = export_csv(session)
    session.execute(delete(ClaimRevision))
    session.execute(delete(Claim))
    load_bundle(session, read_csv("export.csv", csv_text), by="import")
    assert _comparable(export_document(session)) == _comparable(before)


BAD_FILES = [
    ("claims:\n  - speaker: x\n", "claims[0].milestone", 2),
    (
        "claims:\n  - speaker: dario-amodei\n    milestone: asl-4\n    said_on: 2024-04-12\n    quote: q\n"
        "    forecast: {kind: window, year_low: 2028, year_high: 2025}\n",
        "claims[0].forecast.year_low",
        2,
    ),
    ("claims:\n  - speaker: a\n    milestone: [unclosed\n", "yaml", None),
]


@pytest.mark.parametrize(("text", "field", "line"), BAD_FILES)
def test_a_bad_yaml_file_names_file_line_and_field(tmp_path: Path, text: str, field: str, line: int | None) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RecordError) as info:
        read_yaml(path)
    assert info.value.field == field
    assert str(path) in str(info.value)
    if line is not None:
        assert info.value.line == line


def test_a_file_that_fails_halfway_writes_nothing(session: Session, engine: Any) -> None:
    _seed(session)
    session.commit()
    count = _count(session, Claim)
    good = {
        "speaker": "dario-amodei",
        "milestone": "asl-4",
        "said_on": "2030-01-01",
        "quote": "new",
        "forecast": {"kind": "never"},
    }
    bad = {**good, "quote": "also new", "speaker": "nobody-at-all"}
    bundle = read_json("mixed.json", json.dumps({"claims": [good, good | {"quote": "x"}, bad]}))
    with pytest.raises(RecordError) as info, session.begin_nested():
        load_bundle(session, bundle, by="import")
    assert "speaker" in info.value.field and "nobody-at-all" in info.value.message
    assert _count(session, Claim) == count


def test_a_bad_csv_row_names_its_line(tmp_path: Path) -> None:
    text = (
        "speaker,milestone,said_on,quote,forecast_kind,year_low,year_high\n"
        "dario-amodei,asl-4,2024-04-12,ok,window,2025,2028\n"
        "dario-amodei,asl-4,2024-04-12,bad,window,2025,20x8\n"
    )
    with pytest.raises(RecordError) as info:
        read_csv("claims.csv", text)
    assert (info.value.line, info.value.field) == (3, "forecast.year_high")
