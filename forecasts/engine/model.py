"""The values that cross layers: a claim's structured forecast and the claim as the engine sees it.

Years are calendar years. A *decimal year* is a moment: 2028.0 is the first instant of 2028 and
2029.0 the first instant of 2029, so "by 2028" (by the end of 2028) is the moment 2029.0.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass, field
from enum import StrEnum

from forecasts.errors import ValidationError

#: The earliest and latest calendar years a forecast may name; wider than any real claim, narrow
#: enough to catch a typo such as 20228.
MIN_YEAR = 1900
MAX_YEAR = 3000
#: The days the tracker can speak about (said, as of); outside them calendar arithmetic means nothing.
FIRST_DAY = dt.date(MIN_YEAR, 1, 1)
LAST_DAY = dt.date(MAX_YEAR - 1, 12, 31)
#: The hedge words as spoken are a phrase, not a paragraph (the column holds 120 characters).
MAX_CONFIDENCE = 120
#: The latest moment a quantile point may name. Survey respondents answer "100,000,000 years" to
#: mean "never"; keeping such answers as given keeps their fits as the survey's own method makes them.
MAX_POINT_YEAR = 1e9


class ForecastKind(StrEnum):
    """The forms a claim about *when* can take."""

    WINDOW = "window"  # "anywhere from 2025 to 2028": year_low..year_high, optional credibility
    POINT = "point"  # "in 2029": year_low == year_high
    PROBABILITY_BY = "probability_by"  # "50% by 2028": probability of arrival by the end of year_high
    QUANTILES = "quantiles"  # (moment, cumulative probability) pairs, as surveys ask
    LOWER_BOUND = "lower_bound"  # "not before 2026": no arrival before the start of year_low
    UPPER_BOUND = "upper_bound"  # "by 2030": arrival by the end of year_high
    NEVER = "never"  # "I don't believe in AGI"
    EVENTUALLY = "eventually"  # "it will happen eventually", no date


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


#: Which year fields each kind needs; the others must be empty.
KIND_FIELDS: dict[ForecastKind, tuple[bool, bool]] = {
    ForecastKind.WINDOW: (True, True),
    ForecastKind.POINT: (True, True),
    ForecastKind.PROBABILITY_BY: (False, True),
    ForecastKind.QUANTILES: (False, False),
    ForecastKind.LOWER_BOUND: (True, False),
    ForecastKind.UPPER_BOUND: (False, True),
    ForecastKind.NEVER: (False, False),
    ForecastKind.EVENTUALLY: (False, False),
}


@dataclass(frozen=True, slots=True)
class QuantilePoint:
    """P(arrival <= ``year``) = ``probability``, with ``year`` a decimal year (a moment)."""

    year: float
    probability: float


@dataclass(frozen=True, slots=True)
class Forecast:
    """A claim's forecast in structured form, validated on construction.

    ``probability`` is the stated probability: the credibility of a window, the chance by
    ``year_high`` for ``probability_by``, the confidence in a bound. ``confidence`` keeps the words
    that carried it ("could easily", "definitely").
    """

    kind: ForecastKind
    year_low: int | None = None
    year_high: int | None = None
    probability: float | None = None
    points: tuple[QuantilePoint, ...] = ()
    confidence: str | None = None

    def __post_init__(self) -> None:
        validate_forecast(self)

    def to_dict(self) -> dict[str, object]:
        """The forecast as stored and exported: ``kind`` and the fields that kind uses."""
        out: dict[str, object] = {"kind": self.kind.value}
        if self.year_low is not None:
            out["year_low"] = self.year_low
        if self.year_high is not None:
            out["year_high"] = self.year_high
        if self.probability is not None:
            out["probability"] = self.probability
        if self.points:
            out["points"] = [{"year": p.year, "probability": p.probability} for p in self.points]
        if self.confidence:
            out["confidence"] = self.confidence
        return out

    @classmethod
    def from_dict(cls, data: dict[str, object], *, prefix: str = "forecast") -> Forecast:
        """Build a forecast from its dict form, naming the bad field in any error."""
        if not isinstance(data, dict):
            raise ValidationError(prefix, "must be an object with a 'kind'")
        known = {"kind", "year_low", "year_high", "probability", "points", "confidence"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValidationError(f"{prefix}.{unknown[0]}", f"unknown field (expected one of {sorted(known)})")
        raw_kind = data.get("kind")
        try:
            kind = ForecastKind(str(raw_kind))
        except ValueError:
            choices = ", ".join(k.value for k in ForecastKind)
            raise ValidationError(f"{prefix}.kind", f"{raw_kind!r} is not one of {choices}") from None
        raw_points = data.get("points") or []
        if not isinstance(raw_points, list):
            raise ValidationError(f"{prefix}.points", "must be a list of {year, probability} objects")
        points = []
        for i, p in enumerate(raw_points):
            if not isinstance(p, dict) or set(p) != {"year", "probability"}:
                raise ValidationError(f"{prefix}.points[{i}]", "must be an object with 'year' and 'probability'")
            points.append(
                QuantilePoint(
                    _number(p["year"], f"{prefix}.points[{i}].year"),
                    _number(p["probability"], f"{prefix}.points[{i}].probability"),
                )
            )
        confidence = data.get("confidence")
        if confidence is not None and not isinstance(confidence, str):
            raise ValidationError(f"{prefix}.confidence", "must be text")
        if confidence is not None and len(confidence) > MAX_CONFIDENCE:
            too_long = f"is {len(confidence)} characters long; the most is {MAX_CONFIDENCE} (the hedge words)"
            raise ValidationError(f"{prefix}.confidence", too_long)
        try:
            return cls(
                kind=kind,
                year_low=_integer(data.get("year_low"), f"{prefix}.year_low"),
                year_high=_integer(data.get("year_high"), f"{prefix}.year_high"),
                probability=_optional_number(data.get("probability"), f"{prefix}.probability"),
                points=tuple(points),
                confidence=confidence or None,
            )
        except ValidationError as exc:
            if exc.field.startswith(prefix):
                raise
            raise ValidationError(f"{prefix}.{exc.field}", exc.message) from None


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(name, f"must be a number, not {value!r}")
    return float(value)


def _optional_number(value: object, name: str) -> float | None:
    return None if value is None else _number(value, name)


def _integer(value: object, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise ValidationError(name, f"must be a whole year, not {value!r}")
    return value


def validate_forecast(f: Forecast) -> None:
    """Raise :class:`ValidationError` naming the first field that breaks the rules of ``f.kind``."""
    if not isinstance(f.kind, ForecastKind):
        raise ValidationError("kind", f"{f.kind!r} is not a forecast kind")
    needs_low, needs_high = KIND_FIELDS[f.kind]
    for name, value, needed in (("year_low", f.year_low, needs_low), ("year_high", f.year_high, needs_high)):
        if needed and value is None:
            raise ValidationError(name, f"is required for a {f.kind.value} forecast")
        if not needed and value is not None:
            raise ValidationError(name, f"must be empty for a {f.kind.value} forecast")
        if value is not None and not MIN_YEAR <= value <= MAX_YEAR:
            raise ValidationError(name, f"{value} is outside {MIN_YEAR}..{MAX_YEAR}")
    if f.year_low is not None and f.year_high is not None and f.year_low > f.year_high:
        raise ValidationError("year_low", f"year_low {f.year_low} is after year_high {f.year_high}")
    if f.kind is ForecastKind.POINT and f.year_low != f.year_high:
        raise ValidationError("year_high", "a point forecast has year_low equal to year_high")
    if f.probability is not None and not (math.isfinite(f.probability) and 0.0 <= f.probability <= 1.0):
        raise ValidationError("probability", f"{f.probability} is not a probability in [0, 1]")
    if f.kind in (ForecastKind.WINDOW, ForecastKind.POINT) and f.probability in (0.0, 1.0):
        # A credible interval holding none or all of the mass is not a spread a lognormal can take.
        raise ValidationError("probability", f"the credibility of a {f.kind.value} lies strictly between 0 and 1")
    if f.kind is ForecastKind.PROBABILITY_BY and f.probability is None:
        raise ValidationError("probability", "is required for a probability_by forecast")
    if f.kind in (ForecastKind.NEVER, ForecastKind.EVENTUALLY, ForecastKind.QUANTILES) and f.probability is not None:
        raise ValidationError("probability", f"must be empty for a {f.kind.value} forecast")
    if f.kind is ForecastKind.QUANTILES:
        _validate_points(f.points)
    elif f.points:
        raise ValidationError("points", f"must be empty for a {f.kind.value} forecast")


def _validate_points(points: tuple[QuantilePoint, ...]) -> None:
    if not points:
        raise ValidationError("points", "a quantiles forecast needs at least one (year, probability) pair")
    for i, p in enumerate(points):
        if not (math.isfinite(p.year) and MIN_YEAR <= p.year <= MAX_POINT_YEAR):
            raise ValidationError(f"points[{i}].year", f"{p.year} is not a usable year")
        if not (math.isfinite(p.probability) and 0.0 <= p.probability <= 1.0):
            raise ValidationError(f"points[{i}].probability", f"{p.probability} is not a probability in [0, 1]")
    for i, (a, b) in enumerate(itertools.pairwise(points), start=1):
        if b.year < a.year or b.probability < a.probability:
            raise ValidationError(
                f"points[{i}]",
                f"pairs must increase together: ({b.year}, {b.probability}) follows ({a.year}, {a.probability})",
            )
        if b.year == a.year and b.probability == a.probability:
            raise ValidationError(f"points[{i}]", f"repeats the pair ({b.year}, {b.probability})")


def decimal_year(day: dt.date) -> float:
    """The moment ``day`` starts, as a decimal year (2024-07-02 -> 2024.5 in a leap year)."""
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def date_from_decimal_year(t: float) -> dt.date:
    """The day a decimal year falls in (the inverse of :func:`decimal_year`, to the day)."""
    year = math.floor(t)
    start = dt.date(year, 1, 1)
    length = (dt.date(year + 1, 1, 1) - start).days
    # The small slack absorbs the rounding of (t - year) so that whole days map back to themselves.
    return start + dt.timedelta(days=min(length - 1, math.floor((t - year) * length + 1e-6)))


def month_label(t: float) -> str:
    """A moment in words for explanations: "Feb 2026"; "never" for infinity; far moments as years."""
    if not math.isfinite(t):
        return "never"
    if not 1.0 <= t < 10_000.0:  # beyond what a calendar date can hold (survey answers reach 1e8 years)
        return f"year {t:,.0f}"
    return date_from_decimal_year(t).strftime("%b %Y")


@dataclass(frozen=True, slots=True)
class ClaimForecast:
    """A claim as the engine sees it: who, when, about what, and the structured forecast."""

    claim_id: int
    speaker: str  # the speaker's slug
    milestone: str  # the milestone's slug
    said_on: dt.date
    forecast: Forecast
    extra: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def said_at(self) -> float:
        """The moment the claim was made, as a decimal year."""
        return decimal_year(self.said_on)
