"""Hostile or odd input answers 4xx, never 500; caches follow changes made by other processes."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from forecasts.services import service
from forecasts.storage.orm import Milestone


def _cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


FORGED = [
    ["id", {"a": 1}, 5],
    ["id", True, 1],
    ["-said_on", "2024-01-01", None],
    ["id", 1e30, 1],
    ["id", "x", 5],
    ["-said_on", 20240101, 3],
    ["id", 1, -1],
]


@pytest.mark.parametrize("values", FORGED, ids=[json.dumps(v) for v in FORGED])
def test_forged_cursors_are_refused(client: FlaskClient, values: list[Any]) -> None:
    sort = values[0]
    api = client.get(f"/api/v1/claims?sort={sort}&cursor={_cursor(values)}")
    assert api.status_code == 400 and api.get_json()["error"]["field"] == "cursor"
    assert client.get(f"/claims?sort={sort}&cursor={_cursor(values)}").status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/claims?page=²",
        "/claims?limit=²",
        "/speakers?page=²",
        "/movers?end=0002-01-01",
        "/movers?end=9999-12-31",
        "/milestones/agi?as_of=0001-01-01",
        "/milestones/agi?as_of=9999-12-31",
        "/milestones/agi.svg?as_of=9999-12-31",
        "/scores?as_of=9999-12-31",
        "/api/v1/speakers?cursor=" + _cursor(["offset", 1e30, 0]),
    ],
)
def test_odd_parameters_are_bad_requests(client: FlaskClient, url: str) -> None:
    assert client.get(url).status_code == 400


@pytest.mark.parametrize(
    "url", ["/claims/99999999999999999999", "/api/v1/claims/99999999999999999999", "/admin/claims/99999999999/edit"]
)
def test_ids_beyond_32_bits_are_not_found(client: FlaskClient, url: str) -> None:
    assert client.get(url).status_code in {404, 302}  # the admin one asks to sign in first


def test_if_match_must_be_a_plain_number(client: FlaskClient, auth: dict[str, str]) -> None:
    response = client.patch("/api/v1/claims/1", json={"notes": "x"}, headers={**auth, "If-Match": "²"})
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "If-Match"


def test_a_claim_with_far_survey_style_points_does_not_break_its_speaker(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    body = {
        "speaker": "yann-lecun",
        "milestone": "agi",
        "said_on": "2024-05-01",
        "quote": "Maybe never.",
        "forecast": {
            "kind": "quantiles",
            "points": [{"year": 2100, "probability": 0.1}, {"year": 1e9, "probability": 0.5}],
        },
    }
    created = client.post("/api/v1/claims", json=body, headers=auth)
    assert created.status_code == 201, created.get_data(as_text=True)
    for url in (
        created.get_json()["url"],
        "/api/v1/speakers/yann-lecun/stance?milestone=agi",
        "/speakers/yann-lecun",
        "/speakers/yann-lecun.svg",
        f"/claims/{created.get_json()['id']}",
    ):
        assert client.get(url).status_code == 200, url


def test_the_fingerprint_sees_any_milestone_resolution(seeded_session: Session) -> None:
    before = service.fingerprint(seeded_session)
    # Resolving a milestone earlier than the latest resolution leaves max(resolved_on) alone.
    seeded_session.execute(update(Milestone).where(Milestone.slug == "tai").values(resolved_on=dt.date(2024, 1, 1)))
    assert service.fingerprint(seeded_session) != before
