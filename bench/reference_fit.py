"""The second implementation of the ESPAI fit: one row at a time with scipy.optimize.least_squares.

It is the baseline ``bench.espai_fit`` times and the reference ``tests/unit/test_fit.py`` checks
``forecasts.engine.fit.fit_cdf_points`` against.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, stats

from forecasts.engine.fit import MIN_TIME


def reference_fit(times: np.ndarray, probs: np.ndarray) -> tuple[float, float, float]:
    """(SSE, shape, scale) of the best gamma fit of one row from six starting points."""
    t = np.maximum(times, MIN_TIME)
    mass = np.diff(probs, prepend=0.0)
    with np.errstate(all="ignore"):
        mean = np.sum(t * mass)
        var = np.sum((t - mean) ** 2 * mass)
        starts = [(mean * mean / var, var / mean)]
    starts += [(1, 1), (1, 100), (1, np.median(t)), (5, np.median(t) / 5), (0.5, 10 * t.max())]
    best = (np.inf, np.nan, np.nan)
    for k0, s0 in starts:
        if not (np.isfinite(k0) and np.isfinite(s0) and k0 > 0 and s0 > 0):
            continue
        with np.errstate(all="ignore"):
            res = optimize.least_squares(
                lambda q: stats.gamma.cdf(t, q[0], scale=q[1]) - probs, [k0, s0], bounds=([0, 0], [np.inf, np.inf])
            )
            sse = float(np.sum((stats.gamma.cdf(t, res.x[0], scale=res.x[1]) - probs) ** 2))
        if sse < best[0]:
            best = (sse, float(res.x[0]), float(res.x[1]))
    return best
