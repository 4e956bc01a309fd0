"""Benchmark: pool 100,000 mixed claims on the default grid, against scipy.stats claim by claim.

Run from the project root: ``.venv/bin/python -m bench.pool``. The scipy baseline (frozen
distributions evaluated one claim at a time, then averaged) runs on a subset and is extrapolated
linearly in the number of claims. Peak memory of the pool is measured with tracemalloc in a
separate run (tracing slows it down).
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np
from scipy import stats

from bench._claims import make_claims
from forecasts.grid import default_grid
from forecasts.interpret import GAMMA, LOGNORMAL, interpret
from forecasts.pool import pool

N = 100_000
SUBSET = 2_000


def baseline(it, weights, grid):  # type: ignore[no-untyped-def]
    """The same linear pool claim by claim with scipy.stats frozen distributions."""
    acc = np.zeros_like(grid)
    for i in np.flatnonzero(weights > 0):
        if it.family[i] == LOGNORMAL:
            d = stats.lognorm(s=it.param2[i], scale=np.exp(it.param1[i]))
        elif it.family[i] == GAMMA:
            d = stats.gamma(a=it.param1[i], scale=it.param2[i])
        else:
            continue
        acc += weights[i] * (1 - it.p_never[i]) * d.cdf(grid - it.origin[i])
    return acc


def main() -> None:
    claims = make_claims(N)
    t0 = time.perf_counter()
    it = interpret(claims)
    print(f"interpret {N} claims: {time.perf_counter() - t0:.2f} s (once; not part of pooling)")
    for weighting in ("speaker_latest", "equal"):
        t0 = time.perf_counter()
        agg = pool(it, weighting=weighting)
        dt = time.perf_counter() - t0
        print(f"pool linear, {weighting}: {agg.n_claims} claims used, {dt:.2f} s, median {agg.quantiles[0.5]:.2f}")
    g = default_grid()
    agg = pool(it, weighting="equal")
    sub = it.take(np.arange(SUBSET))
    w = np.where(~sub.bound_only, 1.0, 0.0)
    t0 = time.perf_counter()
    ref = baseline(sub, w / w.sum(), g)
    base = (time.perf_counter() - t0) * agg.n_claims / w.sum()
    fast = pool(sub, weighting="equal")
    assert np.allclose(fast.cdf, ref, atol=1e-10)
    t0 = time.perf_counter()
    pool(it, weighting="equal")
    ours = time.perf_counter() - t0
    print(f"scipy claim by claim: {base:.1f} s for {agg.n_claims} claims (extrapolated from {SUBSET})")
    print(f"speed-up (equal weighting, with bands and bounds): {base / ours:.0f}x")
    tracemalloc.start()
    pool(it, weighting="equal")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"peak traced memory of the pool: {peak / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
