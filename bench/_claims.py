"""Synthetic but realistic claims for the benchmarks: every kind, dates 2015-2025."""

from __future__ import annotations

import datetime as dt

import numpy as np

from forecasts.engine.model import ClaimForecast, Forecast, ForecastKind, QuantilePoint


def make_claims(n: int, *, seed: int = 0, speakers: int | None = None) -> list[ClaimForecast]:
    """``n`` claims by ``speakers`` speakers (default n / 3), kinds mixed as in the reference data."""
    rng = np.random.default_rng(seed)
    kinds = rng.choice(list(ForecastKind), size=n, p=[0.25, 0.15, 0.15, 0.15, 0.1, 0.1, 0.05, 0.05])
    days = rng.integers(0, 3650, size=n)
    who = rng.integers(0, speakers or max(1, n // 3), size=n)
    out = []
    for i in range(n):
        said = dt.date(2015, 1, 1) + dt.timedelta(days=int(days[i]))
        y = said.year + int(rng.integers(1, 30))
        k = ForecastKind(kinds[i])
        if k is ForecastKind.WINDOW:
            f = Forecast(k, year_low=y, year_high=y + int(rng.integers(0, 10)))
        elif k is ForecastKind.POINT:
            f = Forecast(k, year_low=y, year_high=y)
        elif k is ForecastKind.PROBABILITY_BY:
            f = Forecast(k, year_high=y, probability=float(rng.uniform(0.05, 0.95)))
        elif k is ForecastKind.QUANTILES:
            base = said.year + 0.75
            f = Forecast(
                k,
                points=(
                    QuantilePoint(base + 10, 0.1),
                    QuantilePoint(base + 20, 0.5),
                    QuantilePoint(base + float(rng.uniform(21, 200)), 0.9),
                ),
            )
        elif k is ForecastKind.LOWER_BOUND:
            f = Forecast(k, year_low=y)
        elif k is ForecastKind.UPPER_BOUND:
            f = Forecast(k, year_high=y)
        else:
            f = Forecast(k)
        out.append(ClaimForecast(i, f"s{who[i]}", "agi", said, f))
    return out
