"""Time the vectorised ESPAI fit against a plain loop of scipy least-squares fits.

Usage::

    python bench/espai_fit.py PATH/TO/responses.csv [--baseline-rows 200] [--seed 0]

PATH is the cleaned 2023 ESPAI responses (``combined-cleaned-personal-anon.csv`` from the public
repository tadamcz/espai). Fits every HLMI respondent with :func:`forecasts.engine.fit.fit_cdf_points`,
then fits a random subset with a per-row loop of ``scipy.optimize.least_squares`` (gamma,
(k, theta) > 0, six starting points, best kept), extrapolates that loop's time to all respondents,
and prints both times, their ratio and how the two sets of SSEs compare on the subset. Pass
``--baseline-rows 0`` to run the baseline on every respondent.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from bench.reference_fit import reference_fit
from forecasts.engine.fit import fit_cdf_points
from forecasts.engine.survey import read_espai


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="the cleaned ESPAI responses CSV")
    parser.add_argument("--baseline-rows", type=int, default=200, help="rows for the scipy loop (0: all)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    frame = read_espai(args.path, question="hlmi")
    times = frame[["years_1", "years_2", "years_3"]].to_numpy(dtype=float)
    probs = frame[["prob_1", "prob_2", "prob_3"]].to_numpy(dtype=float)
    n = len(frame)

    runs = []
    for _ in range(3):
        start = time.perf_counter()
        fit = fit_cdf_points(times, probs)
        runs.append(time.perf_counter() - start)
    ours = min(runs)

    rng = np.random.default_rng(args.seed)
    subset = np.arange(n) if args.baseline_rows <= 0 else np.sort(rng.choice(n, args.baseline_rows, replace=False))
    start = time.perf_counter()
    reference = np.array([reference_fit(times[i], probs[i])[0] for i in subset])
    loop = time.perf_counter() - start
    loop_all = loop * n / len(subset)

    diff = fit.sse[subset] - reference
    print(f"HLMI respondents: {n}")
    print(f"fit_cdf_points, all {n} rows: {ours:.2f} s (best of 3; runs {', '.join(f'{r:.2f}' for r in runs)})")
    extrapolated = (
        "" if len(subset) == n else f" (measured on {len(subset)} random rows, seed {args.seed}: {loop:.1f} s)"
    )
    print(f"scipy least_squares loop, {n} rows: {loop_all:.1f} s{extrapolated}")
    print(f"speed-up: {loop_all / ours:.0f}x")
    print(
        f"SSE agreement on {len(subset)} rows: ours <= scipy + 1e-6 on {np.sum(diff <= 1e-6)}; "
        f"ours lower by > 1e-6 on {np.sum(diff < -1e-6)}; max(ours - scipy) = {diff.max():.2e}"
    )
    for i in subset[diff > 1e-6]:
        print(f"  row {i} {frame['response_id'].iloc[i]}: times {times[i]}, probs {probs[i]}")
    print(f"converged: {int(fit.converged.sum())} of {n}; max SSE {fit.sse.max():.4f}")


if __name__ == "__main__":
    main()
