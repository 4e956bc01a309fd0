"""Array kernels shared by pooling and its history: combining many CDFs column by column.

Kept apart from :mod:`forecasts.engine.pool` so that the pooled aggregate and the month-by-month history
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

from forecasts.engine.model import decimal_year
from forecasts.errors import ValidationError

__all__ = ["as_moment", "combine_matrix", "combine_tiles", "quantiles_from_cdf", "weighted_column_quantiles"]

FloatArray = NDArray[np.float64]
RowsFn = Callable[[NDArray[np.intp]], FloatArray]
#: rows -> (first column, end column, values on those columns); see :func:`combine_tiles`.
TileFn = Callable[[NDArray[np.intp]], tuple[int, int, FloatArray]]

#: Above this many matrix entries, column quantiles come from weighted histograms of
#: :data:`HIST_BINS` bins (error at most 1 / HIST_BINS in probability) instead of sorting.
EXACT_LIMIT: Final = 4_000_000
HIST_BINS: Final = 2048
_WORKERS: Final = min(4, os.cpu_count() or 1)
#: Columns histogrammed at once: their counts (8 * 2049 bytes each) stay in a core's cache.
_HIST_COLUMNS: Final = 48


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
    return combine_tiles(
        method,
        w,
        reach,
        lambda rows: (0, g, rows_fn(rows)),
        n,
        block=block,
        clip=clip,
        extremize=extremize,
        grid=grid,
        quantile_rows=quantile_rows,
        levels=levels,
        band=band,
    )


def combine_tiles(
    method: str,
    w: FloatArray,
    reach: FloatArray,
    tile_fn: TileFn,
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
    """:func:`combine_matrix` for curves that are flat outside a band of columns.

    ``tile_fn(rows)`` returns ``(start, stop, values)``: the rows' curves are 0 before column
    ``start``, ``values`` (shape (len(rows), stop - start)) on ``[start, stop)`` and their
    ``reach`` from ``stop`` on. The flat parts are added to the sums and histograms in closed
    form, so their cost does not grow with the number of columns they cover.
    """
    g = grid.size
    need_q = band or method == "median"
    exact = n * g <= EXACT_LIMIT
    eps = clip
    # Quantile averaging runs over the distributions given arrival; P(never) is pooled linearly.
    wq = np.where(reach > 0, w, 0.0)
    wq = wq / wq.sum() if wq.sum() > 0 else wq
    flat_logit = float(special.logit(np.clip(np.zeros(1), eps, 1 - eps))[0])

    def block_sums(first: int, acc: _Sums) -> None:
        rows = np.arange(first, min(n, first + block))
        wr, rr = w[rows], reach[rows]
        start, stop, f = tile_fn(rows)
        # einsum, not BLAS: on a busy machine BLAS threads spin against the block threads.
        if method == "linear":
            acc.lin[start:stop] += np.einsum("i,ij->j", wr, f)
            acc.lin[stop:] += np.einsum("i,i->", wr, rr)
        elif method == "geometric_odds":
            acc.logit[:start] += wr.sum() * flat_logit
            acc.logit[start:stop] += np.einsum("i,ij->j", wr, special.logit(np.clip(f, eps, 1 - eps)))
            acc.logit[stop:] += np.einsum("i,i->", wr, special.logit(np.clip(rr, eps, 1 - eps)))
        elif method == "quantile":
            assert quantile_rows is not None
            q = quantile_rows(rows)
            wqr = wq[rows, None]
            # Zero weight times an infinite quantile is no contribution, not NaN.
            with np.errstate(invalid="ignore"):
                acc.q += np.where(wqr > 0, wqr * q, 0.0).sum(axis=0)
        if need_q and not exact:
            acc.hist[:start, 0] += wr.sum()
            _add_column_hist(acc.hist[start:stop], f, wr)
            acc.hist[stop:] += np.bincount(_bins(rr), weights=wr, minlength=HIST_BINS + 1)
        elif need_q:
            acc.full[first] = np.concatenate(
                [np.zeros((rows.size, start)), f, np.broadcast_to(rr[:, None], (rows.size, g - stop))], axis=1
            )

    def run(worker: int) -> _Sums:
        acc = _Sums(g, 0 if levels is None else levels.size, need_q and not exact)
        # Interleaved blocks balance the workers when costly rows (gamma CDFs) come together.
        for first in range(worker * block, n, block * _WORKERS):
            block_sums(first, acc)
        return acc

    # numpy and scipy.special release the GIL inside their loops, so workers run in parallel threads.
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        parts = list(pool.map(run, range(_WORKERS)))
    lin, logit, qsum, hist = (np.sum([getattr(p, k) for p in parts], axis=0) for k in ("lin", "logit", "q", "hist"))
    full = {first: rows for p in parts for first, rows in p.full.items()}
    nan = np.full(g, np.nan)
    qlev = np.array([0.25, 0.5, 0.75])
    if need_q:
        qcols = (
            weighted_column_quantiles(np.vstack([full[k] for k in sorted(full)]), w, qlev)
            if exact
            else _hist_quantiles(hist, qlev)
        )
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


class _Sums:
    """One worker's running sums in :func:`combine_tiles`."""

    def __init__(self, g: int, levels: int, hist: bool) -> None:
        self.lin = np.zeros(g)
        self.logit = np.zeros(g)
        self.q = np.zeros(levels)
        self.hist = np.zeros((g, HIST_BINS + 1) if hist else (0, 0))
        self.full: dict[int, FloatArray] = {}


def _bins(f: FloatArray) -> NDArray[np.intp]:
    """Histogram bin of each value: ceil(v * HIST_BINS), so that exact zeros have a bin of their own."""
    return np.ceil(f * HIST_BINS).astype(np.intp)


def _add_column_hist(out: FloatArray, f: FloatArray, w: FloatArray) -> None:
    """Add the weighted histogram of each column of ``f`` (rows weighted by ``w``) to ``out``.

    ``out`` has shape (m, HIST_BINS + 1). One ``bincount`` per group of columns, with column j's
    bins offset by j * (HIST_BINS + 1); groups of :data:`_HIST_COLUMNS` keep the counts in cache.
    """
    width = HIST_BINS + 1
    offsets = np.arange(_HIST_COLUMNS) * float(width)
    # Equal weights (one vote per speaker, or equal weighting): count, then scale.
    equal = w.size > 0 and w.min() == w.max()
    for j in range(0, f.shape[1], _HIST_COLUMNS):
        part = f[:, j : j + _HIST_COLUMNS]
        k = part.shape[1]
        scaled = np.multiply(part, HIST_BINS)
        np.ceil(scaled, out=scaled)
        scaled += offsets[:k]
        idx = scaled.astype(np.intp).ravel()
        if equal:
            counts = np.bincount(idx, minlength=k * width) * w[0]
        else:
            counts = np.bincount(idx, weights=np.broadcast_to(w[:, None], part.shape).ravel(), minlength=k * width)
        out[j : j + k] += counts.reshape(k, width)


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
