"""Benchmark: monthly history over 10 years for 10,000 claims, against re-pooling each month.

Run from the project root: ``.venv/bin/python -m bench.history``. The baseline calls
:func:`forecasts.engine.pool.pool` once per month (re-evaluating every claim's CDF each month, as a
naive history would); interpretation happens once for both.

Figures on the shared 2-vCPU development VM (noisy): 0.86-1.0 s for the history against 10-23 s for
the baseline (the engine as first written: 3.0-4.0 s, run interleaved; see
docs/PERFORMANCE.md).
"""

from __future__ import annotations

import datetime as dt
import time

import numpy as np

from bench._claims import make_claims
from forecasts.engine.history import history
from forecasts.engine.interpret import interpret
from forecasts.engine.pool import pool

N = 10_000


def main() -> None:
    it = interpret(make_claims(N, speakers=2_000))
    start, end = dt.date(2015, 1, 1), dt.date(2024, 12, 1)
    t0 = time.perf_counter()
    h = history(it, start=start, end=end)
    ours = time.perf_counter() - t0
    print(f"history: {len(h.dates)} months, {N} claims, {ours:.2f} s")
    t0 = time.perf_counter()
    for d in h.dates[::12]:
        a = pool(it, as_of=d)
        i = h.dates.index(d)
        assert np.allclose(a.cdf, h.cdf[i], atol=1e-9, equal_nan=True)
    base = (time.perf_counter() - t0) * len(h.dates) / len(h.dates[::12])
    print(f"baseline (pool per month, extrapolated from every 12th month): {base:.1f} s; ratio {base / ours:.0f}x")


if __name__ == "__main__":
    main()
