"""Forecasts that know what day it is: the pool conditioned on the milestone not having arrived yet."""

from __future__ import annotations

from flask.testing import FlaskClient

AS_OF = "2026-11-29"


def test_agi_pool_gives_nothing_to_years_already_passed_by_default(client: FlaskClient) -> None:
    body = client.get(f"/api/v1/milestones/agi/distribution?as_of={AS_OF}&p_by=2025&p_by=2030").get_json()
    assert body["conditioned_on"] == AS_OF
    assert body["p_by"]["2025"] == 0.0
    assert body["median_year"] > 2026.9
    plain = client.get(
        f"/api/v1/milestones/agi/distribution?as_of={AS_OF}&p_by=2025&p_by=2030&conditioned=false"
    ).get_json()
    assert plain["conditioned_on"] is None
    # The unconditioned pool keeps the old figure: what the claims as said gave to 2025.
    assert plain["p_by"]["2025"] > 0.05
    assert body["p_before_as_of"] == plain["p_before_as_of"] > plain["p_by"]["2025"]
    # Conditioning takes the mass before today out, so later years gain only what was rescaled.
    scale = 1 - plain["p_before_as_of"]
    expected = (plain["p_by"]["2030"] - plain["p_before_as_of"]) / scale
    assert abs(body["p_by"]["2030"] - expected) < 1e-5


def test_refuted_claims_are_named_and_each_claim_says_its_chance_left(client: FlaskClient) -> None:
    body = client.get(f"/api/v1/milestones/agi/distribution?as_of={AS_OF}&include_bounds_only=true").get_json()
    refuted = {r["speaker"] for r in body["refuted"]}
    assert "marvin-minsky" in refuted  # "within a generation" of 1967
    for c in body["claims"]:
        assert 0.0 <= c["p_not_yet"] <= 1.0
    assert all(c["p_not_yet"] > 0 for c in body["claims"] if c["speaker"] not in refuted)


def test_the_past_is_conditioned_on_its_own_day(client: FlaskClient) -> None:
    body = client.get("/api/v1/milestones/agi/distribution?as_of=2024-06-01&p_by=2024").get_json()
    assert body["conditioned_on"] == "2024-06-01"
    assert 0.0 < body["p_by"]["2024"] < 1.0
    hist = client.get("/api/v1/milestones/agi/history?start=2024-01-01&end=2024-06-01").get_json()
    assert hist["conditioned"] is True
    month = next(m for m in hist["months"] if m["as_of"] == "2024-06-01")
    assert month["quantiles"]["0.05"] >= 2024.41


def test_a_resolved_milestone_is_not_conditioned_and_shows_what_came_before(client: FlaskClient) -> None:
    body = client.get(f"/api/v1/milestones/asl-3/distribution?as_of={AS_OF}").get_json()
    assert body["conditioned_on"] is None
    assert body["refuted"] == []
    before = client.get("/api/v1/milestones/asl-3/distribution?as_of=2025-05-21").get_json()
    assert before["conditioned_on"] == "2025-05-21"
    page = client.get(f"/milestones/asl-3?as_of={AS_OF}").get_data(as_text=True)
    assert 'id="before-resolution"' in page and "2025-05-21" in page


def test_milestone_page_says_what_it_is_conditioned_on(client: FlaskClient) -> None:
    page = client.get(f"/milestones/agi?as_of={AS_OF}").get_data(as_text=True)
    assert f"not having arrived before {AS_OF}" in page
    assert 'id="refuted"' in page
    plain = client.get(f"/milestones/agi?as_of={AS_OF}&conditioned=false").get_data(as_text=True)
    assert "not conditioned on what has happened since" in plain
