"""Tests for forecasts.engine.fit: closed forms, a second implementation (scipy least_squares), properties."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats

from bench.reference_fit import reference_fit
from forecasts.engine.fit import MIN_TIME, RIDGE, fit_cdf_points, fitted_cdf
from forecasts.engine.survey import read_espai
from forecasts.errors import ValidationError

EXCERPT = Path(__file__).resolve().parent.parent / "data" / "espai_2023_excerpt.csv"


def excerpt_points(question: str) -> tuple[np.ndarray, np.ndarray]:
    frame = read_espai(EXCERPT, question=question)  # type: ignore[arg-type]
    return (
        frame[["years_1", "years_2", "years_3"]].to_numpy(dtype=float),
        frame[["prob_1", "prob_2", "prob_3"]].to_numpy(dtype=float),
    )


# --- closed forms -------------------------------------------------------------------------------


@pytest.mark.parametrize(("shape", "scale"), [(0.5, 30.0), (2.0, 10.0), (7.0, 4.0), (1.3, 900.0)])
def test_recovers_gamma_from_exact_points(shape: float, scale: float) -> None:
    probs = np.array([[0.1, 0.5, 0.9], [0.05, 0.3, 0.6]])
    times = stats.gamma.ppf(probs, shape, scale=scale)
    fit = fit_cdf_points(times, probs)
    # The tie-break ridge pulls exact fits a hair towards shape 1: at the optimum
    # SSE + RIDGE a^2 <= RIDGE a_true^2, which bounds the SSE; the parameters move by ~1e-4.
    assert_allclose(fit.shape, shape, rtol=1e-3)
    assert_allclose(fit.scale, scale, rtol=1e-3)
    assert np.all(fit.sse <= RIDGE * np.log(shape) ** 2 + 1e-15)
    assert fit.converged.all()


@pytest.mark.parametrize(("sigma", "median"), [(0.4, 20.0), (1.0, 5.0), (2.5, 300.0)])
def test_recovers_lognormal_from_exact_points(sigma: float, median: float) -> None:
    probs = np.array([[0.1, 0.5, 0.9]])
    times = stats.lognorm.ppf(probs, sigma, scale=median)
    fit = fit_cdf_points(times, probs, family="lognormal")
    assert fit.family == "lognormal"
    assert_allclose(fit.shape, sigma, rtol=1e-3)
    assert_allclose(fit.scale, median, rtol=1e-3)
    assert fit.sse[0] <= RIDGE * np.log(sigma) ** 2 + 1e-15


def test_fitted_cdf_matches_scipy() -> None:
    times = np.array([0.5, 3.0, 30.0, 400.0])
    got = fitted_cdf("gamma", [0.7, 4.0], [10.0, 2.0], times)
    want = stats.gamma.cdf(times[None, :], np.array([[0.7], [4.0]]), scale=np.array([[10.0], [2.0]]))
    assert_allclose(got, want, rtol=1e-12, atol=1e-300)
    got = fitted_cdf("lognormal", [1.5], [20.0], times)
    assert_allclose(got[0], stats.lognorm.cdf(times, 1.5, scale=20.0), rtol=1e-12)


# --- a second implementation ----------------------------------------------------------------------


@pytest.mark.parametrize("question", ["hlmi", "faol"])
def test_agrees_with_scipy_least_squares_on_excerpt(question: str) -> None:
    times, probs = excerpt_points(question)
    fit = fit_cdf_points(times, probs)
    reference = np.array([reference_fit(times[i], probs[i]) for i in range(len(times))])
    assert np.all(fit.sse <= reference[:, 0] + 1e-6)
    # Where the optimum is unique (distinct times, a fit that is not exact), the parameters agree too.
    unique = (np.ptp(times, axis=1) > 0) & (reference[:, 0] > 1e-6) & (reference[:, 1] < 150)
    assert_allclose(fit.shape[unique], reference[unique, 1], rtol=2e-3)
    assert_allclose(fit.scale[unique], reference[unique, 2], rtol=2e-3)


# --- properties ---------------------------------------------------------------------------------

rows = st.integers(min_value=1, max_value=5).flatmap(
    lambda n: st.tuples(
        st.lists(
            st.lists(st.floats(min_value=0.0, max_value=1e4), min_size=3, max_size=3).map(sorted),
            min_size=n,
            max_size=n,
        ),
        st.lists(
            st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=3, max_size=3).map(sorted),
            min_size=n,
            max_size=n,
        ),
    )
)


@settings(max_examples=40, deadline=None)
@given(rows)
def test_fitted_cdf_is_monotone_in_unit_interval(data: tuple[list[list[float]], list[list[float]]]) -> None:
    times, probs = (np.array(x) for x in data)
    fit = fit_cdf_points(times, probs)
    assert np.all(np.isfinite(fit.shape) & (fit.shape > 0))
    assert np.all(np.isfinite(fit.scale) & (fit.scale > 0))
    assert np.all(np.isfinite(fit.sse) & (fit.sse >= 0))
    cdf = fit.cdf(np.geomspace(1e-3, 1e6, 200))
    assert np.all((cdf >= 0) & (cdf <= 1))
    assert np.all(np.diff(cdf, axis=1) >= -1e-12)


@settings(max_examples=25, deadline=None)
@given(rows)
def test_permuting_rows_permutes_results(data: tuple[list[list[float]], list[list[float]]]) -> None:
    times, probs = (np.array(x) for x in data)
    order = np.random.default_rng(len(times)).permutation(len(times))
    a = fit_cdf_points(times, probs)
    b = fit_cdf_points(times[order], probs[order])
    assert_allclose(b.shape, a.shape[order], rtol=1e-9)
    assert_allclose(b.scale, a.scale[order], rtol=1e-9)
    assert_allclose(b.sse, a.sse[order], rtol=1e-9, atol=1e-15)


# --- degenerate rows ----------------------------------------------------------------------------


def test_degenerate_rows_give_finite_exact_fits() -> None:
    times = np.array([[10, 20, 40], [10, 20, 40], [10, 20, 40], [1, 10, 1e8], [0, 0, 0], [100, 100, 100]], float)
    probs = np.array([[0, 0, 0], [1, 1, 1], [0.5, 0.5, 0.5], [0.1, 0.5, 0.9], [0.1, 0.5, 0.9], [0.1, 0.5, 0.9]])
    fit = fit_cdf_points(times, probs)
    assert np.all(np.isfinite(fit.shape) & np.isfinite(fit.scale) & np.isfinite(fit.sse))
    cdf = fit.cdf(np.array([MIN_TIME, 10.0, 40.0, 1e4]))
    # All 0%: no mass by the last time asked about; all 100%: all of it before the first.
    assert fit.sse[0] < 1e-12 and cdf[0, 2] < 1e-6
    assert fit.sse[1] < 1e-12 and cdf[1, 1] > 1 - 1e-6
    # A flat 50%: as flat a CDF as the bounds allow.
    assert fit.sse[2] < 1e-4 and abs(cdf[2, 1] - 0.5) < 0.01
    # Three answers at one time (0 years is read as MIN_TIME): the median sits there.
    assert_allclose(fit.sse[4:], 0.32, atol=1e-9)
    assert_allclose(fit.cdf(np.array([MIN_TIME]))[4, 0], 0.5, atol=1e-6)
    assert_allclose(fit.cdf(np.array([100.0]))[5, 0], 0.5, atol=1e-6)


def test_empty_input_gives_empty_result() -> None:
    fit = fit_cdf_points(np.zeros((0, 3)), np.zeros((0, 3)))
    assert fit.shape.shape == fit.scale.shape == fit.sse.shape == fit.converged.shape == (0,)


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("times", "probs", "family", "field"),
    [
        ([[1.0, -2.0, 3.0]], [[0.1, 0.5, 0.9]], "gamma", "times"),
        ([[1.0, np.nan, 3.0]], [[0.1, 0.5, 0.9]], "gamma", "times"),
        ([1.0, 2.0, 3.0], [[0.1, 0.5, 0.9]], "gamma", "times"),
        ([[1.0, 2.0, 3.0]], [[0.1, 1.5, 0.9]], "gamma", "probs"),
        ([[1.0, 2.0, 3.0]], [[0.1, 0.5]], "gamma", "probs"),
        ([["a", "b", "c"]], [[0.1, 0.5, 0.9]], "gamma", "times"),
        ([[1.0, 2.0, 3.0]], [[0.1, 0.5, 0.9]], "weibull", "family"),
    ],
)
def test_validation_names_the_argument(times: object, probs: object, family: str, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        fit_cdf_points(times, probs, family=family)  # type: ignore[arg-type]
    assert info.value.field == field


def test_fitted_cdf_rejects_non_positive_parameters() -> None:
    with pytest.raises(ValidationError) as info:
        fitted_cdf("gamma", [1.0], [0.0], [1.0])
    assert info.value.field == "scale"
