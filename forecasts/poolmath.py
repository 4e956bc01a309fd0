"""Array kernels shared by pooling and its history: combining many CDFs column by column.

Kept apart from :mod:`forecasts.pool` so that the pooled aggregate and the month-by-month history
use the same arithmetic.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Final

import numpy as np
from numpy.typing import NDArray
from scipy import special

from forecasts.errors import ValidationError
from forecasts.model import decimal_year

__all__ = ["as_moment", "combine_matrix", "quantiles_from_cdf", "weighted_column_quantiles"]

FloatArray = NDArray[np.float64]
RowsFn = Callable[[NDArray[np.intp]], FloatArray]

#: Above this many matrix entries, column quantiles come from weighted histograms of
#: :data:`HIST_BINS` bins (error at most 1 / HIST_BINS in probability) instead of sorting.
EXACT_LIMIT: Final = 4_000_000
HIST_BINS: Final = 2048
_WORKERS: Final = min(4, os.cpu_count() or 1)


def as_moment(as_of: dt.date | float | None) -> float:
    """A decimal year from a date, a decimal year or ``None`` (meaning: no cut-off)."""
    if as_of is None:
        return float("inf")
    if isinstance(as_of, dt.date):
        return decimal_year(as_of)
    if isinstance(as_of, bool) or not isinstance(as_of, int | float) or np.isnan(as_of):
        raise ValidationError("as_of", f"{as_of!r} is not a date or a decimal year")
    return float(as_of)


def weighted_column_quantiles(m: FloatArray, w: FloatArray, qs: FloatArray) -> FloatArray:
    """Weighted quantiles of each column of ``m`` (rows weighted by ``w``, summing to 1).

    The q-quantile is the midpoint of the smallest values at which the cumulative weight reaches
    q and exceeds q, so that an even split of equal weights gives the usual median.

    Returns
    -------
    ndarray, shape (len(qs), m.shape[1])
    """
    order = np.argsort(m, axis=0, kind="stable")
    vals = np.take_along_axis(m, order, axis=0)
    cw = np.cumsum(w[order], axis=0)
    out = np.empty((qs.size, m.shape[1]))
    cols = np.arange(m.shape[1])
    last = m.shape[0] - 1
    for i, q in enumerate(qs):
        lo = np.minimum((cw < q - 1e-12).sum(axis=0), last)
        hi = np.minimum((cw <= q + 1e-12).sum(axis=0), last)
        out[i] = 0.5 * (vals[lo, cols] + vals[hi, cols])
    return out


def _hist_quantiles(hist: FloatArray, qs: FloatArray) -> FloatArray:
    """Column quantiles from weighted histograms (G, B + 1) of values binned by ceil(v * B)."""
    bins = hist.shape[1] - 1
    cum = np.cumsum(hist, axis=1)
    out = np.empty((qs.size, hist.shape[0]))
    rows = np.arange(hist.shape[0])
    for i, q in enumerate(qs):
        b = np.minimum((cum < q - 1e-12).sum(axis=1), bins)
        before = np.where(b > 0, cum[rows, np.maximum(b - 1, 0)], 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.clip((q - before) / hist[rows, b], 0.0, 1.0)
        out[i] = np.where(b == 0, 0.0, (b - 1 + np.nan_to_num(frac)) / bins)
    return out


def combine_matrix(
    method: str,
    w: FloatArray,
    reach: FloatArray,
    rows_fn: RowsFn,
    n: int,
    *,
    block: int,
    clip: float,
    extremize: float,
    grid: FloatArray,
    quantile_rows: RowsFn | None = None,
    levels: FloatArray | None = None,
    band: bool = True,
) -> tuple[FloatArray, float, FloatArray, FloatArray]:
    """Combine n curves, produced ``block`` rows at a time by ``rows_fn``, into one.

    ``reach`` is each curve's limit at infinity (1 - P(never)). Returns the pooled curve on
    ``grid``, the pooled P(never) and the weighted 25th and 75th percentile curves (NaN if not
    ``band``). Memory stays at a few blocks whatever ``n``.
    """
    g = grid.size
    need_q = band or method == "median"
    exact = n * g <= EXACT_LIMIT
    lin = np.zeros(g)
    logit = np.zeros(g)
    qsum = np.zeros(0 if levels is None else levels.size)
    hist = np.zeros((g, HIST_BINS + 1)) if need_q and not exact else None
    full = []
    eps = clip
    # Quantile averaging runs over the distributions given arrival; P(never) is pooled linearly.
    wq = np.where(reach > 0, w, 0.0)
    wq = wq / wq.sum() if wq.sum() > 0 else wq
    def run(start: int) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray | None, FloatArray | None]:
        rows = np.arange(start, min(n, start + block))
        wr = w[rows]
        f = rows_fn(rows)
        part_lin = np.asarray(wr @ f, dtype=float) if method == "linear" else np.zeros(0)
        part_logit = wr @ special.logit(np.clip(f, eps, 1 - eps)) if method == "geometric_odds" else np.zeros(0)
        part_q = np.zeros(0)
        if method == "quantile":
            assert quantile_rows is not None
            q = quantile_rows(rows)
            wqr = wq[rows, None]
            # Zero weight times an infinite quantile is no contribution, not NaN.
            with np.errstate(invalid="ignore"):
                part_q = np.where(wqr > 0, wqr * q, 0.0).sum(axis=0)
        part_hist = None
        if need_q and not exact:
            idx = np.ceil(f * HIST_BINS).astype(np.intp)
            part_hist = np.vstack(
                [np.bincount(idx[:, j], weights=wr, minlength=HIST_BINS + 1) for j in range(g)]
            ).astype(float)
        return part_lin, part_logit, part_q, part_hist, (f if need_q and exact else None)

    # numpy and scipy.special release the GIL inside their loops, so blocks run in parallel threads.
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        for part_lin, part_logit, part_q, part_hist, f in pool.map(run, range(0, n, block)):
            if part_lin.size:
                lin += part_lin
            if part_logit.size:
                logit += part_logit
            if part_q.size:
                qsum += part_q
            if part_hist is not None:
                assert hist is not None
                hist += part_hist
            if f is not None:
                full.append(f)
    nan = np.full(g, np.nan)
    qlev = np.array([0.25, 0.5, 0.75])
    if need_q:
        qcols = weighted_column_quantiles(np.vstack(full), w, qlev) if exact else _hist_quantiles(hist, qlev)  # type: ignore[arg-type]
    else:
        qcols = np.vstack([nan, nan, nan])
    if method == "linear":
        return lin, float(w @ (1.0 - reach)), qcols[0], qcols[2]
    if method == "geometric_odds":
        cap = special.expit(extremize * (w @ special.logit(np.clip(reach, eps, 1 - eps))))
        return special.expit(extremize * logit), float(1.0 - cap), qcols[0], qcols[2]
    if method == "median":
        never = float(1.0 - weighted_column_quantiles(reach[:, None], w, np.array([0.5]))[0, 0])
        return qcols[1], never, qcols[0], qcols[2]
    assert levels is not None
    finite = np.isfinite(qsum)
    # The pooled quantile function, inverted on the grid; levels past the last finite one are
    # the mass that some claim puts on never.
    qf, lf = np.maximum.accumulate(qsum[finite]), levels[finite]
    arrive = float(w @ reach)
    curve = np.interp(grid, qf, lf, left=0.0, right=1.0) if lf.size else np.zeros(g)
    return arrive * curve, 1.0 - arrive, qcols[0], qcols[2]


def quantiles_from_cdf(grid: FloatArray, cdf: FloatArray, levels: FloatArray) -> FloatArray:
    """Invert a monotone CDF on a grid by linear interpolation; ``inf`` where a level is not reached."""
    f = np.maximum.accumulate(np.nan_to_num(cdf))
    idx = np.searchsorted(f, levels, side="left")
    out = np.full(levels.shape, np.inf)
    ok = idx < f.size
    i = np.clip(idx, 1, f.size - 1)
    f0, f1 = f[i - 1], f[i]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(f1 > f0, (levels - f0) / (f1 - f0), 1.0)
    val = grid[i - 1] + np.clip(frac, 0.0, 1.0) * (grid[i] - grid[i - 1])
    out[ok] = np.where(idx[ok] == 0, grid[0], val[ok])
    return out
