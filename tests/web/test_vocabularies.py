"""Each vocabulary is the domain's: the API's literal types and the pages' filters say the same words."""

from __future__ import annotations

from typing import get_args

from forecasts.engine.model import DatePrecision, ForecastKind
from forecasts.services import summaries
from forecasts.storage import orm
from forecasts.storage.records import CHECKED_STATUSES, VERIFICATION_STATUSES
from webapp.api import schemas


def test_forecast_kinds_are_the_engines() -> None:
    kinds = tuple(k.value for k in ForecastKind)
    assert get_args(schemas.Kind) == kinds
    assert kinds == summaries.KINDS
    assert kinds == orm.KINDS


def test_verification_statuses_are_the_records() -> None:
    assert get_args(schemas.Verification) == VERIFICATION_STATUSES
    assert summaries.VERIFICATIONS == VERIFICATION_STATUSES
    assert set(CHECKED_STATUSES) < set(VERIFICATION_STATUSES)


def test_date_precisions_are_the_models() -> None:
    assert get_args(schemas.Precision) == tuple(p.value for p in DatePrecision)
