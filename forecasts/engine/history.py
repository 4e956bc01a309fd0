"""How the pooled forecast for a milestone moved: the aggregate as of each month in a range.

Each claim is interpreted and evaluated on the grid once; each month only re-weights the rows
(claims said after the month get weight 0, a speaker's newer claim replaces the older one), so a
month costs a matrix product for the linear and geometric pools.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from forecasts.engine import curves
from forecasts.engine.condition import condition_bounds, condition_curve
from forecasts.engine.grid import default_grid, validate_grid
from forecasts.engine.interpret import Interpretation
from forecasts.engine.model import decimal_year
from forecasts.engine.pool import LEVELS, METHODS, WEIGHTINGS, select_weights
from forecasts.engine.poolmath import combine_matrix, quantiles_from_cdf
from forecasts.errors import ValidationError

__all__ = ["History", "history", "month_starts"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class History:
    """The aggregate as of the first day of each month.

    Attributes
    ----------
    dates : tuple of date
        First days of the months.
    grid : ndarray, shape (G,)
    cdf, bounds_low, bounds_high : ndarray, shape (M, G)
        Pooled CDF and bounds band per month (NaN rows before the first claim).
    p_never : ndarray, shape (M,)
    quantiles : ndarray, shape (M, len(LEVELS))
        Decimal years, ``inf`` where a level is not reached on the grid.
    n_claims : ndarray of int, shape (M,)
    conditioned : bool
        Whether each month is conditioned on no arrival before its first day.
    """

    dates: tuple[dt.date, ...]
    grid: FloatArray
    cdf: FloatArray
    p_never: FloatArray
    quantiles: FloatArray
    bounds_low: FloatArray
    bounds_high: FloatArray
    n_claims: NDArray[np.int64]
    conditioned: bool = False


def month_starts(start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
    """First days of the months from ``start``'s month to ``end``'s month, inclusive."""
    if end < start:
        raise ValidationError("end", f"{end} is before start {start}")
    first = start.year * 12 + start.month - 1
    last = end.year * 12 + end.month - 1
    return tuple(dt.date(m // 12, m % 12 + 1, 1) for m in range(first, last + 1))


def history(
    interp: Interpretation,
    *,
    start: dt.date,
    end: dt.date,
    method: str = "linear",
    weighting: str = "speaker_latest",
    include_bounds_only: bool = False,
    grid: ArrayLike | None = None,
    clip: float = 0.01,
    extremize: float = 1.0,
    conditioned: bool = False,
    resolved_on: dt.date | None = None,
) -> History:
    """Pool the claims as of the first day of every month from ``start`` to ``end``.

    Parameters are those of :func:`forecasts.engine.pool.pool` (explicit weights excepted); with
    ``conditioned`` each month's pool is conditioned on no arrival before that month's first day,
    as the site would have shown it then; months from ``resolved_on`` on (the milestone had
    arrived) are left as pooled.
    """
    if method not in METHODS:
        raise ValidationError("method", f"{method!r} is not one of {', '.join(METHODS)}")
    if weighting not in WEIGHTINGS or weighting == "explicit":
        raise ValidationError("weighting", f"{weighting!r} is not one of speaker_latest, recency, equal")
    g = default_grid() if grid is None else validate_grid(grid)
    dates = month_starts(start, end)
    moments = np.array([decimal_year(d) for d in dates])
    # The CDFs (the costly part) are evaluated in a thread while the bounds and weights are built.
    with ThreadPoolExecutor(max_workers=1) as side:
        cdfs = side.submit(curves.cdf, interp, g)
        low, high = curves.literal_bounds(interp, g)
        # A loop over months (not claims): each builds one weight vector with array operations.
        w = (
            np.vstack(
                [
                    select_weights(interp, as_of=m, weighting=weighting, include_bounds_only=include_bounds_only)
                    for m in moments
                ]
            )
            if len(interp)
            else np.zeros((moments.size, 0))
        )
        wb = (
            np.vstack([select_weights(interp, as_of=m, weighting=weighting, include_bounds_only=True) for m in moments])
            if len(interp)
            else np.zeros((moments.size, 0))
        )
        f = cdfs.result()
    reach = 1.0 - interp.p_never
    if method == "linear":
        cdf, p_never = w @ f, w @ interp.p_never
        b_low, b_high = wb @ low, wb @ high
    elif method == "geometric_odds":
        cap = special.expit(extremize * (w @ special.logit(np.clip(reach, clip, 1 - clip))))
        cdf, p_never = special.expit(extremize * (w @ special.logit(np.clip(f, clip, 1 - clip)))), 1 - cap
        b_low = special.expit(extremize * (wb @ special.logit(np.clip(low, clip, 1 - clip))))
        b_high = special.expit(extremize * (wb @ special.logit(np.clip(high, clip, 1 - clip))))
    else:
        cdf, p_never, b_low, b_high = _per_month(interp, method, w, wb, f, low, high, g, clip, extremize)
    empty = w.sum(axis=1) == 0
    cdf[empty] = np.nan
    p_never = np.where(empty, np.nan, p_never)
    b_empty = wb.sum(axis=1) == 0
    b_low[b_empty] = np.nan
    b_high[b_empty] = np.nan
    if conditioned:
        open_months = moments < (decimal_year(resolved_on) if resolved_on is not None else np.inf)
        c = _condition_months(
            g, moments[open_months], cdf[open_months], p_never[open_months], b_low[open_months], b_high[open_months]
        )
        cdf[open_months], p_never[open_months], b_low[open_months], b_high[open_months] = c
    qs = np.vstack([quantiles_from_cdf(g, row, np.array(LEVELS)) for row in cdf])
    return History(dates, g, cdf, p_never, qs, b_low, b_high, (w > 0).sum(axis=1).astype(np.int64), conditioned)


def _condition_months(
    g: FloatArray, moments: FloatArray, cdf: FloatArray, p_never: FloatArray, b_low: FloatArray, b_high: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Each month's pool and bounds conditioned on no arrival before the month's first day."""
    c_cdf, c_never = condition_curve(g, cdf, p_never, moments)
    c_low, c_high = np.full_like(b_low, np.nan), np.full_like(b_high, np.nan)
    for i, m in enumerate(moments):
        if np.all(np.isfinite(b_low[i])) and np.all(np.isfinite(b_high[i])):
            c_low[i], c_high[i], _ = condition_bounds(g, b_low[i], b_high[i], (0.0, 0.0), float(m))
    return c_cdf, c_never, c_low, c_high


def _per_month(
    interp: Interpretation,
    method: str,
    w: FloatArray,
    wb: FloatArray,
    f: FloatArray,
    low: FloatArray,
    high: FloatArray,
    g: FloatArray,
    clip: float,
    extremize: float,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Median and quantile pools need the whole column per month: re-combine the stored rows."""
    m = w.shape[0]
    out = np.zeros((m, g.size))
    never = np.zeros(m)
    b_low, b_high = np.zeros((m, g.size)), np.zeros((m, g.size))
    levels = np.linspace(0.0, 1.0, 801)[1:-1]
    q = curves.quantiles(interp, levels, given_arrival=True) if method == "quantile" else None
    bq = curves.bound_quantiles(interp, levels, given_arrival=True) if method == "quantile" else None
    kw = {"block": max(1, len(interp)), "clip": clip, "extremize": extremize, "grid": g, "levels": levels}
    for i in range(m):
        for weights, mats, qmats, dest in ((w[i], (f,), (q,), None), (wb[i], (low, high), bq, "b")):
            rows = np.flatnonzero(weights > 0)
            if rows.size == 0:
                continue
            ws = weights[rows]
            for j, mat in enumerate(mats):
                qm = None if qmats is None else qmats[j]
                never_src = (interp.p_never, interp.never_high, interp.never_low)[0 if dest is None else 1 + j]
                curve, p_never, _, _ = combine_matrix(
                    method,
                    ws,
                    1.0 - never_src[rows],
                    lambda r, mat=mat, rows=rows: mat[rows[r]],  # type: ignore[misc]
                    rows.size,
                    quantile_rows=None if qm is None else (lambda r, qm=qm, rows=rows: qm[rows[r]]),  # type: ignore[misc]
                    band=False,
                    **kw,  # type: ignore[arg-type]
                )
                if dest is None:
                    out[i], never[i] = curve, p_never
                elif j == 0:
                    b_low[i] = curve
                else:
                    b_high[i] = curve
    return out, never, b_low, b_high
