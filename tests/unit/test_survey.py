"""Tests for forecasts.engine.survey on the bundled ESPAI excerpt and on malformed CSV text."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from forecasts.engine.model import ForecastKind, decimal_year
from forecasts.engine.survey import (
    SURVEY_DATE,
    espai_claims,
    espai_speaker,
    pool_espai,
    read_espai,
    reproduce_espai,
)
from forecasts.errors import ValidationError

EXCERPT = Path(__file__).resolve().parent.parent / "data" / "espai_2023_excerpt.csv"
HEADER = (
    "ResponseId,treat_assign,hb_a_1,hb_a_2,hb_a_3,hb_b_1,hb_b_2,hb_b_3,"
    "hj_a_full_1,hj_a_full_2,hj_a_full_3,hj_b_full_1,hj_b_full_2,hj_b_full_3\n"
)


def csv(*rows: str, header: str = HEADER) -> io.StringIO:
    return io.StringIO(header + "\n".join(rows) + "\n")


def test_read_hlmi_excerpt() -> None:
    frame = read_espai(EXCERPT, question="hlmi")
    assert list(frame.columns) == [
        "response_id", "framing", "years_1", "years_2", "years_3", "prob_1", "prob_2", "prob_3",
    ]  # fmt: skip
    assert len(frame) == 33
    assert frame.attrs["rows_read"] == 50 and frame.attrs["rows_kept"] == 33
    assert frame.attrs["survey_date"] == SURVEY_DATE
    first = frame.iloc[0]
    assert first["response_id"] == "R_00LGZ47U9h14rsZ" and first["framing"] == "fixed_years"
    assert_allclose(first[["years_1", "years_2", "years_3"]].to_numpy(float), [10, 20, 40])
    assert_allclose(first[["prob_1", "prob_2", "prob_3"]].to_numpy(float), [0.01, 0.2, 0.8])
    second = frame.iloc[1]
    assert second["framing"] == "fixed_probabilities"
    assert_allclose(second[["years_1", "years_2", "years_3"]].to_numpy(float), [10, 20, 30])
    assert_allclose(second[["prob_1", "prob_2", "prob_3"]].to_numpy(float), [0.1, 0.5, 0.9])
    # Partial answers (R_0jl0kNqMSPLzglP: only the 50% answer) and FAOL-only respondents are left out.
    assert "R_0jl0kNqMSPLzglP" not in set(frame["response_id"])
    assert "R_03bOuCWNizSfQlj" not in set(frame["response_id"])


def test_read_faol_excerpt_uses_its_own_years() -> None:
    frame = read_espai(EXCERPT, question="faol")
    assert len(frame) == 13
    fixed_years = frame[frame["framing"] == "fixed_years"]
    assert_allclose(fixed_years[["years_1", "years_2", "years_3"]].to_numpy(float), [[10, 20, 50]] * len(fixed_years))


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        (csv("R_a,Fixed years,,,,1,2,3,,,,,,", header=HEADER.replace("hb_b_2,", "")), "hb_b_2", "missing"),
        (csv("R_a,Fixed years,,,,1,abc,3,,,,,,"), "hb_b_2", "row 0"),
        (csv("R_a,Fixed years,,,,1,2,3,,,,,,", "R_b,Fixed years,,,,1,2,120,,,,,,"), "hb_b_3", "row 1"),
        (csv("R_a,Fixed probabilities,-5,2,3,,,,,,,,,"), "hb_a_1", "R_a"),
        (csv("R_a,Both,1,2,3,,,,,,,,,"), "treat_assign", "'Both'"),
        (csv(",Fixed years,,,,1,2,3,,,,,,"), "ResponseId", "row 0"),
    ],
)
def test_malformed_csv_names_column_and_row(text: io.StringIO, field: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        read_espai(text, question="hlmi")
    assert info.value.field == field
    assert words in info.value.message


def test_rejects_unknown_question() -> None:
    with pytest.raises(ValidationError) as info:
        read_espai(EXCERPT, question="agi")  # type: ignore[arg-type]
    assert info.value.field == "question"


def test_claims_are_anonymous_quantiles_at_the_survey_date() -> None:
    frame = read_espai(EXCERPT, question="hlmi")
    claims = espai_claims(frame, milestone="hlmi", survey_date=SURVEY_DATE)
    assert len(claims) == len(frame)
    assert claims[0].speaker == "espai-2023-r-00lgz47u9h14rsz"
    assert len({c.speaker for c in claims}) == len(claims)
    assert [c.claim_id for c in claims] == list(range(1, len(claims) + 1))
    start = decimal_year(SURVEY_DATE)
    for claim, row in zip(claims, frame.itertuples(), strict=True):
        assert claim.said_on == SURVEY_DATE and claim.milestone == "hlmi"
        assert claim.forecast.kind is ForecastKind.QUANTILES
        assert claim.extra["response_id"] == row.response_id
        if "capped_years_after" not in claim.extra:
            assert_allclose([p.year for p in claim.forecast.points], start + np.array(claim.extra["years_after"]))
        assert [p.probability for p in claim.forecast.points] == [row.prob_1, row.prob_2, row.prob_3]


def test_claims_keep_ties_and_never_answers() -> None:
    frame = read_espai(EXCERPT, question="hlmi")
    by_id = {c.extra["response_id"]: c for c in espai_claims(frame, milestone="hlmi")}
    # 100, 100, 100 years for 10/50/90%: one moment, increasing probabilities, accepted as it is.
    tie = by_id["R_2asgPtmIHNVItNd"].forecast.points
    assert len({p.year for p in tie}) == 1
    # 0%, 0%, 0% at three horizons.
    assert [p.probability for p in by_id["R_0PuTr2qYEXMyjM5"].forecast.points] == [0.0, 0.0, 0.0]
    # 1e8 years (the survey's "never") is kept as given, so the claim fits as the survey's method does.
    never = by_id["R_24el3cgkyT5ftBj"]
    assert never.extra["years_after"] == (1.0, 10.0, 1e8)
    assert never.forecast.points[-1].year == pytest.approx(decimal_year(SURVEY_DATE) + 1e8)
    assert not any("capped_years_after" in c.extra for c in by_id.values())


def test_claims_reject_pairs_that_do_not_increase() -> None:
    frame = read_espai(csv("R_a,Fixed years,,,,50,20,80,,,,,,"), question="hlmi")
    with pytest.raises(ValidationError) as info:
        espai_claims(frame, milestone="hlmi")
    assert info.value.field == "row 0" and "R_a" in info.value.message


def test_speaker_slug_is_stable() -> None:
    assert espai_speaker("R_00LGZ47U9h14rsZ") == "espai-2023-r-00lgz47u9h14rsz"
    assert espai_speaker("R_00LGZ47U9h14rsZ", dt.date(2022, 6, 1)) == "espai-2022-r-00lgz47u9h14rsz"


def test_pool_matches_independent_scipy_computation() -> None:
    """Figures computed separately: each respondent fitted with scipy.optimize.least_squares
    (gamma, (k, theta) > 0, six starts), then the mean of scipy.stats.gamma.cdf over respondents.
    Respondents whose three answers share one time are left out, since any fit with its median
    there is exact and the two implementations may pick different ones."""
    grid = np.array([5.0, 10.0, 20.0, 40.0])
    frame = read_espai(EXCERPT, question="hlmi")
    distinct = frame[["years_1", "years_2", "years_3"]].nunique(axis=1) > 1
    pool = pool_espai(frame[distinct])
    assert_allclose(np.interp(grid, pool.years_after, pool.cdf), [0.132425, 0.249298, 0.438045, 0.603056], atol=5e-4)
    # FAOL: leave out answers that many fits match exactly (two answers of 0%, or two of 100%),
    # where each implementation's tie-break picks its own fit; scipy started near the answers' scale.
    faol = read_espai(EXCERPT, question="faol")
    probs = faol[["prob_1", "prob_2", "prob_3"]].to_numpy()
    determined = ((probs == 0).sum(axis=1) < 2) & ((probs == 1).sum(axis=1) < 2)
    pooled = pool_espai(faol[determined])
    want = [0.004114, 0.009397, 0.021327, 0.172378]
    assert_allclose(np.interp([5.0, 10.0, 20.0, 50.0], pooled.years_after, pooled.cdf), want, atol=1e-4)


def test_pool_is_a_cdf_and_inverts() -> None:
    pool = pool_espai(read_espai(EXCERPT, question="hlmi"))
    assert np.all(np.diff(pool.cdf) >= -1e-12) and pool.cdf[0] >= 0 and pool.cdf[-1] <= 1
    median = pool.years_to(0.5)
    assert_allclose(np.interp(median, pool.years_after, pool.cdf), 0.5, atol=1e-6)
    assert pool.years_to(0.999999) == np.inf


def test_reproduce_on_excerpt_has_the_published_figures() -> None:
    table = reproduce_espai(EXCERPT)
    assert list(table["question"]) == ["hlmi", "hlmi", "faol", "faol"]
    assert list(table["published"]) == [2027.0, 2047.0, 2037.0, 2116.0]
    assert_allclose(table["ours"], 2023 + table["years_after"])
    assert_allclose(table["difference"], table["ours"] - table["published"])
    assert isinstance(table, pd.DataFrame)
