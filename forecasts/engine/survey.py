"""The Expert Survey on Progress in AI (ESPAI): reading its timeline answers and pooling them.

Each respondent answers a timeline question in one of two framings, assigned at random:

* fixed years: the probability (in percent) that the milestone exists within 10, 20 and 40 years
  (HLMI) or 10, 20 and 50 years (FAOL);
* fixed probabilities: the number of years until a 10%, 50% and 90% chance.

Both become three (years after the survey, cumulative probability) pairs. The published aggregate
fits each respondent a gamma CDF (see :mod:`forecasts.engine.fit`) and averages the CDFs with equal weights
(a linear pool), stating its results as years after 2023 (Grace et al. 2024).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Final, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from forecasts.engine.fit import FitResult, fit_cdf_points
from forecasts.engine.model import MAX_POINT_YEAR, ClaimForecast, Forecast, ForecastKind, QuantilePoint, decimal_year
from forecasts.errors import ValidationError

__all__ = [
    "FIXED_PROBABILITIES",
    "FIXED_YEARS",
    "PUBLISHED_2023",
    "SURVEY_DATE",
    "EspaiPool",
    "espai_claims",
    "pool_espai",
    "read_espai",
    "reproduce_espai",
]

Question = Literal["hlmi", "faol"]
Framing = Literal["fixed_years", "fixed_probabilities"]

#: The 2023 survey was fielded in October 2023.
SURVEY_DATE: Final = dt.date(2023, 10, 15)

FIXED_YEARS: Final[dict[str, tuple[float, float, float]]] = {"hlmi": (10.0, 20.0, 40.0), "faol": (10.0, 20.0, 50.0)}
FIXED_PROBABILITIES: Final = (0.1, 0.5, 0.9)

#: Columns of the cleaned data set holding each question's three answers, by framing.
COLUMNS: Final[dict[str, dict[Framing, tuple[str, str, str]]]] = {
    "hlmi": {"fixed_years": ("hb_b_1", "hb_b_2", "hb_b_3"), "fixed_probabilities": ("hb_a_1", "hb_a_2", "hb_a_3")},
    "faol": {
        "fixed_years": ("hj_b_full_1", "hj_b_full_2", "hj_b_full_3"),
        "fixed_probabilities": ("hj_a_full_1", "hj_a_full_2", "hj_a_full_3"),
    },
}
_FRAMING_LABELS: Final[dict[str, Framing]] = {
    "Fixed years": "fixed_years",
    "Fixed probabilities": "fixed_probabilities",
}

#: Published figures of the 2023 survey: (question, probability) -> calendar year, read as
#: 2023 + years after the survey.
PUBLISHED_2023: Final[dict[tuple[str, float], int]] = {
    ("hlmi", 0.1): 2027,
    ("hlmi", 0.5): 2047,
    ("faol", 0.1): 2037,
    ("faol", 0.5): 2116,
}

#: The latest moment a quantile point may name; the survey's answers (at most 1e8 years) fit
#: well inside it, so the cap below is a guard, not something real answers meet.
_LATEST_POINT: Final = MAX_POINT_YEAR

_OUTPUT_COLUMNS: Final = [
    "response_id",
    "framing",
    "years_1",
    "years_2",
    "years_3",
    "prob_1",
    "prob_2",
    "prob_3",
]


def read_espai(
    path_or_buffer: str | os.PathLike[str] | IO[str],
    *,
    question: Question,
    survey_date: dt.date = SURVEY_DATE,
) -> pd.DataFrame:
    """Read one timeline question of the ESPAI cleaned responses, one row per usable respondent.

    Parameters
    ----------
    path_or_buffer : path or text buffer
        A CSV with ``ResponseId``, ``treat_assign`` and the question's six answer columns
        (:data:`COLUMNS`).
    question : {"hlmi", "faol"}, keyword-only
        High-level machine intelligence, or full automation of labour.
    survey_date : datetime.date, keyword-only
        When the survey was fielded; kept in ``frame.attrs["survey_date"]``.

    Returns
    -------
    pandas.DataFrame
        Columns ``response_id``, ``framing`` (``"fixed_years"`` or ``"fixed_probabilities"``),
        ``years_1..3`` (years after the survey, as answered) and ``prob_1..3`` (cumulative
        probabilities in [0, 1]), in file order. Respondents missing any of their framing's three
        answers are left out; ``frame.attrs`` records the question, the survey date, and the number
        of rows read and kept.

    Raises
    ------
    ValidationError
        If a column is missing (``field`` is its name), a cell is not a number, a percentage is
        outside 0..100, a year count is negative, or ``treat_assign`` names no framing; the message
        gives the data row (0-based, header excluded) and the ResponseId.
    """
    if question not in COLUMNS:
        raise ValidationError("question", f"{question!r} is not one of {', '.join(COLUMNS)}")
    if not isinstance(survey_date, dt.date):
        raise ValidationError("survey_date", f"must be a date, not {survey_date!r}")
    raw = pd.read_csv(path_or_buffer, dtype=str, keep_default_na=True)
    columns = COLUMNS[question]
    needed = ["ResponseId", "treat_assign", *columns["fixed_years"], *columns["fixed_probabilities"]]
    for name in needed:
        if name not in raw.columns:
            raise ValidationError(name, "column is missing from the ESPAI responses")

    ids = raw["ResponseId"]
    _require_present(ids, "ResponseId", ids)
    framing = raw["treat_assign"].map(_FRAMING_LABELS)
    bad = framing.isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValidationError(
            "treat_assign",
            f"row {row} (ResponseId {ids.iloc[row]}): {raw['treat_assign'].iloc[row]!r} is not one of "
            f"{', '.join(map(repr, _FRAMING_LABELS))}",
        )

    numbers = {name: _numeric(raw[name], name, ids) for name in needed[2:]}
    for name in columns["fixed_years"]:
        _check_range(numbers[name], name, ids, 0.0, 100.0, "a percentage in 0..100")
    for name in columns["fixed_probabilities"]:
        _check_range(numbers[name], name, ids, 0.0, np.inf, "a number of years >= 0")

    is_fy = (framing == "fixed_years").to_numpy()
    fy = np.column_stack([numbers[c] for c in columns["fixed_years"]])
    fp = np.column_stack([numbers[c] for c in columns["fixed_probabilities"]])
    n = len(raw)
    years = np.where(is_fy[:, None], np.broadcast_to(FIXED_YEARS[question], (n, 3)), fp)
    probs = np.where(is_fy[:, None], fy / 100.0, np.broadcast_to(FIXED_PROBABILITIES, (n, 3)))
    answers = np.where(is_fy[:, None], fy, fp)
    keep = ~np.isnan(answers).any(axis=1)

    frame = pd.DataFrame(
        {
            "response_id": ids.to_numpy()[keep],
            "framing": framing.to_numpy()[keep],
            **{f"years_{i + 1}": years[keep, i] for i in range(3)},
            **{f"prob_{i + 1}": probs[keep, i] for i in range(3)},
        },
        columns=_OUTPUT_COLUMNS,
    )
    frame.attrs.update(question=question, survey_date=survey_date, rows_read=n, rows_kept=int(keep.sum()))
    return frame


def espai_claims(
    frame: pd.DataFrame,
    *,
    milestone: str,
    survey_date: dt.date | None = None,
    first_claim_id: int = 1,
) -> list[ClaimForecast]:
    """Turn each respondent of :func:`read_espai` into an anonymous speaker with one quantiles claim.

    Parameters
    ----------
    frame : pandas.DataFrame
        As returned by :func:`read_espai`.
    milestone : str, keyword-only
        The milestone slug the claims are about.
    survey_date : datetime.date, optional, keyword-only
        The date the claims are dated at; points sit at ``decimal_year(survey_date) + years``.
        Defaults to the date :func:`read_espai` recorded, else :data:`SURVEY_DATE`.
    first_claim_id : int, keyword-only
        The id of the first claim; the others follow in frame order.

    Returns
    -------
    list of ClaimForecast
        One claim per row, by speaker ``espai-<year>-r-<id>`` (the ResponseId lower-cased, ``_``
        as ``-``). ``extra`` keeps ``response_id``, ``framing``, the answered ``years_after`` and,
        when an answer lies beyond what a forecast can name (more than about a million years, the
        survey's way of saying "never"), ``capped_years_after`` with the cap that was applied.

    Raises
    ------
    ValidationError
        If ``milestone`` is empty, a column is missing, two respondents map to the same speaker, or
        a row's pairs do not increase together (the message names the row and ResponseId).
    """
    if not milestone:
        raise ValidationError("milestone", "must name a milestone")
    for name in _OUTPUT_COLUMNS:
        if name not in frame.columns:
            raise ValidationError(name, "column is missing; pass the frame read_espai returns")
    if survey_date is None:
        recorded = frame.attrs.get("survey_date")
        survey_date = recorded if isinstance(recorded, dt.date) else SURVEY_DATE
    start = decimal_year(survey_date)
    years_after = frame[["years_1", "years_2", "years_3"]].to_numpy(dtype=float)
    probs = frame[["prob_1", "prob_2", "prob_3"]].to_numpy(dtype=float)
    moments = np.minimum(start + years_after, _LATEST_POINT)
    capped = start + years_after > _LATEST_POINT
    speakers = [espai_speaker(str(r), survey_date) for r in frame["response_id"]]
    duplicated = pd.Series(speakers).duplicated()
    if duplicated.any():
        row = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise ValidationError("response_id", f"row {row}: speaker {speakers[row]} is not unique")

    claims = []
    for row, speaker in enumerate(speakers):
        points = tuple(QuantilePoint(float(y), float(p)) for y, p in zip(moments[row], probs[row], strict=True))
        try:
            forecast = Forecast(kind=ForecastKind.QUANTILES, points=points)
        except ValidationError as exc:
            raise ValidationError(
                f"row {row}", f"ResponseId {frame['response_id'].iloc[row]}: {exc.field}: {exc.message}"
            ) from None
        extra: dict[str, object] = {
            "response_id": str(frame["response_id"].iloc[row]),
            "framing": str(frame["framing"].iloc[row]),
            "years_after": tuple(float(y) for y in years_after[row]),
        }
        if capped[row].any():
            extra["capped_years_after"] = _LATEST_POINT - start
        claims.append(
            ClaimForecast(
                claim_id=first_claim_id + row,
                speaker=speaker,
                milestone=milestone,
                said_on=survey_date,
                forecast=forecast,
                extra=extra,
            )
        )
    return claims


def espai_speaker(response_id: str, survey_date: dt.date = SURVEY_DATE) -> str:
    """The anonymous speaker slug of a respondent: ``R_00LGZ47U9h14rsZ`` -> ``espai-2023-r-00lgz47u9h14rsz``."""
    return f"espai-{survey_date.year}-" + response_id.strip().lower().replace("_", "-")


@dataclass(frozen=True)
class EspaiPool:
    """The equal-weight linear pool of fitted respondent CDFs for one question.

    Attributes
    ----------
    question : str
        ``"hlmi"`` or ``"faol"``.
    years_after : ndarray, shape (m,)
        Grid of years after the survey.
    cdf : ndarray, shape (m,)
        Mean of the respondents' fitted CDFs on the grid.
    fit : FitResult
        The per-respondent fits.
    """

    question: str
    years_after: NDArray[np.float64]
    cdf: NDArray[np.float64]
    fit: FitResult

    def years_to(self, probability: float) -> float:
        """Years after the survey by which the pooled CDF first reaches ``probability`` (inf if never)."""
        return float(_invert(self.years_after, self.cdf, np.array([probability]))[0])


def pool_espai(frame: pd.DataFrame, *, family: str = "gamma", horizon: float = 10_000.0) -> EspaiPool:
    """Fit every respondent of ``frame`` and average the fitted CDFs with equal weights.

    Parameters
    ----------
    frame : pandas.DataFrame
        As returned by :func:`read_espai`.
    family : {"gamma", "lognormal"}, keyword-only
        The family each respondent is fitted with; ESPAI uses gamma.
    horizon : float, keyword-only
        The last year after the survey on the grid: 0.01-year steps to 200 years, then geometric.

    Returns
    -------
    EspaiPool

    References
    ----------
    .. [1] K. Grace et al., "Thousands of AI Authors on the Future of AI", arXiv:2401.02843, 2024.
    .. [2] R. Ranjan and T. Gneiting, "Combining probability forecasts", J. R. Stat. Soc. B
       72(1):71-91, 2010 (the linear pool).
    """
    if not (np.isfinite(horizon) and horizon > 200):
        raise ValidationError("horizon", f"{horizon} must be a finite number of years above 200")
    times = frame[["years_1", "years_2", "years_3"]].to_numpy(dtype=float)
    probs = frame[["prob_1", "prob_2", "prob_3"]].to_numpy(dtype=float)
    fit = fit_cdf_points(times, probs, family=family)
    grid = np.concatenate([np.linspace(0.0, 200.0, 20_001), np.geomspace(200.0, horizon, 2_001)[1:]])
    # Evaluating in blocks keeps memory at a few tens of MB for thousands of respondents.
    total = np.zeros_like(grid)
    for lo in range(0, len(frame), 256):
        total += fit_block(fit, slice(lo, lo + 256), grid).sum(axis=0)
    cdf = total / max(len(frame), 1)
    return EspaiPool(question=str(frame.attrs.get("question", "")), years_after=grid, cdf=cdf, fit=fit)


def fit_block(fit: FitResult, rows: slice, grid: NDArray[np.float64]) -> NDArray[np.float64]:
    """Fitted CDFs of ``rows`` on ``grid``: shape (rows, len(grid))."""
    sub = FitResult(fit.family, fit.shape[rows], fit.scale[rows], fit.sse[rows], fit.converged[rows])
    return sub.cdf(grid)


def reproduce_espai(
    path: str | os.PathLike[str],
    *,
    survey_date: dt.date = SURVEY_DATE,
    levels: Sequence[float] = (0.1, 0.5),
) -> pd.DataFrame:
    """Set the published 2023 ESPAI aggregate next to ours, for HLMI and FAOL.

    Fits every respondent's answers with a gamma CDF (:func:`forecasts.engine.fit.fit_cdf_points`),
    averages the CDFs (:func:`pool_espai`) and reads off when the pool reaches each level.

    Parameters
    ----------
    path : path
        The cleaned ESPAI responses CSV.
    survey_date : datetime.date, keyword-only
        Passed to :func:`read_espai`; the figures are stated as the paper states them,
        ``2023 + years after the survey``, whatever the date within 2023.
    levels : sequence of float, keyword-only
        Pooled probabilities to report.

    Returns
    -------
    pandas.DataFrame
        One row per (question, level): ``question``, ``level``, ``respondents``, ``years_after``,
        ``ours`` (``2023 + years_after``), ``published`` (or NaN), ``difference`` (ours minus
        published, years), and ``pool_at_1000`` (the pooled CDF 1000 years out).
    """
    rows = []
    for question in ("hlmi", "faol"):
        frame = read_espai(path, question=question, survey_date=survey_date)
        pool = pool_espai(frame)
        at_1000 = float(np.interp(1000.0, pool.years_after, pool.cdf))
        for level in levels:
            years = pool.years_to(level)
            published = PUBLISHED_2023.get((question, level))
            ours = survey_date.year + years
            rows.append(
                {
                    "question": question,
                    "level": level,
                    "respondents": len(frame),
                    "years_after": years,
                    "ours": ours,
                    "published": float("nan") if published is None else float(published),
                    "difference": float("nan") if published is None else ours - published,
                    "pool_at_1000": at_1000,
                }
            )
    return pd.DataFrame(rows)


def _invert(grid: NDArray[np.float64], cdf: NDArray[np.float64], levels: NDArray[np.float64]) -> NDArray[np.float64]:
    """First grid crossing of each level, interpolated linearly; inf where the CDF never gets there."""
    out = np.full(levels.shape, np.inf)
    for i, level in enumerate(levels):
        hit = np.flatnonzero(cdf >= level)
        if hit.size == 0:
            continue
        j = int(hit[0])
        if j == 0:
            out[i] = grid[0]
            continue
        c0, c1 = cdf[j - 1], cdf[j]
        out[i] = grid[j - 1] + (level - c0) / (c1 - c0) * (grid[j] - grid[j - 1])
    return out


def _numeric(column: pd.Series, name: str, ids: pd.Series) -> NDArray[np.float64]:
    values = pd.to_numeric(column, errors="coerce")
    bad = values.isna() & column.notna() & (column.str.strip() != "")
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValidationError(name, f"row {row} (ResponseId {ids.iloc[row]}): {column.iloc[row]!r} is not a number")
    return values.to_numpy(dtype=float)


def _check_range(values: NDArray[np.float64], name: str, ids: pd.Series, low: float, high: float, what: str) -> None:
    bad = ~np.isnan(values) & ~(np.isfinite(values) & (values >= low) & (values <= high))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValidationError(name, f"row {row} (ResponseId {ids.iloc[row]}): {values[row]:g} is not {what}")


def _require_present(column: pd.Series, name: str, ids: pd.Series) -> None:
    missing = column.isna() | (column.str.strip() == "")
    if missing.any():
        row = int(np.flatnonzero(missing.to_numpy())[0])
        raise ValidationError(name, f"row {row} is empty")
