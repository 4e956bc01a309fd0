import datetime as dt

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats

from forecasts.engine import curves
from forecasts.engine.explain import explain
from forecasts.engine.grid import default_grid
from forecasts.engine.interpret import GAMMA, LOGNORMAL, InterpretOptions, interpret
from forecasts.engine.model import ClaimForecast, Forecast, ForecastKind, QuantilePoint
from forecasts.errors import ValidationError


def claim(i, kind, said, speaker="s", **kw):
    return ClaimForecast(i, speaker, "m", said, Forecast(ForecastKind(kind), **kw))


MIXED = [
    claim(1, "window", dt.date(2024, 4, 12), year_low=2025, year_high=2028),
    claim(2, "window", dt.date(2024, 4, 12), year_low=2024, year_high=2025),
    claim(3, "point", dt.date(1999, 1, 1), year_low=2029, year_high=2029),
    claim(4, "probability_by", dt.date(2023, 1, 1), year_high=2028, probability=0.5),
    claim(
        5,
        "quantiles",
        dt.date(2023, 10, 1),
        points=(QuantilePoint(2033.75, 0.1), QuantilePoint(2043.75, 0.5), QuantilePoint(2063.75, 0.9)),
    ),
    claim(6, "lower_bound", dt.date(2023, 12, 15), year_low=2029),
    claim(7, "upper_bound", dt.date(2023, 12, 15), year_high=2030),
    claim(8, "never", dt.date(2023, 12, 15)),
    claim(9, "eventually", dt.date(2023, 12, 15)),
]


def test_amodei_asl4_window_median_in_2026():
    it = interpret([MIXED[0]])
    med = curves.quantiles(it, [0.5])[0, 0]
    assert 2026.0 <= med < 2027.0
    q = curves.quantiles(it, [0.05, 0.95])[0]
    assert_allclose(q, [2025.0, 2029.0])
    assert "90% interval 2025-2028" in explain(it, 0)


def test_cdf_matches_scipy_frozen_distributions():
    it = interpret(MIXED)
    g = default_grid()
    f = curves.cdf(it, g)
    for i in range(len(it)):
        dt_ = g - it.origin[i]
        if it.family[i] == LOGNORMAL:
            ref = stats.lognorm(s=it.param2[i], scale=np.exp(it.param1[i])).cdf(dt_)
        elif it.family[i] == GAMMA:
            ref = stats.gamma(a=it.param1[i], scale=it.param2[i]).cdf(dt_)
        else:
            ref = np.zeros_like(g)
        assert_allclose(f[i], ref * (1 - it.p_never[i]), atol=1e-12)


def test_quantiles_invert_cdf():
    it = interpret([c for c in MIXED if c.forecast.kind is not ForecastKind.NEVER])
    levels = np.array([0.1, 0.5, 0.9])
    q = curves.quantiles(it, levels)
    for i in range(len(it)):
        assert_allclose(curves.cdf(it.take(np.array([i])), q[i])[0], levels, atol=1e-9)


def test_nothing_before_the_claim_and_never():
    it = interpret(MIXED)
    f = curves.cdf(it, default_grid())
    before = default_grid()[None, :] <= it.said_at[:, None]
    assert np.all(f[before] == 0)
    assert np.all(f[7] == 0) and it.p_never[7] == 1


def test_literal_bounds_lecun_not_next_year():
    it = interpret([claim(1, "lower_bound", dt.date(2024, 4, 15), year_low=2026)])
    low, high = curves.literal_bounds(it, [2025.99, 2026.0, 2030])
    assert_allclose(high[0], [0, 1, 1])
    assert_allclose(low[0], [0, 0, 0])


def test_pooled_bounds_match_matrix():
    it = interpret(MIXED)
    w = np.linspace(1, 2, len(it))
    g = default_grid()
    low, high = curves.literal_bounds(it, g)
    a, b = curves.pooled_literal_bounds(it, w, g)
    assert_allclose(a, w @ low, atol=1e-12)
    assert_allclose(b, w @ high, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    kind=st.sampled_from(["window", "point", "probability_by", "lower_bound", "upper_bound", "eventually"]),
    lo=st.integers(2000, 2100),
    width=st.integers(0, 30),
    said=st.integers(0, 365 * 40),
    p=st.one_of(st.none(), st.floats(0.0, 1.0)),
)
def test_cdf_is_monotone_and_in_unit_interval(kind, lo, width, said, p):
    kw = {
        "window": dict(year_low=lo, year_high=lo + width),
        "point": dict(year_low=lo, year_high=lo),
        "probability_by": dict(year_high=lo, probability=0.5 if p is None else p),
        "lower_bound": dict(year_low=lo),
        "upper_bound": dict(year_high=lo),
        "eventually": {},
    }[kind]
    if kind in ("window", "point", "lower_bound", "upper_bound"):
        kw["probability"] = p
    # A window's credibility lies strictly inside (0, 1); the model refuses the ends.
    assume(kind not in ("window", "point") or p not in (0.0, 1.0))
    c = claim(1, kind, dt.date(1995, 1, 1) + dt.timedelta(days=said), **kw)
    f = curves.cdf(interpret([c]), default_grid())[0]
    assert np.all(np.diff(f) >= -1e-15) and f.min() >= 0 and f.max() <= 1
    low, high = curves.literal_bounds(interpret([c]), default_grid())
    assert np.all(low <= high + 1e-12)


def test_bad_option_names_field():
    with pytest.raises(ValidationError) as e:
        InterpretOptions(credibility=1.5)
    assert e.value.field == "credibility"
