"""Least-squares fits of a two-parameter distribution to cumulative points, many rows at once.

A survey respondent gives a few (time, cumulative probability) pairs; the ESPAI method fits each
respondent a gamma distribution with location 0 by minimising the squared CDF errors
``sum_i (F(t_i) - p_i)^2`` from several starting points (Grace et al. 2024). This module does that
for thousands of respondents together: a grid search over (log shape, log scale) picks starting
points for every row, then a Levenberg-Marquardt iteration runs on all rows and all starting points
as one array computation, and the best optimum of each row is kept.

Conventions
-----------
* Parameters are searched in log space, inside the box :data:`BOUNDS` (scale below 1e304 so that it
  stays a finite float). Flat answers strictly between 0 and 1 (50%, 50%, 50%) approach their
  infimum only as the shape goes to 0 and the scale to infinity; they stop at the box with an SSE of
  a few 1e-5 (still below scipy's least_squares from the usual starts) and ``converged`` False.
* Times at or below :data:`MIN_TIME` years are raised to it: a distribution with location 0 gives
  probability 0 at time 0 whatever its parameters, so an answer "10% within 0 years" would
  otherwise carry no information; read as "within a few hours" it asks for early mass.
* Answers that many fits match exactly (0%, 0%, 1%; all 0%; all 100%; three answers at one time)
  are resolved by a tiny ridge, :data:`RIDGE` ``* (log shape)^2``, which picks the fit closest to an
  exponential (shape 1): all 0% gives shape 1 with a scale so large that the mass lies far beyond
  the last time asked about (an exponential with mean ~1e10 years for 10/20/40 years), all 100% puts
  the mass before the first time, and (0%, 0%, 1%) gets the least sharp rise that still fits.
  Without it the choice would be whatever the optimiser stopped at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from forecasts.errors import ValidationError

__all__ = ["BOUNDS", "FAMILIES", "MIN_TIME", "RIDGE", "FitResult", "fit_cdf_points", "fitted_cdf"]

Family = Literal["gamma", "lognormal"]
FAMILIES: Final = ("gamma", "lognormal")

#: Times (years) are raised to this before fitting; about 9 hours.
MIN_TIME: Final = 1e-3

#: Search box in the fitted coordinates (a, b): gamma (log k, log theta); lognormal (log sigma, mu).
#: exp(b) stays below 1e304 so the returned scale is finite.
BOUNDS: Final[dict[str, tuple[tuple[float, float], tuple[float, float]]]] = {
    "gamma": ((np.log(1e-3), np.log(1e4)), (-700.0, 700.0)),
    "lognormal": ((np.log(1e-3), np.log(1e3)), (-700.0, 700.0)),
}

#: Weight of the tie-break ``RIDGE * a^2`` added to the objective (a = log shape, 0 at an exponential
#: gamma or a lognormal with sigma 1). Answers such as (0%, 0%, 1%) fit exactly by a whole family of
#: ever sharper distributions; the ridge picks the least sharp of the near-exact ones. The SSE of
#: the kept fit exceeds the unpenalised minimum by at most RIDGE * a^2. The weight sits near the
#: residual error the published ESPAI fits stop at on such answers (their least-squares runs end at
#: squared errors of 1e-8 to a few 1e-7), and it is what decides the far tail of the FAOL pool: its
#: median is 2104 with no ridge, 2111 at 1e-9, 2113 at 1e-8, 2114 at 1e-7 and 2116 (the published
#: figure) at 1e-6. The HLMI figures do not move.
RIDGE: Final = 1e-6

_MAX_ITER: Final = 200
_FD_STEP: Final = 1e-6  # central-difference step in log k; error ~ step^2, rounding ~ eps / step
_SMALL_LNX: Final = -30.0  # below this, P(k, x) = x^k / Gamma(k + 1) to relative error ~ 1e-13
_GRID_SHAPES: Final = np.log(np.geomspace(0.05, 200.0, 12))
_GRID_MEDIANS: Final = 40


FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class FitResult:
    """Fitted parameters, one entry per row of the input.

    Attributes
    ----------
    family : str
        ``"gamma"`` or ``"lognormal"``.
    shape : ndarray, shape (n,)
        Gamma shape ``k``; lognormal ``sigma``.
    scale : ndarray, shape (n,)
        Gamma scale ``theta``; lognormal ``exp(mu)`` (its median).
    sse : ndarray, shape (n,)
        Sum of squared CDF errors at the optimum.
    converged : ndarray of bool, shape (n,)
        Whether the kept optimum met the stopping rule before the iteration limit.
    """

    family: str
    shape: FloatArray
    scale: FloatArray
    sse: FloatArray
    converged: BoolArray

    def cdf(self, times: ArrayLike) -> FloatArray:
        """Evaluate every fitted CDF at ``times`` (broadcast against a trailing axis): shape (n, m)."""
        return fitted_cdf(self.family, self.shape, self.scale, times)


def fit_cdf_points(times: ArrayLike, probs: ArrayLike, *, family: str = "gamma") -> FitResult:
    """Fit each row's cumulative points with a two-parameter distribution by least squares.

    Minimises ``sum_i (F(times[r, i]) - probs[r, i])^2`` over the parameters of ``family``
    (location 0) independently for every row ``r``, starting from the best cells of a grid over
    (log shape, log median) and from the ESPAI starting points, and keeps the lowest optimum.

    Parameters
    ----------
    times : array_like, shape (n, k)
        Times since the question was asked, in years; finite and >= 0. Values below
        :data:`MIN_TIME` are raised to it.
    probs : array_like, shape (n, k)
        Cumulative probabilities in [0, 1].
    family : {"gamma", "lognormal"}, keyword-only
        The distribution family.

    Returns
    -------
    FitResult
        Shape, scale, residual sum of squares and convergence flag per row.

    Raises
    ------
    ValidationError
        If an argument has the wrong shape or holds values outside its domain; ``field`` names it.

    Notes
    -----
    Gamma CDF ``P(k, t / theta)`` (regularised lower incomplete gamma); its derivative in
    ``log theta`` is analytic, ``-(t/theta)^k e^{-t/theta} / Gamma(k)``, and the one in ``log k`` is
    a central difference. For ``t / theta < e^-30`` the CDF is evaluated as
    ``exp(k log(t/theta) - log Gamma(k + 1))`` so that very small shapes with very large scales
    (the fits of flat answers) do not underflow.

    References
    ----------
    .. [1] K. Grace et al., "Thousands of AI Authors on the Future of AI", arXiv:2401.02843, 2024.
    .. [2] K. Levenberg, "A method for the solution of certain non-linear problems in least
       squares", Quart. Appl. Math. 2:164-168, 1944; D. W. Marquardt, SIAM J. Appl. Math.
       11:431-441, 1963.
    """
    t, p, fam = _validate(times, probs, family)
    n = t.shape[0]
    if n == 0 or t.shape[1] == 0:
        empty = np.zeros(n)
        return FitResult(fam, np.full(n, np.nan), np.full(n, np.nan), empty, np.ones(n, dtype=bool))
    logt = np.log(np.maximum(t, MIN_TIME))
    starts_a, starts_b = _starting_points(fam, logt, p)
    n_starts = starts_a.shape[1]
    rows = np.repeat(np.arange(n), n_starts)
    a, b, objective, converged = _levenberg_marquardt(fam, starts_a.ravel(), starts_b.ravel(), logt[rows], p[rows])
    # Ties go to the earliest start, so the result does not depend on floating-point noise order.
    best = np.argmin(objective.reshape(n, n_starts), axis=1)
    pick = np.arange(n) * n_starts + best
    return FitResult(
        family=fam,
        shape=np.exp(a[pick]),
        scale=np.exp(b[pick]),
        sse=_sse(fam, a[pick], b[pick], logt, p),
        converged=converged[pick],
    )


def fitted_cdf(family: str, shape: ArrayLike, scale: ArrayLike, times: ArrayLike) -> FloatArray:
    """Evaluate CDFs of ``family`` with location 0 at ``times``.

    Parameters
    ----------
    family : {"gamma", "lognormal"}
        The distribution family.
    shape, scale : array_like, shape (n,)
        Parameters as in :class:`FitResult`.
    times : array_like, shape (m,) or (n, m)
        Times in years; negative times give 0.

    Returns
    -------
    ndarray, shape (n, m)
        ``F_r(times[.., j])`` for each row ``r``.
    """
    fam = _family(family)
    k = np.asarray(shape, dtype=float).reshape(-1, 1)
    s = np.asarray(scale, dtype=float).reshape(-1, 1)
    if np.any(~(k > 0)) or np.any(~(s > 0)):
        raise ValidationError("shape" if np.any(~(k > 0)) else "scale", "must be positive")
    t = np.atleast_1d(np.asarray(times, dtype=float))
    with np.errstate(divide="ignore"):
        logt = np.log(np.maximum(t, 0.0))
    out = _cdf(fam, np.log(k), np.log(s), np.broadcast_to(logt, np.broadcast_shapes(k.shape, logt.shape)))
    return np.where(t > 0, out, 0.0)


def _validate(times: ArrayLike, probs: ArrayLike, family: str) -> tuple[FloatArray, FloatArray, Family]:
    fam = _family(family)
    t = _matrix(times, "times")
    p = _matrix(probs, "probs")
    if t.shape != p.shape:
        raise ValidationError("probs", f"has shape {p.shape} but times has shape {t.shape}")
    bad = ~np.isfinite(t) | (t < 0)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise ValidationError("times", f"times[{r}, {c}] = {t[r, c]} is not a finite time >= 0 (years)")
    bad = ~(np.isfinite(p) & (p >= 0) & (p <= 1))
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise ValidationError("probs", f"probs[{r}, {c}] = {p[r, c]} is not a probability in [0, 1]")
    return t, p, fam


def _family(family: str) -> Family:
    if family == "gamma":
        return "gamma"
    if family == "lognormal":
        return "lognormal"
    raise ValidationError("family", f"{family!r} is not one of {', '.join(FAMILIES)}")


def _matrix(value: ArrayLike, name: str) -> FloatArray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValidationError(name, "must be a 2-d array of numbers") from None
    if arr.ndim != 2:
        raise ValidationError(name, f"must be 2-d (rows, points), not {arr.ndim}-d")
    return arr


def _cdf(family: Family, a: FloatArray, b: FloatArray, logt: FloatArray) -> FloatArray:
    """CDF at ``exp(logt)`` for parameters (a, b) broadcast against ``logt``."""
    if family == "gamma":
        return _gamma_cdf(np.exp(a), logt - b)
    return np.asarray(special.ndtr((logt - b) / np.exp(a)), dtype=float)


def _gamma_cdf(k: FloatArray, lnx: FloatArray) -> FloatArray:
    small = lnx < _SMALL_LNX
    with np.errstate(over="ignore", under="ignore"):
        tail = np.exp(k * np.minimum(lnx, _SMALL_LNX) - special.gammaln(k + 1.0))
        body = special.gammainc(k, np.exp(np.clip(lnx, _SMALL_LNX, 700.0)))
    return np.asarray(np.where(small, tail, body), dtype=float)


def _residuals_and_jacobian(
    family: Family, a: FloatArray, b: FloatArray, logt: FloatArray, p: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Residuals (m, k) and their Jacobian (m, k, 2) in the coordinates (a, b)."""
    a2, b2 = a[:, None], b[:, None]
    jac = np.empty((*logt.shape, 2))
    if family == "gamma":
        k = np.exp(a2)
        lnx = logt - b2
        f = _gamma_cdf(k, lnx)
        with np.errstate(over="ignore", under="ignore"):
            jac[..., 1] = -np.exp(k * lnx - np.exp(np.minimum(lnx, 700.0)) - special.gammaln(k))
        up = _gamma_cdf(np.exp(a2 + _FD_STEP), lnx)
        down = _gamma_cdf(np.exp(a2 - _FD_STEP), lnx)
        jac[..., 0] = (up - down) / (2 * _FD_STEP)
    else:
        sigma = np.exp(a2)
        z = (logt - b2) / sigma
        f = special.ndtr(z)
        with np.errstate(under="ignore"):
            phi = np.exp(-0.5 * z * z) / np.sqrt(2 * np.pi)
        jac[..., 0] = -phi * z
        jac[..., 1] = -phi / sigma
    return f - p, jac


def _sse(family: Family, a: FloatArray, b: FloatArray, logt: FloatArray, p: FloatArray) -> FloatArray:
    r = _cdf(family, a[:, None], b[:, None], logt) - p
    return np.asarray(np.sum(r * r, axis=1), dtype=float)


def _objective(family: Family, a: FloatArray, b: FloatArray, logt: FloatArray, p: FloatArray) -> FloatArray:
    return _sse(family, a, b, logt, p) + RIDGE * a * a


def _starting_points(family: Family, logt: FloatArray, p: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Per-row starting points (n, s): the two best grid cells and the ESPAI starts."""
    n = logt.shape[0]
    (a_lo, a_hi), (b_lo, b_hi) = BOUNDS[family]
    lo, hi = logt.min(axis=1), logt.max(axis=1)
    # The grid is over (shape, log median) so that it follows each row's own time range.
    frac = np.linspace(0.0, 1.0, _GRID_MEDIANS)
    medians = (lo - 6.0)[:, None] + frac[None, :] * (hi - lo + 12.0)[:, None]
    if family == "gamma":
        shapes = _GRID_SHAPES
        # log median of a gamma ~ log theta + log(k - 1/3 + 0.02/k) for k above ~0.3; the grid only
        # needs to be roughly placed.
        offset = np.log(np.maximum(np.exp(shapes) - 1 / 3, 0.5 * np.exp(shapes)))
    else:
        shapes = np.log(np.geomspace(0.05, 20.0, 12))
        offset = np.zeros_like(shapes)
    ga = np.broadcast_to(shapes[None, :, None], (n, shapes.size, _GRID_MEDIANS))
    gb = np.clip(medians[:, None, :] - offset[None, :, None], b_lo, b_hi)
    ga_flat = ga.reshape(n, -1)
    gb_flat = gb.reshape(n, -1)
    cells = ga_flat.shape[1]
    rows = np.repeat(np.arange(n), cells)
    sse = _objective(family, ga_flat.ravel(), gb_flat.ravel(), logt[rows], p[rows]).reshape(n, cells)
    order = np.argsort(sse, axis=1, kind="stable")[:, :2]
    grid_a = np.take_along_axis(ga_flat, order, axis=1)
    grid_b = np.take_along_axis(gb_flat, order, axis=1)

    espai_a, espai_b = _espai_starts(family, logt, p)
    a0 = np.clip(np.concatenate([grid_a, espai_a], axis=1), a_lo, a_hi)
    b0 = np.clip(np.concatenate([grid_b, espai_b], axis=1), b_lo, b_hi)
    return a0, b0


def _espai_starts(family: Family, logt: FloatArray, p: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The starting points the ESPAI analysis uses: moments of the stepped CDF, (1, 1), (1, 100)."""
    n = logt.shape[0]
    t = np.exp(logt)
    mass = np.diff(p, axis=1, prepend=0.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        mean = np.sum(t * mass, axis=1)
        var = np.sum((t - mean[:, None]) ** 2 * mass, axis=1)
        if family == "gamma":
            k = mean**2 / var
            theta = var / mean
        else:
            k = np.sqrt(np.log1p(var / mean**2))
            theta = mean / np.sqrt(1 + var / mean**2)
    ok = np.isfinite(k) & np.isfinite(theta) & (k > 0) & (theta > 0)
    moment_a = np.where(ok, np.log(np.where(ok, k, 1.0)), 0.0)
    moment_b = np.where(ok, np.log(np.where(ok, theta, 1.0)), np.mean(logt, axis=1))
    fixed_a = np.zeros((n, 2))
    fixed_b = np.broadcast_to(np.log([1.0, 100.0]), (n, 2))
    return (
        np.column_stack([moment_a, fixed_a]),
        np.column_stack([moment_b, fixed_b]),
    )


def _levenberg_marquardt(
    family: Family, a: FloatArray, b: FloatArray, logt: FloatArray, p: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray]:
    """Minimise each row's penalised SSE inside the box by a projected, batched Levenberg-Marquardt.

    Returns the parameters, the penalised objective and whether each row met the stopping rule.
    """
    (a_lo, a_hi), (b_lo, b_hi) = BOUNDS[family]
    lo = np.array([a_lo, b_lo])
    hi = np.array([a_hi, b_hi])
    x = np.column_stack([a, b])
    obj = _objective(family, x[:, 0], x[:, 1], logt, p)
    lam = np.full(x.shape[0], 1e-3)
    done = np.zeros(x.shape[0], dtype=bool)
    for _ in range(_MAX_ITER):
        idx = np.flatnonzero(~done)
        if idx.size == 0:
            break
        xi = x[idx]
        r, jac = _residuals_and_jacobian(family, xi[:, 0], xi[:, 1], logt[idx], p[idx])
        grad = np.einsum("mk,mkj->mj", r, jac)
        grad[:, 0] += RIDGE * xi[:, 0]
        # A coordinate at a bound whose descent direction points out of the box is held fixed.
        held = ((xi <= lo) & (grad > 0)) | ((xi >= hi) & (grad < 0))
        jac = np.where(held[:, None, :], 0.0, jac)
        grad = np.where(held, 0.0, grad)
        h = np.einsum("mki,mkj->mij", jac, jac)
        h[:, 0, 0] += RIDGE * ~held[:, 0]
        gnorm = np.max(np.abs(grad), axis=1)
        # Marquardt's scaling by the diagonal, floored so that flat directions still get damped.
        diag = np.maximum(np.stack([h[:, 0, 0], h[:, 1, 1]], axis=1), 1e-12)
        h00 = h[:, 0, 0] + lam[idx] * diag[:, 0] + held[:, 0]
        h11 = h[:, 1, 1] + lam[idx] * diag[:, 1] + held[:, 1]
        h01 = h[:, 0, 1]
        det = h00 * h11 - h01 * h01
        step = np.column_stack([h11 * grad[:, 0] - h01 * grad[:, 1], h00 * grad[:, 1] - h01 * grad[:, 0]])
        with np.errstate(divide="ignore", invalid="ignore"):
            step = -step / det[:, None]
        step = np.where(np.isfinite(step), step, 0.0)
        # Long steps in log space leave the region where the linearisation means anything.
        step *= np.minimum(1.0, 2.0 / np.maximum(np.max(np.abs(step), axis=1), 1e-300))[:, None]
        trial = np.clip(xi + step, lo, hi)
        trial_obj = _objective(family, trial[:, 0], trial[:, 1], logt[idx], p[idx])
        better = trial_obj < obj[idx]
        gain = obj[idx] - trial_obj
        moved = np.max(np.abs(trial - xi), axis=1)
        x[idx] = np.where(better[:, None], trial, xi)
        obj[idx] = np.where(better, trial_obj, obj[idx])
        lam[idx] = np.where(better, np.maximum(lam[idx] / 3, 1e-12), lam[idx] * 4)
        stalled = better & (gain <= 1e-16 + 1e-10 * obj[idx]) & (moved < 1e-7)
        done[idx] = (gnorm < 1e-14) | stalled | (lam[idx] > 1e10)
    return x[:, 0], x[:, 1], obj, done
