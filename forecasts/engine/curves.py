"""Evaluate interpreted claims: CDFs, quantiles and literal bounds, vectorised over claims.

Each function takes an :class:`~forecasts.engine.interpret.Interpretation` of n claims and returns an
(n, m) array, computing each distribution family for all its claims at once with
:mod:`scipy.special` (``ndtr`` for the lognormal, ``gammainc`` for the gamma).
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from forecasts.engine.interpret import GAMMA, LOGNORMAL, Interpretation
from forecasts.errors import ValidationError

__all__ = [
    "bound_quantiles",
    "cdf",
    "cdf_rows",
    "flat_columns",
    "literal_bounds",
    "pdf",
    "pooled_literal_bounds",
    "quantiles",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: Standard scores past which ``ndtr`` returns exactly 1.0, and upper-tail probability past
#: which ``gammainc`` does: from there on a CDF equals its reach to the last bit.
_Z_SATURATED: Final = 8.5
_GAMMA_TAIL: Final = 1e-18


def _times(times: ArrayLike, name: str = "times") -> FloatArray:
    t = np.atleast_1d(np.asarray(times, dtype=float))
    if t.ndim != 1 or np.any(np.isnan(t)):
        raise ValidationError(name, "must be a 1-d array of decimal years without NaN")
    return t


def cdf(interp: Interpretation, times: ArrayLike) -> FloatArray:
    """P(arrival <= t) for every claim and time.

    Parameters
    ----------
    interp : Interpretation
        n interpreted claims.
    times : array_like, shape (m,)
        Decimal years.

    Returns
    -------
    ndarray, shape (n, m)
        ``(1 - p_never) * G((t - origin))``, 0 at and before the origin.

    Notes
    -----
    Lognormal: ``G = Phi((log dt - mu) / sigma)``; gamma: ``G = P(k, dt / theta)``, the regularised
    lower incomplete gamma function.
    """
    t = _times(times)
    out = np.zeros((len(interp), t.size))
    for fam in (LOGNORMAL, GAMMA):
        rows = np.flatnonzero(interp.family == fam)
        if rows.size:
            out[rows] = _family_cdf(interp, fam, rows, t, np.empty((rows.size, t.size)))
    out *= (1.0 - interp.p_never)[:, None]
    return out


def _family_cdf(interp: Interpretation, fam: int, rows: IntArray | slice, t: FloatArray, out: FloatArray) -> FloatArray:
    """``G(t - origin)`` (no reach factor) for claims ``rows`` of one family, written into ``out``."""
    d = np.subtract(t[None, :], interp.origin[rows, None], out=out)
    if fam == LOGNORMAL:
        with np.errstate(divide="ignore", invalid="ignore"):
            np.log(d, out=d)
        d -= interp.param1[rows, None]
        d /= interp.param2[rows, None]
        # log of a negative time is NaN; fmax turns it into the 0 it stands for.
        special.ndtr(d, out=d)
        np.fmax(d, 0.0, out=d)
        return d
    np.maximum(d, 0.0, out=d)
    d /= interp.param2[rows, None]
    special.gammainc(interp.param1[rows, None], d, out=d)
    return d


def flat_columns(interp: Interpretation, times: ArrayLike) -> tuple[IntArray, IntArray]:
    """Where each claim's CDF on ``times`` is not flat, as column ranges ``[start, stop)``.

    Before ``start`` (times at or before the origin) the CDF is exactly 0; from ``stop`` on it is
    exactly ``1 - p_never``: the lognormal's standard score is past 8.5, the gamma's upper tail
    below 1e-18, where ``ndtr`` and ``gammainc`` return 1.0. Claims of certain never have an
    empty range at the end (0 everywhere).
    """
    t = _times(times)
    start = np.searchsorted(t, interp.origin, side="right")
    gam = interp.family == GAMMA
    with np.errstate(over="ignore"):
        span = np.where(
            gam,
            special.gammainccinv(np.where(gam, interp.param1, 1.0), _GAMMA_TAIL) * interp.param2,
            np.exp(interp.param1 + _Z_SATURATED * interp.param2),
        )
    stop = np.maximum(np.searchsorted(t, interp.origin + span, side="left"), start)
    never = (interp.family != LOGNORMAL) & ~gam
    start[never] = stop[never] = t.size
    return start, stop


def cdf_rows(interp: Interpretation, rows: IntArray, times: FloatArray) -> FloatArray:
    """:func:`cdf` of the claims ``rows`` on ``times``, shape (len(rows), m).

    Fastest when ``rows`` are grouped by family: each family's run is then computed in place.
    """
    fam = interp.family[rows]
    out = np.empty((rows.size, times.size))
    covered = np.zeros(rows.size, dtype=bool)
    for f in (LOGNORMAL, GAMMA):
        at = np.flatnonzero(fam == f)
        if at.size == 0:
            continue
        covered[at] = True
        lo, hi = int(at[0]), int(at[-1]) + 1
        if hi - lo == at.size:
            _family_cdf(interp, f, rows[lo:hi], times, out[lo:hi])
        else:
            out[at] = _family_cdf(interp, f, rows[at], times, np.empty((at.size, times.size)))
    out[~covered] = 0.0
    # Multiplying by a reach of exactly 1 (no chance of never) changes nothing: skip those rows.
    reach = 1.0 - interp.p_never[rows]
    scale = np.flatnonzero(reach != 1.0)
    if scale.size:
        out[scale] *= reach[scale, None]
    return out


def pdf(interp: Interpretation, times: ArrayLike) -> FloatArray:
    """Density of the arrival moment (per year) for every claim and time, shape (n, m)."""
    t = _times(times)
    out = np.zeros((len(interp), t.size))
    for fam in (LOGNORMAL, GAMMA):
        rows = np.flatnonzero(interp.family == fam)
        if rows.size == 0:
            continue
        d = t[None, :] - interp.origin[rows, None]
        pos = d > 0
        dp = np.where(pos, d, 1.0)
        a, b = interp.param1[rows, None], interp.param2[rows, None]
        with np.errstate(under="ignore", over="ignore"):
            if fam == LOGNORMAL:
                z = (np.log(dp) - a) / b
                dens = np.exp(-0.5 * z * z) / (dp * b * np.sqrt(2 * np.pi))
            else:
                x = dp / b
                dens = np.exp((a - 1) * np.log(x) - x - special.gammaln(a)) / b
        out[rows] = np.where(pos, dens, 0.0)
    out *= (1.0 - interp.p_never)[:, None]
    return out


def quantiles(interp: Interpretation, levels: ArrayLike, *, given_arrival: bool = False) -> FloatArray:
    """The moment by which each claim gives arrival probability ``level``.

    Parameters
    ----------
    interp : Interpretation
        n interpreted claims.
    levels : array_like, shape (m,)
        Probabilities in [0, 1].
    given_arrival : bool, keyword-only
        Quantiles of the arrival moment given that it arrives (``levels`` scaled by
        ``1 - p_never``); ``inf`` only for claims of certain never.

    Returns
    -------
    ndarray, shape (n, m)
        Decimal years; ``inf`` where the level exceeds ``1 - p_never`` (never reached).
    """
    p = _times(levels, "levels")
    if np.any((p < 0) | (p > 1)):
        raise ValidationError("levels", "must be probabilities in [0, 1]")
    reach = 1.0 - interp.p_never[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(reach > 0, p[None, :], np.inf) if given_arrival else p[None, :] / reach
    out = np.full(r.shape, np.inf)
    for fam in (LOGNORMAL, GAMMA):
        rows = np.flatnonzero(interp.family == fam)
        if rows.size == 0:
            continue
        rr = np.clip(r[rows], 0.0, 1.0)
        a, b = interp.param1[rows, None], interp.param2[rows, None]
        with np.errstate(over="ignore"):
            dt = np.exp(a + b * special.ndtri(rr)) if fam == LOGNORMAL else b * special.gammaincinv(a, rr)
        out[rows] = interp.origin[rows, None] + dt
    return np.where(r < 1.0, out, np.inf)


def literal_bounds(interp: Interpretation, times: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """The lowest and highest CDF each claim's literal words allow, at ``times``.

    Returns
    -------
    lower, upper : ndarray, shape (n, m)
        ``L(t) = max_k lower_p[k] [t >= lower_t[k]]``; ``U(t) = 0`` before the claim was made and
        ``min(1 - never_low, min {upper_p[k] : t < upper_t[k]})`` after.
    """
    t = _times(times)[None, :]
    n = len(interp)
    lower = np.zeros((n, t.size))
    upper = np.broadcast_to((1.0 - interp.never_low)[:, None], (n, t.size)).copy()
    for k in range(interp.lower_t.shape[1]):
        np.maximum(lower, np.where(t >= interp.lower_t[:, k, None], interp.lower_p[:, k, None], 0.0), out=lower)
        np.minimum(upper, np.where(t < interp.upper_t[:, k, None], interp.upper_p[:, k, None], 1.0), out=upper)
    upper[t < interp.said_at[:, None]] = 0.0
    return lower, upper


def bound_quantiles(
    interp: Interpretation, levels: ArrayLike, *, given_arrival: bool = False
) -> tuple[FloatArray, FloatArray]:
    """Generalised inverses of the literal bounds: the moments at which L and U reach each level.

    Returns
    -------
    of_lower, of_upper : ndarray, shape (n, m)
        ``min {t : L(t) >= p}`` and ``min {t : U(t) >= p}`` (``inf`` if never reached). The first
        is the latest arrival the words allow at that level, the second the earliest. With
        ``given_arrival`` the levels are scaled by each bound's reach (1 - its P(never) bound).
    """
    p1 = _times(levels, "levels")[None, :, None]
    p = p1 * (1.0 - interp.never_high[:, None, None]) if given_arrival else p1
    lt, lp = interp.lower_t[:, None, :], interp.lower_p[:, None, :]
    ut, up = interp.upper_t[:, None, :], interp.upper_p[:, None, :]
    of_lower = np.min(np.where(lp >= p, lt, np.inf), axis=2)
    of_lower = np.where(p[..., 0] <= 0, -np.inf, of_lower)
    pu = p1 * (1.0 - interp.never_low[:, None, None]) if given_arrival else p1
    of_upper = np.maximum(interp.said_at[:, None], np.max(np.where(up < pu, ut, -np.inf), axis=2))
    of_upper = np.where(pu[..., 0] > 1.0 - interp.never_low[:, None], np.inf, of_upper)
    if given_arrival:
        of_upper = np.where(interp.never_low[:, None] >= 1.0, np.inf, of_upper)
        of_lower = np.where(interp.never_high[:, None] >= 1.0, np.inf, of_lower)
    return np.maximum(of_lower, interp.said_at[:, None]), of_upper


def pooled_literal_bounds(
    interp: Interpretation, weights: ArrayLike, times: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """``weights @ L`` and ``weights @ U`` (see :func:`literal_bounds`) without the (n, m) matrices.

    Each bound is a step function; its jumps, weighted, are binned on ``times`` and summed, so the
    cost is O(n K + m) rather than O(n K m).
    """
    t = _times(times)
    w = np.asarray(weights, dtype=float)[:, None]
    lt, lp = interp.lower_t, interp.lower_p
    order = np.argsort(lt, axis=1)
    lt, lp = np.take_along_axis(lt, order, 1), np.take_along_axis(lp, order, 1)
    run = np.maximum.accumulate(lp, axis=1)
    inc = np.diff(run, axis=1, prepend=0.0)
    low = _steps(t, lt, w * inc)
    # Upper: with knots sorted by time, U is the running minimum from the right of the knots not
    # yet passed (and the cap 1 - never_low); before the claim it is 0.
    ut, up = interp.upper_t, interp.upper_p
    order = np.argsort(ut, axis=1)
    ut, up = np.take_along_axis(ut, order, 1), np.take_along_axis(up, order, 1)
    cap = (1.0 - interp.never_low)[:, None]
    suffix = np.minimum(np.minimum.accumulate(up[:, ::-1], axis=1)[:, ::-1], cap)
    levels = np.concatenate([suffix, cap], axis=1)  # levels[:, j]: value once j knots have passed
    s = interp.said_at[:, None]
    passed = (ut <= s).sum(axis=1)
    start_level = np.take_along_axis(levels, passed[:, None], 1)
    jumps = np.diff(levels, axis=1)
    live = ut > s
    high = _steps(t, s, w * start_level) + _steps(t, np.where(live, ut, np.inf), w * np.where(live, jumps, 0.0))
    return low, high


def _steps(t: FloatArray, at: FloatArray, size: FloatArray) -> FloatArray:
    """Sum of steps of height ``size`` at moments ``at`` (a step counts at t >= at), on ``t``."""
    idx = np.searchsorted(t, at.ravel(), side="left")
    hist = np.bincount(idx, weights=np.broadcast_to(size, at.shape).ravel(), minlength=t.size + 1)
    return np.asarray(np.cumsum(hist)[: t.size], dtype=float)
