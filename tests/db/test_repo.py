"""Claims are written with a revision for every change; edits based on a stale version conflict."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forecasts.engine.model import Forecast, ForecastKind, QuantilePoint
from forecasts.errors import ConflictError, ValidationError
from forecasts.storage import repo
from forecasts.storage.orm import Claim, ClaimRevision, ForecastPoint
from forecasts.storage.records import ClaimRecord, MilestoneRecord, SourceRecord, SpeakerRecord


@pytest.fixture
def world(session: Session) -> Session:
    repo.upsert_source(session, SourceRecord(key="ezra", kind="podcast", title="The Ezra Klein Show"))
    session.flush()
    repo.upsert_milestone(session, MilestoneRecord(slug="asl", name="ASL", definition="Anthropic's levels"))
    repo.upsert_milestone(session, MilestoneRecord(slug="asl-4", name="ASL-4", definition="d", parent="asl"))
    repo.upsert_speaker(session, SpeakerRecord(slug="dario-amodei", name="Dario Amodei"))
    session.flush()
    return session


RECORD = ClaimRecord(
    speaker="dario-amodei",
    milestone="asl-4",
    said_on=dt.date(2024, 4, 12),
    quote="I think ASL 4 could happen anywhere from 2025 to 2028.",
    forecast=Forecast(ForecastKind.WINDOW, year_low=2025, year_high=2028),
    source="ezra",
)


def _revisions(session: Session, claim: Claim) -> list[ClaimRevision]:
    return list(
        session.scalars(
            select(ClaimRevision).where(ClaimRevision.claim_id == claim.id).order_by(ClaimRevision.revision)
        )
    )


def test_create_writes_a_first_revision_with_a_full_snapshot(world: Session) -> None:
    claim = repo.create_claim(world, RECORD, by="ed@example.org")
    assert claim.key == "dario-amodei-2024-04-12-asl-4"
    [rev] = _revisions(world, claim)
    assert (rev.revision, rev.action, rev.changed_by) == (1, "create", "ed@example.org")
    assert rev.snapshot["forecast"] == {"kind": "window", "year_low": 2025, "year_high": 2028}
    assert rev.snapshot["source"]["title"] == "The Ezra Klein Show"


def test_edit_delete_restore_and_revert_keep_every_version(world: Session) -> None:
    claim = repo.create_claim(world, RECORD, by="a")
    edited = dataclasses.replace(RECORD, forecast=Forecast(ForecastKind.WINDOW, year_low=2026, year_high=2030))
    assert repo.update_claim(world, claim, edited, by="b", expected_version=1)
    assert claim.version == 2
    assert not repo.update_claim(world, claim, edited, by="b")  # nothing changed, no revision
    repo.delete_claim(world, claim, by="c", reason="duplicate")
    assert claim.deleted_at is not None
    repo.restore_claim(world, claim, by="d")
    repo.revert_claim(world, claim, 1, by="e")
    revs = _revisions(world, claim)
    assert [r.action for r in revs] == ["create", "update", "delete", "restore", "restore"]
    assert [r.revision for r in revs] == [1, 2, 3, 4, 5]
    assert revs[1].snapshot["forecast"]["year_low"] == 2026
    assert revs[2].snapshot["deleted"] is True and revs[2].reason == "duplicate"
    assert repo.claim_forecast(claim) == RECORD.forecast


def test_a_stale_version_conflicts_and_changes_nothing(world: Session) -> None:
    claim = repo.create_claim(world, RECORD, by="a")
    repo.update_claim(world, claim, dataclasses.replace(RECORD, notes="first edit"), by="a", expected_version=1)
    with pytest.raises(ConflictError) as info:
        repo.update_claim(world, claim, dataclasses.replace(RECORD, notes="second"), by="b", expected_version=1)
    assert (info.value.expected, info.value.current) == (1, 2)
    assert claim.notes == "first edit"


def test_quantile_points_are_replaced_as_a_whole(world: Session) -> None:
    points = (QuantilePoint(2030.0, 0.1), QuantilePoint(2040.0, 0.5), QuantilePoint(2060.0, 0.9))
    rec = dataclasses.replace(RECORD, forecast=Forecast(ForecastKind.QUANTILES, points=points))
    claim = repo.create_claim(world, rec, by="a")
    fewer = dataclasses.replace(rec, forecast=Forecast(ForecastKind.QUANTILES, points=points[1:]))
    repo.update_claim(world, claim, fewer, by="a")
    world.expire_all()
    assert repo.claim_forecast(world.get(Claim, claim.id)).points == points[1:]  # type: ignore[arg-type]
    count = world.scalar(select(func.count()).select_from(ForecastPoint).where(ForecastPoint.claim_id == claim.id))
    assert count == 2


def test_unknown_references_name_the_field(world: Session) -> None:
    with pytest.raises(ValidationError) as info:
        repo.create_claim(world, dataclasses.replace(RECORD, speaker="nobody"), by="a")
    assert info.value.field == "speaker"
    with pytest.raises(ValidationError) as info:
        repo.create_claim(world, dataclasses.replace(RECORD, source="nowhere"), by="a")
    assert info.value.field == "source"


def test_milestone_family_walks_children_and_parents(world: Session) -> None:
    assert repo.milestone_family(world, "asl") == ["asl", "asl-4"]
    assert repo.milestone_family(world, "asl-4", up=True) == ["asl-4", "asl"]


def test_claim_forecasts_filters_by_milestone_and_date(world: Session) -> None:
    repo.create_claim(world, RECORD, by="a")
    later = dataclasses.replace(RECORD, said_on=dt.date(2025, 1, 1))
    repo.create_claim(world, later, by="a")
    assert len(repo.claim_forecasts(world, ["asl-4"])) == 2
    assert len(repo.claim_forecasts(world, ["asl-4"], as_of=dt.date(2024, 12, 31))) == 1
    assert repo.claim_forecasts(world, ["asl"]) == []
