"""Condition a pooled forecast on what everyone knows today: the milestone has not arrived yet.

The rule (see ``docs/METHOD.md``, "Conditioning on the present"): the claims are pooled as they were
said, and the *pool* is then conditioned on no arrival before the moment ``a``::

    F_a(t) = max(0, F(t) - F(a)) / (1 - F(a)),    P_a(never) = P(never) / (1 - F(a)).

For the linear pool this is Bayes' rule applied to the mixture: each claim keeps its share in
proportion to the chance it gave to what happened (no arrival before ``a``), so a claim that put
all its mass before ``a`` drops out, and is reported as refuted. A claim's own conditioned curve
is ``max(0, F_i(t) - F_i(a)) / S_i`` with survival ``S_i = 1 - F_i(a)``.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import NDArray

from forecasts.engine import curves
from forecasts.engine.interpret import Interpretation

__all__ = ["REFUTED_BELOW", "claim_survival", "condition_bounds", "condition_curve", "refuted", "survival_of"]

FloatArray = NDArray[np.float64]

#: A claim whose chance of no arrival before the moment is below this is refuted by the facts: its
#: words (or our reading of them) left no room for the present.
REFUTED_BELOW: Final = 1e-6


def survival_of(grid: FloatArray, cdf: FloatArray, at: FloatArray | float) -> FloatArray:
    """``1 - F(at)`` for one curve (1-d ``cdf``) or one row per moment (2-d ``cdf``, ``at`` per row)."""
    if cdf.ndim == 1:
        return np.asarray(1.0 - np.interp(at, grid, np.nan_to_num(cdf)), dtype=float)
    at_rows = np.broadcast_to(np.asarray(at, dtype=float), (cdf.shape[0],))
    return np.array([1.0 - np.interp(a, grid, np.nan_to_num(row)) for a, row in zip(at_rows, cdf, strict=True)])


def condition_curve(
    grid: FloatArray,
    cdf: FloatArray,
    p_never: FloatArray | float,
    at: FloatArray | float,
    *,
    f_at: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Condition CDF rows on no arrival before ``at``: ``(F_a, P_a(never))``.

    ``cdf`` is one curve on ``grid`` or one per row (``at`` and ``p_never`` then per row);
    ``f_at`` gives ``F(at)`` exactly when the caller knows it (else it is interpolated on the grid).
    Rows whose survival is 0 (everything arrived before ``at``) come back NaN: there is nothing to
    condition.
    """
    two_d = cdf.ndim == 2
    f = np.atleast_2d(cdf)
    at_rows = np.broadcast_to(np.asarray(at, dtype=float), (f.shape[0],))
    f_a = np.atleast_1d(f_at) if f_at is not None else 1.0 - np.atleast_1d(survival_of(grid, cdf, at))
    s = 1.0 - f_a
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.clip((f - f_a[:, None]) / s[:, None], 0.0, 1.0)
        never = np.clip(np.atleast_1d(np.asarray(p_never, dtype=float)) / s, 0.0, 1.0)
    out[grid[None, :] < at_rows[:, None]] = 0.0
    dead = ~(s > REFUTED_BELOW)
    out[dead] = np.nan
    never = np.where(dead, np.nan, never)
    if two_d:
        return out, never
    return out[0], never[0]


def condition_bounds(
    grid: FloatArray, low: FloatArray, high: FloatArray, never_bounds: tuple[float, float], at: float
) -> tuple[FloatArray, FloatArray, tuple[float, float]]:
    """The widest conditioned band that any CDF between ``low`` and ``high`` can give.

    For a CDF F with ``low <= F <= high``, ``(F(t) - F(a)) / (1 - F(a))`` is increasing in F(t) and
    decreasing in F(a), so its least value is ``(low(t) - high(a))+ / (1 - high(a))`` and its
    greatest ``(high(t) - low(a)) / (1 - low(a))``. P(never) / (1 - F(a)) is bounded alike.
    """
    lo_a = float(np.interp(at, grid, low))
    hi_a = float(np.interp(at, grid, high))
    with np.errstate(divide="ignore", invalid="ignore"):
        c_low = np.where(hi_a < 1.0, np.clip((low - hi_a) / (1.0 - hi_a), 0.0, 1.0), 0.0)
        c_high = np.where(lo_a < 1.0, np.clip((high - lo_a) / (1.0 - lo_a), 0.0, 1.0), 1.0)
        n_low = min(1.0, never_bounds[0] / (1.0 - lo_a)) if lo_a < 1.0 else 0.0
        n_high = min(1.0, never_bounds[1] / (1.0 - hi_a)) if hi_a < 1.0 else 1.0
    before = grid < at
    c_low[before] = 0.0
    c_high[before] = 0.0
    return c_low, c_high, (n_low, n_high)


def claim_survival(interp: Interpretation, at: float) -> FloatArray:
    """Each claim's chance of no arrival before ``at``: ``S_i = 1 - F_i(at)``."""
    if len(interp) == 0:
        return np.zeros(0)
    return np.asarray(1.0 - curves.cdf(interp, [at])[:, 0], dtype=float)


def refuted(interp: Interpretation, at: float, survival: FloatArray | None = None) -> NDArray[np.bool_]:
    """Claims the present has refuted: their reading, or their literal words, put all the mass before ``at``.

    The words count on their own: "AGI by the end of 2025" is refuted in 2026 even though the
    reading of it keeps a small tail after 2025.
    """
    if len(interp) == 0:
        return np.zeros(0, dtype=bool)
    s = claim_survival(interp, at) if survival is None else survival
    lowest, _ = curves.literal_bounds(interp, [at])
    words_done = lowest[:, 0] >= 1.0 - 1e-12
    return np.asarray((s < REFUTED_BELOW) | words_done, dtype=bool)
