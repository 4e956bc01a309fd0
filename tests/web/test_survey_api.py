"""Survey answers imported as claims come back through the API as the published-method pool."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from forecasts.engine.model import decimal_year
from forecasts.engine.survey import pool_espai, read_espai
from forecasts.services.survey_import import survey_bundle
from forecasts.storage.exchange import load_bundle

EXCERPT = Path(__file__).resolve().parent.parent / "data" / "espai_2023_excerpt.csv"
SURVEY_DATE = dt.date(2023, 10, 15)


def test_espai_hlmi_pool_through_the_api_matches_the_survey_method(
    client: FlaskClient, seeded_session: Session
) -> None:
    bundle = survey_bundle(EXCERPT, question="hlmi", survey_date=SURVEY_DATE, milestone="hlmi")
    report = load_bundle(seeded_session, bundle, by="test")
    assert report.created["claims"] == len(bundle.claims) > 20
    seeded_session.commit()
    body = client.get(
        "/api/v1/milestones/hlmi/distribution?source=espai-2023-responses&weighting=equal&as_of=2024-01-01&conditioned=false"
    ).get_json()
    assert body["n_claims"] == body["n_speakers"] == len(bundle.claims)
    # The same answers pooled by the survey module's own code (mean of the fitted gamma CDFs).
    survey = pool_espai(read_espai(EXCERPT, question="hlmi"))
    start = decimal_year(SURVEY_DATE)
    for level in ("0.1", "0.25", "0.5"):
        assert body["quantiles"][level] == pytest.approx(start + survey.years_to(float(level)), abs=0.05)


def test_respondents_are_listed_only_when_asked(client: FlaskClient, seeded_session: Session) -> None:
    load_bundle(
        seeded_session, survey_bundle(EXCERPT, question="faol", survey_date=SURVEY_DATE, milestone="faol"), by="test"
    )
    seeded_session.commit()
    plain = client.get("/api/v1/speakers?limit=500").get_json()
    everyone = client.get("/api/v1/speakers?limit=500&include_respondents=true").get_json()
    assert everyone["total"] > plain["total"]
    assert all(s["kind"] != "respondent" for s in plain["speakers"])
