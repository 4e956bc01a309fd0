"""The structured forecast forms and their validation."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forecasts.engine.model import (
    Forecast,
    ForecastKind,
    QuantilePoint,
    date_from_decimal_year,
    decimal_year,
)
from forecasts.errors import ValidationError

K = ForecastKind


@pytest.mark.parametrize(
    "forecast",
    [
        Forecast(K.WINDOW, year_low=2025, year_high=2028),
        Forecast(K.WINDOW, year_low=2024, year_high=2025, probability=0.9, confidence="could easily"),
        Forecast(K.POINT, year_low=2029, year_high=2029),
        Forecast(K.PROBABILITY_BY, year_high=2028, probability=0.5),
        Forecast(K.QUANTILES, points=(QuantilePoint(2033.8, 0.1), QuantilePoint(2043.8, 0.5))),
        Forecast(K.LOWER_BOUND, year_low=2026),
        Forecast(K.UPPER_BOUND, year_high=2030),
        Forecast(K.NEVER),
        Forecast(K.EVENTUALLY),
    ],
)
def test_valid_forecasts_round_trip_through_dicts(forecast: Forecast) -> None:
    assert Forecast.from_dict(forecast.to_dict()) == forecast


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"kind": "window", "year_low": 2031, "year_high": 2028}, "forecast.year_low", "after year_high"),
        ({"kind": "window", "year_low": 2025}, "forecast.year_high", "required"),
        ({"kind": "probability_by", "year_high": 2028, "probability": 1.5}, "forecast.probability", "[0, 1]"),
        ({"kind": "probability_by", "year_high": 2028}, "forecast.probability", "required"),
        ({"kind": "window", "year_low": 2025, "year_high": 2028, "probability": 1}, "forecast.probability", "strictly"),
        ({"kind": "window", "year_low": 2025, "year_high": 2028, "probability": 0}, "forecast.probability", "strictly"),
        ({"kind": "never", "year_high": 2028}, "forecast.year_high", "must be empty"),
        ({"kind": "point", "year_low": 2028, "year_high": 2029}, "forecast.year_high", "equal"),
        ({"kind": "lower_bound", "year_low": 20226}, "forecast.year_low", "outside"),
        ({"kind": "soon"}, "forecast.kind", "not one of"),
        ({"kind": "window", "year_low": "2025", "year_high": 2028}, "forecast.year_low", "whole year"),
        ({"kind": "window", "year_low": 2025, "year_high": 2028, "when": 1}, "forecast.when", "unknown"),
        ({"kind": "quantiles", "points": []}, "forecast.points", "at least one"),
        (
            {"kind": "quantiles", "points": [{"year": 2030, "probability": 0.5}, {"year": 2040, "probability": 0.4}]},
            "forecast.points[1]",
            "increase together",
        ),
        (
            {"kind": "quantiles", "points": [{"year": 2030, "probability": 0.5}, {"year": 2030, "probability": 0.5}]},
            "forecast.points[1]",
            "repeats",
        ),
        ({"kind": "quantiles", "points": [{"year": 2030}]}, "forecast.points[0]", "'year' and 'probability'"),
    ],
)
def test_bad_forecasts_name_the_field(data: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        Forecast.from_dict(data)
    assert info.value.field == field
    assert words in info.value.message


def test_ties_in_one_coordinate_are_allowed() -> None:
    # Real survey answers: 100% at 10, 20 and 50 years; or the same year for 10% and 50%.
    Forecast(K.QUANTILES, points=(QuantilePoint(2033, 1.0), QuantilePoint(2043, 1.0)))
    Forecast(K.QUANTILES, points=(QuantilePoint(2033, 0.1), QuantilePoint(2033, 0.5)))


def test_decimal_year_of_known_days() -> None:
    assert decimal_year(dt.date(2024, 1, 1)) == 2024.0
    assert decimal_year(dt.date(2024, 7, 2)) == pytest.approx(2024.5)  # day 183 of 366
    assert decimal_year(dt.date(2023, 12, 31)) == pytest.approx(2023 + 364 / 365)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)))
def test_date_from_decimal_year_inverts_decimal_year(day: dt.date) -> None:
    assert date_from_decimal_year(decimal_year(day)) == day


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 30)))
def test_decimal_year_increases_day_by_day(day: dt.date) -> None:
    assert decimal_year(day + dt.timedelta(days=1)) > decimal_year(day)


def test_confidence_words_are_a_phrase_not_a_paragraph() -> None:
    with pytest.raises(ValidationError) as err:
        Forecast.from_dict({"kind": "eventually", "confidence": "probably " * 14})
    assert err.value.field == "forecast.confidence"
    assert "the most is 120" in err.value.message
