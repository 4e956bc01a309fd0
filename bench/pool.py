"""Benchmark: pool 100,000 mixed claims on the default grid, against scipy.stats claim by claim.

Run from the project root: ``.venv/bin/python -m bench.pool``. The scipy baseline (frozen
distributions evaluated one claim at a time, then averaged) runs on a subset and is extrapolated
linearly in the number of claims. Both are timed as the best of :data:`REPEAT` calls (the machine
is shared; for the pool the CPU time of that call, both threads, is printed too). Peak memory of the pool is
measured with tracemalloc in a separate run (tracing slows it down).

Figures on the shared 2-vCPU development VM, quiet moments (docs/PERFORMANCE.md has the ranges
and the figures before the change; with another process on a core expect up to 2x the wall time):
``speaker_latest`` 0.45-0.56 s (CPU 0.63-0.78 s), ``equal`` 0.80-1.05 s (CPU 1.34-1.57 s; was
1.1-1.9 s, CPU 2.15-2.5 s); scipy claim by claim 34-46 s, ratio 30-44x (was 19-32x); peak traced
memory 105-109 MiB (was 211-226 MiB).
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np
from scipy import stats

from bench._claims import make_claims
from forecasts.engine.grid import default_grid
from forecasts.engine.interpret import GAMMA, LOGNORMAL, interpret
from forecasts.engine.pool import pool

N = 100_000
SUBSET = 2_000
REPEAT = 3


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


def timed(fn):  # type: ignore[no-untyped-def]
    """(wall, CPU) seconds of the fastest of REPEAT calls, and the last result."""
    best = (float("inf"), float("inf"))
    for _ in range(REPEAT):
        c0, t0 = time.process_time(), time.perf_counter()
        out = fn()
        best = min(best, (time.perf_counter() - t0, time.process_time() - c0))
    return best, out


def main() -> None:
    claims = make_claims(N)
    t0 = time.perf_counter()
    it = interpret(claims)
    print(f"interpret {N} claims: {time.perf_counter() - t0:.2f} s (once; not part of pooling)")
    for weighting in ("speaker_latest", "equal"):
        (dt, cpu), agg = timed(lambda w=weighting: pool(it, weighting=w))  # type: ignore[misc]
        print(
            f"pool linear, {weighting}: {agg.n_claims} claims used, {dt:.2f} s (CPU {cpu:.2f} s), "
            f"median {agg.quantiles[0.5]:.2f}"
        )
    g = default_grid()
    agg = pool(it, weighting="equal")
    sub = it.take(np.arange(SUBSET))
    w = np.where(~sub.bound_only, 1.0, 0.0)
    (base, _), ref = timed(lambda: baseline(sub, w / w.sum(), g))
    base *= agg.n_claims / w.sum()
    fast = pool(sub, weighting="equal")
    assert np.allclose(fast.cdf, ref, atol=1e-10)
    (ours, _), _ = timed(lambda: pool(it, weighting="equal"))
    print(f"scipy claim by claim: {base:.1f} s for {agg.n_claims} claims (extrapolated from {SUBSET})")
    print(f"speed-up (equal weighting, with bands and bounds): {base / ours:.0f}x")
    tracemalloc.start()
    pool(it, weighting="equal")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"peak traced memory of the pool: {peak / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
