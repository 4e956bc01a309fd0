"""The JSON API: every endpoint, its filters, pagination, CSV twins, writes, conflicts and caching."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forecasts.storage.orm import Claim, ClaimRevision


def _json(client: FlaskClient, url: str, status: int = 200, **kw: Any) -> Any:
    response = client.get(url, **kw)
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def _count(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_index_links_the_collections(client: FlaskClient) -> None:
    body = _json(client, "/api/v1/")
    assert body["endpoints"]["claims"] == "/api/v1/claims"


def test_claims_list_pages_through_everything_with_cursors(client: FlaskClient, seeded_session: Session) -> None:
    seen: list[int] = []
    url = "/api/v1/claims?limit=7"
    while url:
        body = _json(client, url)
        seen += [c["id"] for c in body["claims"]]
        assert body["total"] == _count(seeded_session, Claim)
        url = body["next_url"]
    assert len(seen) == len(set(seen)) == _count(seeded_session, Claim)
    dates = [_json(client, f"/api/v1/claims/{i}")["said_on"] for i in seen[:10]]
    assert dates == sorted(dates, reverse=True)


def _family(root: str) -> set[str]:
    rows = yaml.safe_load((Path(__file__).parent.parent.parent / "seeds" / "milestones.yaml").read_text())
    family, grew = {root}, True
    while grew:
        more = {r["slug"] for r in rows if r.get("parent") in family} - family
        family, grew = family | more, bool(more)
    return family


AGI_FAMILY = _family("agi")


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ("speaker=dario-amodei", lambda c: c["speaker"]["slug"] == "dario-amodei"),
        ("milestone=asl-4", lambda c: c["milestone"]["slug"] == "asl-4"),
        ("milestone=agi&include_children=true", lambda c: c["milestone"]["slug"] in AGI_FAMILY),
        ("kind=window", lambda c: c["forecast"]["kind"] == "window"),
        ("said_from=2024-01-01&said_to=2024-12-31", lambda c: "2024-01-01" <= c["said_on"] <= "2024-12-31"),
        ("verified=unverified", lambda c: c["verification"] == "unverified"),
        ("q=BELIEVE%20in%20agi", lambda c: "believe in agi" in c["quote"].lower()),
    ],
)
def test_claims_filters(client: FlaskClient, query: str, check: Any) -> None:
    body = _json(client, f"/api/v1/claims?{query}&limit=500")
    assert body["claims"], query
    assert all(check(c) for c in body["claims"])
    assert body["total"] == len(body["claims"])


def test_children_widen_the_milestone_filter(client: FlaskClient) -> None:
    alone = _json(client, "/api/v1/claims?milestone=agi&limit=500")["total"]
    family = _json(client, "/api/v1/claims?milestone=agi&include_children=true&limit=500")["total"]
    assert family > alone


def test_sorting_ascending(client: FlaskClient) -> None:
    body = _json(client, "/api/v1/claims?sort=said_on&limit=20")
    dates = [c["said_on"] for c in body["claims"]]
    assert dates == sorted(dates)
    every = _json(client, "/api/v1/claims?limit=500")["claims"]
    assert dates[0] == min(c["said_on"] for c in every)  # the oldest claim comes first


def test_claims_csv_twin(client: FlaskClient) -> None:
    response = client.get("/api/v1/claims?speaker=dario-amodei&format=csv&limit=500")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows and all(r["speaker.slug"] == "dario-amodei" for r in rows)
    assert "forecast.kind" in rows[0]


def test_a_claim_with_its_interpretation_amodei_asl4(client: FlaskClient) -> None:
    [claim] = [
        c
        for c in _json(client, "/api/v1/claims?speaker=dario-amodei&milestone=asl-4&limit=50")["claims"]
        if (c["forecast"]["kind"], c["forecast"].get("year_low"), c["forecast"].get("year_high"))
        == ("window", 2025, 2028)
    ][:1]
    body = _json(client, claim["url"])
    reading = body["interpretation"]
    assert 2026.0 <= reading["median_year"] < 2027.0  # the golden case: a median in 2026
    assert reading["p_never"] == 0
    assert "2025" in reading["explanation"] and "2028" in reading["explanation"]
    assert body["locator"].startswith("00:16:")
    assert body["original_source"]["title"]
    revisions = _json(client, body["revisions_url"])
    assert revisions["revisions"][0]["action"] == "create"


def test_speakers_detail_and_stance_golden_lecun(client: FlaskClient) -> None:
    speakers = _json(client, "/api/v1/speakers?limit=500")["speakers"]
    assert {"dario-amodei", "yann-lecun", "arthur-mensch"} <= {s["slug"] for s in speakers}
    lecun = _json(client, "/api/v1/speakers/yann-lecun")
    assert sum(m["claims"] for m in lecun["milestones"]) == lecun["claims"]
    stance = _json(client, "/api/v1/speakers/yann-lecun/stance?milestone=agi")
    # "Clearly not in the next five years" (Dec 2023) -> "won't happen next year" (Apr 2024).
    [move] = [m for m in stance["shifts"] if m["from_said_on"][:7] == "2023-12" and m["to_said_on"][:7] == "2024-04"]
    assert move["lower_bound_shift"] == pytest.approx(-3.0, abs=0.5)
    assert move["direction"] == "sooner"


def test_milestones_and_headline(client: FlaskClient) -> None:
    milestones = {m["slug"]: m for m in _json(client, "/api/v1/milestones")["milestones"]}
    assert milestones["asl-3"]["resolved_on"] == "2025-05-22"
    assert milestones["hlmi"]["parent"] == "agi"
    detail = _json(client, "/api/v1/milestones/asl-4")
    assert detail["headline"]["n_claims"] >= 1
    assert 2025 < detail["headline"]["median_year"] < 2030


def test_distribution_body_has_every_documented_key(client: FlaskClient) -> None:
    body = _json(client, "/api/v1/milestones/agi/distribution?include_children=true&p_by=2030&p_by=2040")
    assert set(body) >= {
        "milestone",
        "as_of",
        "method",
        "weighting",
        "n_claims",
        "n_speakers",
        "p_never",
        "median_year",
        "quantiles",
        "p_by",
        "cdf",
        "band",
        "bounds",
    }
    assert list(body["quantiles"]) == ["0.05", "0.1", "0.25", "0.5", "0.75", "0.9", "0.95"]
    assert set(body["p_by"]) == {"2030", "2040"}
    ps = [p["p"] for p in body["cdf"]]
    assert ps == sorted(ps) and ps[0] >= 0 and ps[-1] <= 1
    assert all(b["low"] <= b["high"] + 1e-12 for b in body["bounds"])
    # Each weight is rounded to 6 decimals in the JSON, so their sum is 1 within half a millionth each.
    weights = [c["weight"] for c in body["claims"]]
    assert body["n_claims"] > 0 and sum(weights) == pytest.approx(1.0, abs=len(weights) * 5e-7 + 1e-12)


@pytest.mark.parametrize("method", ["linear", "median", "quantile", "geo_odds"])
@pytest.mark.parametrize("weighting", ["latest", "recency", "equal"])
def test_every_method_and_weighting(client: FlaskClient, method: str, weighting: str) -> None:
    body = _json(client, f"/api/v1/milestones/agi/distribution?method={method}&weighting={weighting}")
    assert body["method"] == method and body["weighting"] == weighting


def test_as_of_excludes_later_claims(client: FlaskClient) -> None:
    early = _json(client, "/api/v1/milestones/agi/distribution?as_of=2010-01-01&weighting=equal")
    late = _json(client, "/api/v1/milestones/agi/distribution?weighting=equal")
    assert early["n_claims"] < late["n_claims"]


def test_distribution_etag_and_invalidation(client: FlaskClient, auth: dict[str, str]) -> None:
    url = "/api/v1/milestones/asl-4/distribution"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    claim_id = first.get_json()["claims"][0]["id"]
    version = client.get(f"/api/v1/claims/{claim_id}").headers["ETag"]
    patched = client.patch(
        f"/api/v1/claims/{claim_id}",
        json={"forecast": {"kind": "window", "year_low": 2030, "year_high": 2035}},
        headers={**auth, "If-Match": version},
    )
    assert patched.status_code == 200, patched.get_data(as_text=True)
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.headers["ETag"] != etag
    assert again.get_json()["median_year"] > first.get_json()["median_year"]


def test_history_months_and_etag(client: FlaskClient) -> None:
    response = client.get("/api/v1/milestones/agi/history?start=2023-01-01&end=2023-12-31")
    body = response.get_json()
    assert [m["as_of"] for m in body["months"]][:2] == ["2023-01-01", "2023-02-01"]
    assert len(body["months"]) == 12
    assert (
        client.get(
            "/api/v1/milestones/agi/history?start=2023-01-01&end=2023-12-31",
            headers={"If-None-Match": response.headers["ETag"]},
        ).status_code
        == 304
    )


def test_movers_and_scores(client: FlaskClient) -> None:
    movers = _json(client, "/api/v1/movers?start=2023-01-01&end=2024-12-31&limit=200")["movers"]
    assert any(m["speaker"] == "yann-lecun" for m in movers)
    totals = [m["total_shift"] for m in movers]
    assert totals == sorted(totals, reverse=True)
    scores = _json(client, "/api/v1/scores?milestone=asl-3")
    amodei = [c for c in scores["claims"] if c["speaker"] == "dario-amodei"]
    assert any(c["held"] is True for c in amodei)  # the 2024-2025 window held: ASL-3 on 2025-05-22


def test_parse_suggests_a_forecast(client: FlaskClient) -> None:
    body = client.post(
        "/api/v1/parse",
        json={"quote": "I think ASL 4 could happen anywhere from 2025 to 2028.", "said_on": "2024-04-12"},
    ).get_json()
    assert body["milestone"] == "asl-4"
    assert body["forecast"] == {"kind": "window", "year_low": 2025, "year_high": 2028}
    assert body["spans"]


NEW_CLAIM = {
    "speaker": "dario-amodei",
    "milestone": "agi",
    "said_on": "2026-01-20",
    "quote": "A new statement.",
    "forecast": {"kind": "upper_bound", "year_high": 2030},
    "verification": "unverified",
}


def test_writes_need_a_token(client: FlaskClient, seeded_session: Session) -> None:
    before = _count(seeded_session, Claim)
    for response in (
        client.post("/api/v1/claims", json=NEW_CLAIM),
        client.post("/api/v1/claims", json=NEW_CLAIM, headers={"Authorization": "Bearer fct_wrong"}),
        client.patch("/api/v1/claims/1", json={"notes": "x"}, headers={"If-Match": "1"}),
        client.delete("/api/v1/claims/1"),
    ):
        assert response.status_code == 401
        assert response.get_json()["error"]["field"] == "Authorization"
    assert _count(seeded_session, Claim) == before


def test_create_edit_conflict_delete_restore(
    client: FlaskClient, auth: dict[str, str], seeded_session: Session
) -> None:
    created = client.post("/api/v1/claims", json={**NEW_CLAIM, "reason": "from the panel"}, headers=auth)
    assert created.status_code == 201, created.get_data(as_text=True)
    claim = created.get_json()
    assert created.headers["Location"] == claim["url"] and claim["version"] == 1
    edited = client.patch(claim["url"], json={"notes": "checked"}, headers={**auth, "If-Match": '"1"'})
    assert edited.status_code == 200 and edited.get_json()["version"] == 2
    stale = client.patch(claim["url"], json={"notes": "other"}, headers={**auth, "If-Match": "1"})
    assert stale.status_code == 409
    assert stale.get_json()["error"]["current_version"] == 2
    missing = client.patch(claim["url"], json={"notes": "other"}, headers=auth)
    assert missing.status_code == 428
    assert client.delete(claim["url"], headers=auth).get_json()["deleted"] is True
    assert client.get(claim["url"]).status_code == 404
    restored = client.post(claim["url"] + "/restore", headers=auth)
    assert restored.status_code == 200
    actions = [r["action"] for r in _json(client, claim["revisions_url"])["revisions"]]
    assert actions == ["create", "update", "delete", "restore"]


def test_the_speakers_definition_goes_through_create_edit_revisions_and_csv(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    created = client.post("/api/v1/claims", json={**NEW_CLAIM, "definition": "smarter than any human"}, headers=auth)
    assert created.status_code == 201, created.get_data(as_text=True)
    claim = created.get_json()
    assert claim["definition"] == "smarter than any human"
    edited = client.patch(
        claim["url"], json={"definition": "does any job a person can"}, headers={**auth, "If-Match": "1"}
    )
    assert edited.get_json()["definition"] == "does any job a person can"
    revisions = _json(client, claim["revisions_url"])["revisions"]
    assert [r["snapshot"]["definition"] for r in revisions] == ["smarter than any human", "does any job a person can"]
    csv_text = client.get("/api/v1/claims?format=csv&limit=500").get_data(as_text=True)
    assert "definition" in csv_text.splitlines()[0].split(",") and "does any job a person can" in csv_text
    too_long = client.post("/api/v1/claims", json={**NEW_CLAIM, "definition": "x" * 2001}, headers=auth)
    assert too_long.status_code == 422 and too_long.get_json()["error"]["field"] == "definition"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW_CLAIM, "forecast": {"kind": "window", "year_low": 2030, "year_high": 2025}}, "forecast.year_low"),
        (
            {**NEW_CLAIM, "forecast": {"kind": "probability_by", "year_high": 2030, "probability": 2}},
            "forecast.probability",
        ),
        ({**NEW_CLAIM, "speaker": "nobody"}, "speaker"),
        ({**NEW_CLAIM, "said_on": "2026-13-01"}, "said_on"),
        ({**NEW_CLAIM, "extra": 1}, "extra"),
        ({k: v for k, v in NEW_CLAIM.items() if k != "quote"}, "quote"),
    ],
)
def test_bad_bodies_name_the_field_and_write_nothing(
    client: FlaskClient, auth: dict[str, str], seeded_session: Session, body: dict[str, Any], field: str
) -> None:
    before = (_count(seeded_session, Claim), _count(seeded_session, ClaimRevision))
    response = client.post("/api/v1/claims", json=body, headers=auth)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.get_json()["error"]["field"] == field
    assert (_count(seeded_session, Claim), _count(seeded_session, ClaimRevision)) == before


def test_body_media_type_and_size(client: FlaskClient, auth: dict[str, str]) -> None:
    wrong_type = client.post("/api/v1/claims", data="speaker=x", headers=auth)
    assert wrong_type.status_code == 415
    not_json = client.post("/api/v1/claims", data="{", headers=auth, content_type="application/json")
    assert not_json.status_code == 400
    huge = client.post("/api/v1/claims", data="x" * (2 * 1024 * 1024), headers=auth, content_type="application/json")
    assert huge.status_code == 413
    for r in (wrong_type, not_json, huge):
        assert set(r.get_json()["error"]) == {"status", "code", "message", "field"}
