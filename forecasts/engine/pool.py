"""Pool many interpreted claims into one distribution over the arrival moment.

Claims said on or before an "as of" moment are weighted (one vote per speaker by default), their
CDFs evaluated on the shared grid (:mod:`forecasts.engine.grid`) and combined by one of four methods.
The same method applied to each claim's literal bounds gives the *bounds band*: every method here
is monotone in each input CDF, so pooling the per-claim lower (upper) bounds gives the lowest
(highest) pooled CDF that the claims' words allow.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from forecasts.engine import curves
from forecasts.engine.condition import claim_survival, condition_bounds, condition_curve, refuted
from forecasts.engine.grid import default_grid, validate_grid
from forecasts.engine.interpret import Interpretation
from forecasts.engine.poolmath import as_moment, combine_matrix, combine_tiles, quantiles_from_cdf
from forecasts.errors import ValidationError

__all__ = ["LEVELS", "METHODS", "WEIGHTINGS", "Aggregate", "pool", "select_weights"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

METHODS: Final = ("linear", "median", "quantile", "geometric_odds")
WEIGHTINGS: Final = ("speaker_latest", "recency", "equal", "explicit")
#: Quantiles every aggregate reports.
LEVELS: Final = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)
#: Rows of claims evaluated at once: bounds peak memory at ~ 3 * 8 * rows * grid bytes.
_BLOCK: Final = 8192
#: Rows per block of CDFs: small enough for tight column ranges (see ``_pool_cdfs``) and warm caches.
_TILE_BLOCK: Final = 2048


@dataclass(frozen=True, eq=False)
class Aggregate:
    """A pooled forecast for one milestone as of one moment.

    Attributes
    ----------
    as_of : float
        Decimal year; claims said after it are ignored.
    method, weighting : str
        How the claims were combined and weighted.
    grid, cdf : ndarray, shape (G,)
        Pooled P(arrival <= t) on the grid.
    p_never : float
        Pooled probability of never arriving.
    p_beyond_grid : float
        Probability of arriving after the grid's end (but not never): ``1 - p_never - cdf[-1]``.
    quantiles : dict
        Level -> decimal year (:data:`LEVELS`), ``None`` when the level is not reached on the grid.
    p_by : dict
        Year -> P(arrival by the end of that year), for the years asked for.
    band_low, band_high : ndarray, shape (G,)
        Weighted 25th and 75th percentiles of the individual CDFs at each grid time.
    bounds_low, bounds_high : ndarray, shape (G,)
        The lowest and highest pooled CDF the claims' literal words allow (all claims, bound-only
        ones included).
    never_bounds : tuple of float
        The same for P(never).
    n_claims, n_speakers : int
        Claims and distinct speakers in the point aggregate.
    claim_ids, weights : ndarray
        The claims used in the point aggregate and their normalised weights (as said, before
        any conditioning).
    conditioned_on : float or None
        The moment the curves are conditioned on (no arrival before it), or None.
    p_before : float
        The unconditioned pool's P(arrival before ``as_of``): what the present has ruled out.
    survival : ndarray
        Per claim of ``claim_ids``: its P(no arrival before ``as_of``). Under the conditioned linear
        pool a claim's share is ``weights * survival`` renormalised.
    refuted_ids : ndarray
        Claims standing at ``as_of`` (bound-only ones included) that the present has refuted: their
        words or reading put all their mass before ``as_of``.
    """

    as_of: float
    method: str
    weighting: str
    grid: FloatArray
    cdf: FloatArray
    p_never: float
    p_beyond_grid: float
    quantiles: dict[float, float | None]
    p_by: dict[int, float]
    band_low: FloatArray
    band_high: FloatArray
    bounds_low: FloatArray
    bounds_high: FloatArray
    never_bounds: tuple[float, float]
    n_claims: int
    n_speakers: int
    claim_ids: IntArray
    weights: FloatArray
    conditioned_on: float | None = None
    p_before: float = float("nan")
    survival: FloatArray = field(default_factory=lambda: np.zeros(0))
    refuted_ids: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def pdf(self) -> tuple[FloatArray, FloatArray]:
        """Density per year between grid points: (midpoints, density), for charts."""
        mid = 0.5 * (self.grid[1:] + self.grid[:-1])
        return mid, np.diff(self.cdf) / np.diff(self.grid)

    def sample(self, size: int, *, rng: np.random.Generator) -> FloatArray:
        """Draw arrival moments by inverting the pooled CDF; ``inf`` stands for never or beyond the grid."""
        u = rng.uniform(size=size)
        return quantiles_from_cdf(self.grid, self.cdf, u)


def _validate(method: str, weighting: str, weights: ArrayLike | None, n: int) -> FloatArray | None:
    if method not in METHODS:
        raise ValidationError("method", f"{method!r} is not one of {', '.join(METHODS)}")
    if weighting not in WEIGHTINGS:
        raise ValidationError("weighting", f"{weighting!r} is not one of {', '.join(WEIGHTINGS)}")
    if (weighting == "explicit") != (weights is not None):
        raise ValidationError("weights", "are required with weighting='explicit' and only then")
    if weights is None:
        return None
    w = np.asarray(weights, dtype=float)
    if w.shape != (n,) or not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValidationError("weights", f"must be {n} finite non-negative numbers, one per claim")
    return w


def select_weights(
    interp: Interpretation,
    *,
    as_of: float,
    weighting: str = "speaker_latest",
    weights: ArrayLike | None = None,
    include_bounds_only: bool = False,
) -> FloatArray:
    """Normalised weight of every claim (0 for claims not used) as of a moment.

    ``speaker_latest`` gives each speaker's latest claim (by moment said, then claim id) one vote;
    ``recency`` orders those latest claims oldest to newest, n = 1..N, and weighs them
    ``exp(sqrt(n) - sqrt(N))`` (Metaculus); ``equal`` weighs every claim alike; ``explicit`` uses
    ``weights``. Bound-only claims are left out unless ``include_bounds_only``.
    """
    w0 = _validate("linear", weighting, weights, len(interp))
    eligible = interp.said_at <= as_of
    if not include_bounds_only:
        eligible &= ~interp.bound_only
    w = np.zeros(len(interp))
    if weighting in ("speaker_latest", "recency"):
        idx = np.flatnonzero(eligible)
        order = idx[np.lexsort((interp.claim_id[idx], interp.said_at[idx], interp.speaker_code[idx]))]
        codes = interp.speaker_code[order]
        last = order[np.append(codes[1:] != codes[:-1], True)] if order.size else order
        if weighting == "speaker_latest":
            w[last] = 1.0
        else:
            by_time = last[np.lexsort((interp.claim_id[last], interp.said_at[last]))]
            rank = np.arange(1, by_time.size + 1)
            w[by_time] = np.exp(np.sqrt(rank) - np.sqrt(by_time.size))
    elif weighting == "equal":
        w[eligible] = 1.0
    else:
        assert w0 is not None
        w = np.where(eligible, w0, 0.0)
    total = w.sum()
    return w / total if total > 0 else w


def pool(
    interp: Interpretation,
    *,
    as_of: dt.date | float | None = None,
    method: str = "linear",
    weighting: str = "speaker_latest",
    weights: ArrayLike | None = None,
    include_bounds_only: bool = False,
    by_years: tuple[int, ...] = (),
    grid: ArrayLike | None = None,
    clip: float = 0.01,
    extremize: float = 1.0,
    conditioned: bool = False,
) -> Aggregate:
    """Pool the claims said on or before ``as_of`` into one aggregate.

    Parameters
    ----------
    interp : Interpretation
        The milestone's claims, interpreted once (the caller selects the milestone).
    as_of : date or decimal year, keyword-only
        Claims said after the start of this day are ignored; default: all claims.
    method : {"linear", "median", "quantile", "geometric_odds"}, keyword-only
        Linear pool (mean of CDFs), median of CDFs, quantile averaging (Vincentization) of the
        distributions given arrival, scaled by the linearly pooled chance of arrival, or the
        geometric mean of odds of the CDFs clipped to [clip, 1 - clip], raised to ``extremize``.
    weighting : {"speaker_latest", "recency", "equal", "explicit"}, keyword-only
        See :func:`select_weights`.
    weights : array_like, keyword-only
        One non-negative weight per claim, with ``weighting="explicit"``.
    include_bounds_only : bool, keyword-only
        Put bound-only claims (their default shapes) into the point aggregate too.
    by_years : tuple of int, keyword-only
        Years for which to report P(arrival by the end of the year).
    grid : array_like, keyword-only
        Decimal years; default :func:`forecasts.engine.grid.default_grid`.
    clip, extremize : float, keyword-only
        Options of ``geometric_odds``.
    conditioned : bool, keyword-only
        Condition the pool on no arrival before ``as_of`` (see :mod:`forecasts.engine.condition`);
        the quantiles, P(by year), band and bounds are then those of the conditioned pool.

    Returns
    -------
    Aggregate
        With NaN curves and ``n_claims == 0`` if no claim qualifies.

    References
    ----------
    .. [1] R. Ranjan and T. Gneiting, "Combining probability forecasts", JRSS B 72(1), 2010.
    .. [2] K. C. Lichtendahl, Y. Grushka-Cockayne and R. L. Winkler, "Is it better to average
       probabilities or quantiles?", Management Science 59(7), 2013.
    .. [3] S. C. Hora et al., "Median aggregation of distribution functions", Decision Analysis
       10(4), 2013.
    .. [4] V. A. Satopaa et al., "Combining multiple probability predictions using a simple logit
       model", Int. J. Forecasting 30(2), 2014.
    .. [5] Metaculus, open-source aggregation code: recency-weighted mean of each forecaster's
       latest CDF.
    """
    g = default_grid() if grid is None else validate_grid(grid)
    _validate(method, weighting, weights, len(interp))
    if not 0.0 < clip < 0.5:
        raise ValidationError("clip", f"{clip} is not in (0, 0.5)")
    if not (np.isfinite(extremize) and extremize > 0):
        raise ValidationError("extremize", f"{extremize} is not a positive number")
    t = as_moment(as_of)
    opts = {"as_of": t, "weighting": weighting, "weights": weights}
    w = select_weights(interp, include_bounds_only=include_bounds_only, **opts)  # type: ignore[arg-type]
    wb = select_weights(interp, include_bounds_only=True, **opts)  # type: ignore[arg-type]
    used = np.flatnonzero(w > 0)
    bused = np.flatnonzero(wb > 0)
    sub = interp.take(used)
    ws = w[used]
    kw = {"clip": clip, "extremize": extremize}
    # The bounds band is independent of the point aggregate: it runs alongside in a thread.
    with ThreadPoolExecutor(max_workers=1) as side:
        bounds = side.submit(_pool_bounds, interp.take(bused), wb[bused], g, method, **kw)
        cdf, p_never, band_low, band_high = _pool_cdfs(sub, ws, g, method, **kw)
        bounds_low, bounds_high, never_bounds = bounds.result()
    empty = used.size == 0
    beyond = float("nan") if empty else max(0.0, 1.0 - p_never - float(cdf[-1]))
    qs = quantiles_from_cdf(g, cdf, np.array(LEVELS)) if not empty else np.full(len(LEVELS), np.inf)
    if method == "linear" and not empty:
        qs = _refine_linear(sub, ws, qs, g)
    by = np.asarray(by_years, dtype=float) + 1.0
    p_by = np.interp(by, g, cdf) if by.size and not empty else np.full(by.size, np.nan)
    agg = Aggregate(
        as_of=t,
        method=method,
        weighting=weighting,
        grid=g,
        cdf=cdf,
        p_never=p_never,
        p_beyond_grid=beyond,
        quantiles={lv: (float(q) if np.isfinite(q) else None) for lv, q in zip(LEVELS, qs, strict=True)},
        p_by={int(y): float(p) for y, p in zip(by_years, p_by, strict=True)},
        band_low=band_low,
        band_high=band_high,
        bounds_low=bounds_low,
        bounds_high=bounds_high,
        never_bounds=never_bounds,
        n_claims=int(used.size),
        n_speakers=int(np.unique(sub.speaker_code).size),
        claim_ids=sub.claim_id,
        weights=ws,
    )
    if not np.isfinite(t):
        return agg
    standing = interp.take(bused)
    survival = claim_survival(sub, t)
    if empty:
        p_before = float("nan")
    elif method == "linear":
        p_before = float(ws @ (1.0 - survival))  # exact: the mixture at t
    else:
        p_before = float(np.interp(t, g, cdf))
    agg = replace(agg, survival=survival, refuted_ids=standing.claim_id[refuted(standing, t)], p_before=p_before)
    if not conditioned or empty:
        return replace(agg, conditioned_on=t if conditioned else None)
    return _conditioned(agg, sub, by_years, **kw)


def _conditioned(
    agg: Aggregate, sub: Interpretation, by_years: tuple[int, ...], *, clip: float, extremize: float
) -> Aggregate:
    """The aggregate conditioned on no arrival before its ``as_of`` (see :mod:`forecasts.engine.condition`)."""
    t, g, ws = agg.as_of, agg.grid, agg.weights
    f_a = np.array([agg.p_before])
    cdf, never = condition_curve(g, agg.cdf, agg.p_never, t, f_at=f_a)
    s_pool = 1.0 - float(f_a[0])
    alive = agg.survival > 0
    levels = np.array(LEVELS)
    if not np.isfinite(never):
        qs = np.full(len(LEVELS), np.inf)
    else:
        qs = quantiles_from_cdf(g, cdf, levels)
        if agg.method == "linear":
            # The conditioned quantile q is the unconditioned one at F(a) + q (1 - F(a)): polish it there.
            qs = _refine_linear(sub, ws, qs, g, target=float(f_a[0]) + levels * s_pool)
    # The spread of the claims as they stand now: each claim conditioned on its own survival,
    # weighted as the conditioned pool weighs it (the linear pool: by survival).
    bw = ws * agg.survival if agg.method == "linear" else np.where(alive, ws, 0.0)
    band_low, band_high = np.full(g.size, np.nan), np.full(g.size, np.nan)
    live = np.flatnonzero(alive & (bw > 0))
    if live.size:
        part = sub.take(live)
        s_live = agg.survival[live]
        _, _, band_low, band_high = combine_matrix(
            "linear",
            bw[live] / bw[live].sum(),
            1.0 - part.p_never / s_live,
            lambda rows: condition_curve(
                g,
                curves.cdf(part.take(rows), g),
                part.p_never[rows],
                np.full(rows.size, t),
                f_at=1.0 - s_live[rows],
            )[0],
            live.size,
            block=_BLOCK,
            clip=clip,
            extremize=extremize,
            grid=g,
        )
    b_low, b_high, nb = condition_bounds(g, agg.bounds_low, agg.bounds_high, agg.never_bounds, t)
    by = np.asarray(by_years, dtype=float) + 1.0
    return replace(
        agg,
        conditioned_on=t,
        cdf=cdf,
        p_never=float(never),
        p_beyond_grid=max(0.0, 1.0 - float(never) - float(cdf[-1])) if np.isfinite(never) else float("nan"),
        quantiles={lv: (float(q) if np.isfinite(q) else None) for lv, q in zip(LEVELS, qs, strict=True)},
        p_by={int(y): float(p) for y, p in zip(by_years, np.interp(by, g, cdf), strict=True)},
        band_low=band_low,
        band_high=band_high,
        bounds_low=b_low,
        bounds_high=b_high,
        never_bounds=nb,
    )


def _pool_cdfs(
    sub: Interpretation, w: FloatArray, g: FloatArray, method: str, *, clip: float, extremize: float
) -> tuple[FloatArray, float, FloatArray, FloatArray]:
    """Pooled CDF, P(never) and the 25-75% band, evaluating claims in blocks of rows."""
    if len(sub) == 0:
        nan = np.full(g.size, np.nan)
        return nan, float("nan"), nan, nan
    # Before the first claim every CDF is 0: skip those columns.
    first = int(np.searchsorted(g, sub.said_at.min(), side="left"))
    cols = g[first:]
    # Each block of rows is evaluated only on the columns where some of its CDFs are not flat;
    # ordering the claims by family and by where that range lies keeps the blocks' ranges tight.
    start, stop = curves.flat_columns(sub, cols)
    order = np.lexsort((start + stop, sub.family)).astype(np.intp)
    start, stop = start[order], stop[order]

    def tile(rows: NDArray[np.intp]) -> tuple[int, int, FloatArray]:
        a, b = int(start[rows].min()), int(stop[rows].max())
        b = max(a, b)
        return a, b, curves.cdf_rows(sub, order[rows], cols[a:b])

    levels = np.linspace(0.0, 1.0, 801)[1:-1] if method == "quantile" else None
    cdf_tail, p_never, lo_tail, hi_tail = combine_tiles(
        method,
        w[order],
        (1.0 - sub.p_never)[order],
        tile,
        len(sub),
        block=_TILE_BLOCK,
        clip=clip,
        extremize=extremize,
        grid=cols,
        quantile_rows=(
            (lambda rows: curves.quantiles(sub.take(order[rows]), levels, given_arrival=True))
            if levels is not None
            else None
        ),
        levels=levels,
    )
    pad = np.zeros(first)
    return (
        np.concatenate([pad, cdf_tail]),
        p_never,
        np.concatenate([pad, lo_tail]),
        np.concatenate([pad, hi_tail]),
    )


def _pool_bounds(
    sub: Interpretation, w: FloatArray, g: FloatArray, method: str, *, clip: float, extremize: float
) -> tuple[FloatArray, FloatArray, tuple[float, float]]:
    """Pool the per-claim literal bounds with the same method (monotone, so the band is exact)."""
    if len(sub) == 0:
        nan = np.full(g.size, np.nan)
        return nan, nan, (float("nan"), float("nan"))
    if method == "linear":
        low, high = curves.pooled_literal_bounds(sub, w, g)
        return low, high, (float(w @ sub.never_low), float(w @ sub.never_high))
    out = []
    levels = np.linspace(0.0, 1.0, 801)[1:-1] if method == "quantile" else None
    for which, never in ((0, sub.never_high), (1, sub.never_low)):
        curve, p_never, _, _ = combine_matrix(
            method,
            w,
            1.0 - never,
            lambda rows, k=which: curves.literal_bounds(sub.take(rows), g)[k],  # type: ignore[misc]
            len(sub),
            block=_BLOCK,
            clip=clip,
            extremize=extremize,
            grid=g,
            quantile_rows=(
                (lambda rows, k=which: curves.bound_quantiles(sub.take(rows), levels, given_arrival=True)[k])  # type: ignore[misc]
                if levels is not None
                else None
            ),
            levels=levels,
            band=False,
        )
        out.append((curve, p_never))
    (low, never_hi), (high, never_lo) = out
    return low, high, (never_lo, never_hi)


def _refine_linear(
    sub: Interpretation, w: FloatArray, qs: FloatArray, g: FloatArray, *, target: FloatArray | None = None
) -> FloatArray:
    """Polish the grid quantiles of a linear pool by Newton steps on the exact mixture.

    ``target`` is the mixture's CDF value each quantile should reach (default :data:`LEVELS`).
    """
    target = np.array(LEVELS) if target is None else target
    ok = np.isfinite(qs) & (qs > g[0]) & (qs < g[-1])
    t = qs.copy()
    with ThreadPoolExecutor(max_workers=1) as threads:
        for _ in range(3):
            if not ok.any():
                break
            # The mixture's CDF and density at once, one in each thread.
            cdf_at = threads.submit(curves.cdf, sub, t[ok])
            d = w @ curves.pdf(sub, t[ok])
            f = w @ cdf_at.result()
            with np.errstate(divide="ignore", invalid="ignore"):
                step = np.where(d > 0, (f - target[ok]) / d, 0.0)
            # A Newton step longer than a grid cell means the linearisation is not to be trusted.
            t[ok] = t[ok] - np.clip(step, -0.25, 0.25)
    return t
