"""The database itself refuses impossible forecasts, whatever code writes them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from forecasts.storage.orm import Claim, ForecastPoint, Milestone, Speaker


@pytest.fixture
def refs(session: Session) -> dict[str, int]:
    speaker = Speaker(slug="someone", name="Someone")
    milestone = Milestone(slug="agi-test", name="AGI", definition="d")
    session.add_all([speaker, milestone])
    session.flush()
    return {"speaker_id": speaker.id, "milestone_id": milestone.id}


def _claim(refs: dict[str, int], key: str, **forecast: Any) -> dict[str, Any]:
    return {
        "key": key,
        "quote": "q",
        "said_on": dt.date(2024, 4, 12),
        "said_precision": "day",
        "verbatim": True,
        "verification": "unverified",
        "version": 1,
        **refs,
        **forecast,
    }


def _insert(session: Session, table: Any, row: dict[str, Any]) -> None:
    with session.begin_nested():
        session.execute(insert(table).values(**row))


GOOD = [
    {"forecast_kind": "window", "year_low": 2025, "year_high": 2028},
    {"forecast_kind": "probability_by", "year_high": 2028, "probability": 0.5},
    {"forecast_kind": "never"},
    {"forecast_kind": "lower_bound", "year_low": 2026},
]
BAD = [
    {"forecast_kind": "window", "year_low": 2031, "year_high": 2028},
    {"forecast_kind": "window", "year_low": 2025},
    {"forecast_kind": "probability_by", "year_high": 2028, "probability": 1.2},
    {"forecast_kind": "probability_by", "year_high": 2028},
    {"forecast_kind": "never", "year_high": 2028},
    {"forecast_kind": "point", "year_low": 2028, "year_high": 2029},
    {"forecast_kind": "soon"},
    {"forecast_kind": "upper_bound", "year_high": 12030},
]


@pytest.mark.parametrize("forecast", GOOD)
def test_valid_rows_are_accepted(session: Session, refs: dict[str, int], forecast: dict[str, Any]) -> None:
    _insert(session, Claim, _claim(refs, "ok", **forecast))


@pytest.mark.parametrize("forecast", BAD)
def test_invalid_rows_are_refused(session: Session, refs: dict[str, int], forecast: dict[str, Any]) -> None:
    with pytest.raises(IntegrityError):
        _insert(session, Claim, _claim(refs, "bad", **forecast))


def _quantile_claim(session: Session, refs: dict[str, int]) -> int:
    _insert(session, Claim, _claim(refs, "q", forecast_kind="quantiles"))
    claim_id = session.query(Claim.id).filter_by(key="q").scalar()
    assert claim_id is not None
    return int(claim_id)


def _point(claim_id: int, seq: int, year: float, p: float, prev: tuple[float, float] | None) -> dict[str, Any]:
    return {
        "claim_id": claim_id,
        "seq": seq,
        "year": year,
        "probability": p,
        "prev_seq": seq - 1 if prev else None,
        "prev_year": prev[0] if prev else None,
        "prev_probability": prev[1] if prev else None,
    }


def test_quantile_pairs_must_increase_together(session: Session, refs: dict[str, int]) -> None:
    cid = _quantile_claim(session, refs)
    _insert(session, ForecastPoint, _point(cid, 0, 2033.8, 0.1, None))
    _insert(session, ForecastPoint, _point(cid, 1, 2043.8, 0.5, (2033.8, 0.1)))
    with pytest.raises(IntegrityError):  # probability goes down
        _insert(session, ForecastPoint, _point(cid, 2, 2063.8, 0.4, (2043.8, 0.5)))
    with pytest.raises(IntegrityError):  # claims a predecessor that is not the stored one
        _insert(session, ForecastPoint, _point(cid, 2, 2063.8, 0.9, (2040.0, 0.5)))
    with pytest.raises(IntegrityError):  # a probability outside [0, 1]
        _insert(session, ForecastPoint, _point(cid, 2, 2063.8, 1.5, (2043.8, 0.5)))
    _insert(session, ForecastPoint, _point(cid, 2, 2063.8, 0.9, (2043.8, 0.5)))


def test_claims_need_real_speakers(session: Session, refs: dict[str, int]) -> None:
    with pytest.raises(IntegrityError):
        _insert(session, Claim, _claim({**refs, "speaker_id": 999_999}, "x", forecast_kind="never"))
