import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats

from forecasts.engine import curves, poolmath
from forecasts.engine.grid import default_grid
from forecasts.engine.history import history
from forecasts.engine.interpret import interpret
from forecasts.engine.model import ClaimForecast, Forecast, ForecastKind, QuantilePoint
from forecasts.engine.pool import METHODS, pool, select_weights
from forecasts.engine.poolmath import _hist_quantiles, weighted_column_quantiles
from forecasts.errors import ValidationError

from .test_interpret import MIXED, claim


def test_linear_pool_matches_scipy_claim_by_claim():
    it = interpret(MIXED)
    a = pool(it, weighting="equal")
    g = default_grid()
    used = ~it.bound_only
    ref = np.zeros_like(g)
    for i in np.flatnonzero(used):
        d = stats.lognorm(s=it.param2[i], scale=np.exp(it.param1[i])) if it.family[i] == 1 else None
        if it.family[i] == 2:
            d = stats.gamma(a=it.param1[i], scale=it.param2[i])
        if d is not None:
            ref += d.cdf(g - it.origin[i]) / used.sum()
    assert_allclose(a.cdf, ref, atol=1e-12)
    assert_allclose(a.p_never, it.p_never[used].mean())
    assert_allclose(a.weights.sum(), 1.0)
    for lv, q in a.quantiles.items():
        if q is not None:
            assert_allclose(np.interp(q, g, a.cdf), lv, atol=2e-4)


def test_lecun_bounds_band_has_no_mass_before_2026():
    it = interpret([claim(1, "lower_bound", dt.date(2024, 4, 15), speaker="lecun", year_low=2026)])
    a = pool(it)
    assert a.n_claims == 0  # bound-only: not in the point aggregate by default
    g = default_grid()
    assert np.all(a.bounds_high[g < 2026.0] == 0)
    b = pool(it, include_bounds_only=True)
    assert b.n_claims == 1 and np.all(b.cdf[g <= 2026.0] == 0)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_is_a_cdf_inside_its_bounds(method):
    it = interpret(MIXED)
    a = pool(it, method=method, weighting="equal", include_bounds_only=True, by_years=(2030,))
    assert np.all(np.diff(a.cdf) >= -1e-12) and a.cdf.min() >= 0 and a.cdf.max() <= 1
    assert np.all(a.bounds_low <= a.bounds_high + 1e-12)
    assert 0 <= a.p_never <= 1


def test_recency_weights_follow_metaculus():
    cs = [claim(i, "point", dt.date(2020 + i, 1, 1), speaker=f"s{i}", year_low=2040, year_high=2040) for i in range(4)]
    w = select_weights(interpret(cs), as_of=3000.0, weighting="recency")
    ref = np.exp(np.sqrt(np.arange(1, 5)) - 2.0)
    assert_allclose(w, ref / ref.sum())


def test_speaker_latest_as_of():
    cs = [
        claim(1, "point", dt.date(2020, 1, 1), year_low=2040, year_high=2040),
        claim(2, "point", dt.date(2022, 1, 1), year_low=2030, year_high=2030),
    ]
    it = interpret(cs)
    assert pool(it, as_of=dt.date(2021, 1, 1)).claim_ids.tolist() == [1]
    assert pool(it).claim_ids.tolist() == [2]


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(len(MIXED))), st.lists(st.floats(0.01, 10), min_size=len(MIXED), max_size=len(MIXED)))
def test_order_does_not_matter_and_p_never_is_weighted_mean(perm, weights):
    it = interpret(MIXED)
    w = np.array(weights)
    a = pool(it, weighting="explicit", weights=w, include_bounds_only=True)
    pi = interpret([MIXED[i] for i in perm])
    b = pool(pi, weighting="explicit", weights=w[list(perm)], include_bounds_only=True)
    assert_allclose(a.cdf, b.cdf, atol=1e-12)
    assert_allclose(a.p_never, w @ it.p_never / w.sum())


def test_histogram_quantiles_agree_with_sorting():
    rng = np.random.default_rng(0)
    m = rng.uniform(size=(500, 7))
    w = rng.uniform(size=500)
    w /= w.sum()
    exact = weighted_column_quantiles(m, w, np.array([0.25, 0.5, 0.75]))
    hist = np.zeros((7, 2049))
    idx = np.ceil(m * 2048).astype(int)
    for j in range(7):
        hist[j] = np.bincount(idx[:, j], weights=w, minlength=2049)
    assert_allclose(_hist_quantiles(hist, np.array([0.25, 0.5, 0.75])), exact, atol=2 / 2048)


def test_history_matches_pool_each_month():
    it = interpret(MIXED)
    h = history(it, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 1))
    for i in (0, 15, 23):
        a = pool(it, as_of=h.dates[i])
        assert_allclose(h.cdf[i], a.cdf, atol=1e-12)
        assert_allclose(h.bounds_high[i], a.bounds_high, atol=1e-12)


def test_bad_method_names_field():
    it = interpret(MIXED)
    with pytest.raises(ValidationError) as e:
        pool(it, method="mean")
    assert e.value.field == "method"
    with pytest.raises(ValidationError) as e:
        pool(it, weighting="explicit")
    assert e.value.field == "weights"


def test_empty_pool():
    it = interpret([claim(1, "never", dt.date(2024, 1, 1))])
    a = pool(it, as_of=dt.date(2020, 1, 1))
    assert a.n_claims == 0 and a.quantiles[0.5] is None


def test_sample_and_pdf():
    a = pool(interpret(MIXED))
    x = a.sample(1000, rng=np.random.default_rng(1))
    assert np.all(x[np.isfinite(x)] >= default_grid()[0])
    mid, dens = a.pdf()
    assert np.all(dens >= -1e-12) and mid.size == a.grid.size - 1
    _ = curves, ClaimForecast, Forecast, ForecastKind


def _random_claims(n, seed, speakers):
    """Claims of every kind said 2015-2025, as in the benchmarks (kept small for the unit tests)."""
    rng = np.random.default_rng(seed)
    kinds = rng.choice(list(ForecastKind), size=n, p=[0.25, 0.15, 0.15, 0.15, 0.1, 0.1, 0.05, 0.05])
    out = []
    for i, k in enumerate(kinds):
        said = dt.date(2015, 1, 1) + dt.timedelta(days=int(rng.integers(0, 3650)))
        y = said.year + int(rng.integers(1, 30))
        kw = {
            ForecastKind.WINDOW: {"year_low": y, "year_high": y + int(rng.integers(0, 10))},
            ForecastKind.POINT: {"year_low": y, "year_high": y},
            ForecastKind.PROBABILITY_BY: {"year_high": y, "probability": float(rng.uniform(0.05, 0.95))},
            ForecastKind.QUANTILES: {
                "points": (
                    QuantilePoint(said.year + 10.75, 0.1),
                    QuantilePoint(said.year + 20.75, 0.5),
                    QuantilePoint(said.year + float(rng.uniform(21.75, 200)), 0.9),
                )
            },
            ForecastKind.LOWER_BOUND: {"year_low": y},
            ForecastKind.UPPER_BOUND: {"year_high": y},
        }.get(ForecastKind(k), {})
        out.append(claim(i, ForecastKind(k).value, said, speaker=f"s{rng.integers(0, speakers)}", **kw))
    return out


@pytest.fixture(scope="module")
def many():
    return interpret(_random_claims(600, 3, 250))


def _reference_band(agg, it, *, histogram):
    """The 25-75% band straight from the (n, m) matrix of CDFs: sort, or one histogram per column."""
    f = curves.cdf(it.take(np.searchsorted(it.claim_id, agg.claim_ids)), agg.grid)
    qs = np.array([0.25, 0.5, 0.75])
    if not histogram:
        return weighted_column_quantiles(f, agg.weights, qs)[[0, 2]]
    bins = np.ceil(f * 2048).astype(int)
    hist = np.vstack([np.bincount(bins[:, j], weights=agg.weights, minlength=2049) for j in range(f.shape[1])])
    return _hist_quantiles(hist, qs)[[0, 2]]


@pytest.mark.parametrize("weighting", ["speaker_latest", "equal", "recency"])
@pytest.mark.parametrize("histogram", [False, True])
def test_fast_band_equals_straightforward_band(many, monkeypatch, weighting, histogram):
    if histogram:  # the path taken for large pools: force it on a small one
        monkeypatch.setattr(poolmath, "EXACT_LIMIT", 0)
    a = pool(many, weighting=weighting)
    low, high = _reference_band(a, many, histogram=histogram)
    assert_allclose(a.band_low, low, atol=1e-12)
    assert_allclose(a.band_high, high, atol=1e-12)
    f = curves.cdf(many.take(np.searchsorted(many.claim_id, a.claim_ids)), a.grid)
    if weighting == "recency":
        return
    # Equal weights: the textbook quantile; a histogram's lies in the range of q-quantiles, give or
    # take a bin (where n * q is a whole number any value between two order statistics qualifies).
    for q, band in ((0.25, a.band_low), (0.75, a.band_high)):
        if not histogram:
            assert_allclose(band, np.quantile(f, q, axis=0, method="averaged_inverted_cdf"), atol=1e-12)
            continue
        s = np.sort(f, axis=0)
        n = s.shape[0]
        lo, hi = s[int(np.ceil(n * q - 1e-9)) - 1], s[int(np.floor(n * q + 1e-9))]
        assert np.all(band >= lo - 1 / 2048 - 1e-12) and np.all(band <= hi + 1 / 2048 + 1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_tiled_pool_equals_pool_of_full_matrix(many, monkeypatch, method):
    # Evaluating only the non-flat columns of each block must not change any pooled number.
    a = pool(many, method=method, weighting="recency", include_bounds_only=True)
    whole = lambda it, t: (np.zeros(len(it), np.intp), np.full(len(it), np.size(t)))  # noqa: E731
    monkeypatch.setattr(curves, "flat_columns", whole)
    b = pool(many, method=method, weighting="recency", include_bounds_only=True)
    for name in ("cdf", "band_low", "band_high"):
        assert_allclose(getattr(a, name), getattr(b, name), atol=1e-12, err_msg=name)
    assert_allclose(a.p_never, b.p_never, atol=1e-15)


def test_flat_columns_are_exactly_flat(many):
    g = default_grid()
    f = curves.cdf(many, g)
    start, stop = curves.flat_columns(many, g)
    cols = np.arange(g.size)
    assert np.all(f[cols[None, :] < start[:, None]] == 0.0)
    reach = np.broadcast_to((1.0 - many.p_never)[:, None], f.shape)
    after = cols[None, :] >= stop[:, None]
    assert np.all(f[after] == reach[after])
    assert np.mean(after) > 0.05 and np.mean(cols[None, :] < start[:, None]) > 0.05


def test_cdf_rows_equals_cdf(many):
    rows = np.random.default_rng(4).permutation(len(many))[:200]
    g = default_grid()[300:]
    assert np.array_equal(curves.cdf_rows(many, rows, g), curves.cdf(many, g)[rows])
