"""Conditioning the pool on the present: closed forms, a second implementation, properties."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from forecasts.engine import curves
from forecasts.engine.condition import claim_survival, condition_bounds, condition_curve, refuted
from forecasts.engine.grid import default_grid
from forecasts.engine.history import history
from forecasts.engine.interpret import interpret
from forecasts.engine.model import decimal_year
from forecasts.engine.pool import METHODS, pool

from .test_interpret import MIXED, claim

AS_OF = dt.date(2026, 11, 29)
A = decimal_year(AS_OF)


def test_one_claim_conditioned_is_the_closed_form():
    it = interpret([MIXED[3]])  # 50% by 2028, said 2023
    g = default_grid()
    agg = pool(it, as_of=AS_OF, conditioned=True)
    f = curves.cdf(it, g)[0]
    f_a = curves.cdf(it, [A])[0, 0]
    expected = np.where(g >= A, np.maximum(f - f_a, 0.0) / (1.0 - f_a), 0.0)
    assert_allclose(agg.cdf, expected, atol=1e-12)
    assert agg.p_never == pytest.approx(it.p_never[0] / (1.0 - f_a))
    assert agg.p_before == pytest.approx(f_a)
    assert agg.conditioned_on == pytest.approx(A)


def test_conditioned_linear_pool_is_bayes_on_the_mixture():
    """Second implementation: each claim conditioned on its own survival, reweighted by it."""
    it = interpret(MIXED)
    g = default_grid()
    agg = pool(it, as_of=AS_OF, weighting="equal", conditioned=True)
    sub_ids = list(agg.claim_ids)
    sub = it.take(np.array([list(it.claim_id).index(c) for c in sub_ids]))
    s = claim_survival(sub, A)
    w = agg.weights * s
    w = w / w.sum()
    f = curves.cdf(sub, g)
    own = np.where(g[None, :] >= A, np.maximum(f - (1 - s)[:, None], 0) / s[:, None], 0.0)
    assert_allclose(agg.cdf, w @ own, atol=1e-10)
    assert agg.p_never == pytest.approx(float(w @ (sub.p_never / s)))
    for level, q in agg.quantiles.items():
        if q is not None:
            # The quantile is where the conditioned mixture reaches the level.
            at_q = float((agg.weights @ (curves.cdf(sub, [q])[:, 0] - (1 - s))) / (agg.weights @ s))
            assert at_q == pytest.approx(level, abs=1e-6)


@pytest.mark.parametrize("method", METHODS)
def test_conditioned_pool_is_a_cdf_that_starts_at_the_present(method):
    agg = pool(interpret(MIXED), as_of=AS_OF, method=method, by_years=(2025, 2026, 2030), conditioned=True)
    g = agg.grid
    assert np.all(agg.cdf[g < A] == 0.0)
    assert np.all(np.diff(agg.cdf) >= -1e-12)
    assert agg.cdf[-1] + agg.p_never <= 1.0 + 1e-9
    assert agg.p_by[2025] == 0.0
    assert agg.p_by[2030] > agg.p_by[2026]
    # The bounds band still holds the pool.
    assert np.all(agg.bounds_low <= agg.cdf + 1e-9) and np.all(agg.cdf <= agg.bounds_high + 1e-9)


def test_unconditioned_pool_is_unchanged_and_says_so():
    it = interpret(MIXED)
    plain = pool(it, as_of=AS_OF, by_years=(2025,))
    cond = pool(it, as_of=AS_OF, by_years=(2025,), conditioned=True)
    assert plain.conditioned_on is None
    assert plain.p_by[2025] > 0.0 == cond.p_by[2025]
    assert plain.p_before == pytest.approx(cond.p_before)
    assert_allclose(plain.cdf, pool(it, as_of=A, by_years=(2025,)).cdf)


def test_a_claim_whose_words_have_passed_is_refuted_not_dropped():
    by_2025 = claim(20, "upper_bound", dt.date(2023, 6, 1), speaker="musk", year_high=2025)
    window = claim(21, "window", dt.date(2024, 1, 1), speaker="other", year_low=2027, year_high=2030)
    it = interpret([by_2025, window])
    agg = pool(it, as_of=AS_OF, include_bounds_only=True, conditioned=True)
    assert list(agg.refuted_ids) == [20]
    assert list(refuted(it, A)) == [True, False]
    # Said before the deadline passed, it was not refuted then.
    assert list(pool(it, as_of=dt.date(2025, 6, 1), include_bounds_only=True).refuted_ids) == []


def test_a_curve_that_has_all_arrived_has_nothing_to_condition():
    grid = np.array([2020.0, 2021.0, 2022.0, 2030.0])
    cdf, never = condition_curve(grid, np.array([0.0, 1.0, 1.0, 1.0]), 0.0, 2022.5)
    assert np.all(np.isnan(cdf)) and np.isnan(never)
    both, nevers = condition_curve(
        grid, np.array([[0.0, 1.0, 1.0, 1.0], [0.0, 0.2, 0.4, 0.8]]), np.array([0.0, 0.2]), np.array([2022.5, 2022.0])
    )
    assert np.all(np.isnan(both[0]))
    assert_allclose(both[1], [0.0, 0.0, 0.0, 2 / 3])
    assert nevers[1] == pytest.approx(1 / 3)


@settings(max_examples=60, deadline=None)
@given(
    lo=st.lists(st.floats(0.0, 1.0), min_size=5, max_size=5),
    gap=st.lists(st.floats(0.0, 1.0), min_size=5, max_size=5),
    mix=st.lists(st.floats(0.0, 1.0), min_size=5, max_size=5),
    at=st.floats(0.5, 3.5),
)
def test_conditioned_bounds_hold_every_conditioned_cdf_between(lo, gap, mix, at):
    grid = np.arange(5.0)
    low = np.maximum.accumulate(np.array(lo)) * 0.9
    high = np.minimum(1.0, np.maximum.accumulate(low + np.array(gap)))
    high = np.maximum(high, low)
    f = np.maximum.accumulate(low + np.array(mix) * (high - low))
    f = np.minimum(f, high)
    c_low, c_high, _ = condition_bounds(grid, low, high, (0.0, 0.0), at)
    cf, _ = condition_curve(grid, f, 0.0, at)
    if np.all(np.isfinite(cf)):
        assert np.all(c_low <= cf + 1e-9) and np.all(cf <= c_high + 1e-9)


def test_history_months_are_conditioned_like_the_pool_of_that_month():
    it = interpret(MIXED)
    h = history(it, start=dt.date(2025, 1, 1), end=dt.date(2026, 6, 1), weighting="speaker_latest", conditioned=True)
    for i, day in enumerate(h.dates):
        agg = pool(it, as_of=day, conditioned=True)
        # The history interpolates F(month) on the grid; the pool computes it exactly.
        assert_allclose(h.cdf[i], agg.cdf, atol=2e-3)
    resolved = history(
        it, start=dt.date(2025, 1, 1), end=dt.date(2026, 6, 1), conditioned=True, resolved_on=dt.date(2026, 1, 15)
    )
    plain = history(it, start=dt.date(2025, 1, 1), end=dt.date(2026, 6, 1))
    assert_allclose(resolved.cdf[-1], plain.cdf[-1])
    assert_allclose(resolved.cdf[0], h.cdf[0])
