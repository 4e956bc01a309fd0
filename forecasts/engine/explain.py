"""A claim's reading in words: how the engine read it, and the median it gives.

Kept apart from :mod:`forecasts.engine.interpret` because it evaluates the curves
(:mod:`forecasts.engine.curves`), which are built on the interpretation: the two stay one-way.
"""

from __future__ import annotations

import numpy as np

from forecasts.engine.curves import quantiles
from forecasts.engine.interpret import GAMMA, KINDS, Interpretation
from forecasts.engine.model import ForecastKind, month_label
from forecasts.errors import ValidationError


def explain(interp: Interpretation, i: int) -> str:
    """Say in words how claim ``i`` of ``interp`` was read, e.g. for a tooltip or the API.

    Examples: "read as a 90% interval 2025-2028 (lognormal over the time since Apr 2024): median
    Feb 2026"; "lower bound only: no arrival before 2029".
    """
    if not 0 <= i < len(interp):
        raise ValidationError("i", f"{i} is not a claim index of this batch (size {len(interp)})")
    kind = KINDS[int(interp.kind[i])]
    lo, hi, p = interp.year_low[i], interp.year_high[i], interp.probability[i]
    said = month_label(float(interp.said_at[i]))
    if kind is ForecastKind.NEVER:
        return "read as a sceptic's claim: all probability on never"
    med = float(quantiles(interp.take(np.array([i])), np.array([0.5]))[0, 0])
    median = f"median {month_label(med)}"
    o = interp.options
    if kind is ForecastKind.WINDOW:
        c = o.credibility if np.isnan(p) else p
        start = "the claim" if lo <= interp.said_at[i] else f"{lo:.0f}"
        return f"read as a {c:.0%} interval {lo:.0f}-{hi:.0f} from {start} (lognormal since {said}): {median}"
    if kind is ForecastKind.POINT:
        if np.isnan(p):
            return f"read as a best guess of {lo:.0f}: {median}, sigma {o.point_sigma:g} in log years"
        return f"read as {p:.0%} in {lo:.0f} (lognormal since {said}): {median}"
    if kind is ForecastKind.PROBABILITY_BY:
        return f"read as {p:.0%} by the end of {hi:.0f} with sigma {o.sigma:g} in log years: {median}"
    if kind is ForecastKind.QUANTILES:
        if np.isnan(interp.fit_sse[i]):
            return f"one (year, probability) pair, sigma {o.sigma:g} in log years: {median}"
        fam = "gamma" if interp.family[i] == GAMMA else "lognormal"
        return f"least-squares {fam} fit to the stated pairs (error {interp.fit_sse[i]:.2g}): {median}"
    if kind is ForecastKind.LOWER_BOUND:
        conf = "" if np.isnan(p) else f" ({p:.0%} sure)"
        return f"lower bound only: no arrival before {lo:.0f}{conf}; default shape {median}"
    if kind is ForecastKind.UPPER_BOUND:
        conf = "" if np.isnan(p) else f" ({p:.0%} sure)"
        return f"upper bound only: arrival by the end of {hi:.0f}{conf}; default shape {median}"
    return f"'eventually', no date: P(never) = 0; default shape {median}"
