"""The public pages over the seeded database: every page answers, advertises its JSON twin, keeps
its filters in the URL, escapes what people said, and answers unknown slugs with a friendly 404."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from forecasts.storage.orm import Claim

PAGES = [
    "/",
    "/claims",
    "/claims/1",
    "/speakers",
    "/speakers/dario-amodei",
    "/milestones",
    "/milestones/agi",
    "/movers",
    "/scores",
    "/about",
    "/api",
]
TWINS = {
    "/": "/api/v1/milestones",
    "/claims?speaker=dario-amodei&kind=window": "/api/v1/claims?speaker=dario-amodei&kind=window",
    "/claims/1": "/api/v1/claims/1",
    "/speakers": "/api/v1/speakers",
    "/speakers/dario-amodei": "/api/v1/speakers/dario-amodei",
    "/milestones": "/api/v1/milestones",
    "/milestones/agi?method=median&as_of=2024-01-01": (
        "/api/v1/milestones/agi/distribution?method=median&as_of=2024-01-01"
    ),
    "/scores": "/api/v1/scores",
    "/api": "/api/v1/openapi.json",
}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_with_html(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert 'href="/admin/login"' in html
    assert "style=" not in html and "<style" not in html  # the Content-Security-Policy forbids inline styles
    assert not re.search(r"<script(?![^>]*(src=|application/json))", html)  # and inline scripts


@pytest.mark.parametrize(("path", "twin"), list(TWINS.items()))
def test_pages_advertise_their_json_twin(client: FlaskClient, path: str, twin: str) -> None:
    response = client.get(path)
    assert response.headers["Link"] == f'<{twin}>; rel="alternate"; type="application/json"'
    assert f'href="{twin.replace("&", "&amp;")}"' in response.get_data(as_text=True)
    assert client.get(twin).status_code == 200


def test_claims_filters_are_reflected_and_applied(client: FlaskClient) -> None:
    html = client.get("/claims?speaker=dario-amodei&milestone=asl-3&q=ASL").get_data(as_text=True)
    assert 'value="dario-amodei"' in html
    assert '<option value="asl-3" selected>' in html
    assert 'value="ASL"' in html
    total = client.get("/api/v1/claims?speaker=dario-amodei&milestone=asl-3&q=ASL").get_json()["total"]
    assert total > 0
    assert html.count('class="claim"') == total
    assert "format=csv" in html and "milestone=asl-3" in html


def test_claims_pages_follow_the_cursor(client: FlaskClient) -> None:
    first = client.get("/claims?limit=5").get_data(as_text=True)
    match = re.search(r'href="(/claims\?[^"]*cursor=[^"]*)" rel="next"', first)
    assert match
    second = client.get(match.group(1).replace("&amp;", "&")).get_data(as_text=True)
    ids = lambda html: re.findall(r'data-claim-id="(\d+)"', html)  # noqa: E731
    assert len(ids(first)) == len(ids(second)) == 5
    assert not set(ids(first)) & set(ids(second))
    assert "Page 2" in second and 'rel="first"' in second


def test_milestone_page_shows_the_chosen_options(client: FlaskClient) -> None:
    html = client.get("/milestones/agi?method=geo_odds&weighting=equal&include_bounds_only=true").get_data(as_text=True)
    assert '<option value="geo_odds" selected>' in html
    assert '<option value="equal" selected>' in html
    assert 'name="include_bounds_only" type="checkbox" value="true" checked' in html
    assert 'id="dist-data"' in html and 'property="og:image"' in html


@pytest.mark.parametrize("path", ["/milestones/agi.svg", "/speakers/dario-amodei.svg"])
def test_charts_are_images_at_stable_urls(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.get_data(as_text=True).startswith("<svg")


@pytest.mark.parametrize(
    "path", ["/milestones/nope", "/speakers/nobody", "/claims/999999", "/no/such/page", "/speakers/nobody.svg"]
)
def test_unknown_things_answer_a_friendly_404(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Not found" in html and 'href="/claims"' in html


def test_api_paths_keep_the_json_error_shape(client: FlaskClient) -> None:
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


def test_bad_parameters_answer_400_naming_them(client: FlaskClient) -> None:
    response = client.get("/claims?said_from=yesterday")
    assert response.status_code == 400
    assert "said_from" in response.get_data(as_text=True)
    assert client.get("/milestones/agi?method=vibes").status_code == 400


def test_api_reference_lists_every_endpoint(client: FlaskClient) -> None:
    html = client.get("/api").get_data(as_text=True)
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in spec["paths"]:
        assert "/api/v1" + path in html
    assert "curl" in html and "invalid_parameter" in html


def test_about_renders_the_method(client: FlaskClient) -> None:
    html = client.get("/about").get_data(as_text=True)
    assert "<h1>Method" in html and "<table>" in html


def test_user_text_is_escaped(client: FlaskClient, seeded_session: Session) -> None:
    claim = seeded_session.scalars(select(Claim).order_by(Claim.said_on.desc(), Claim.id.desc())).first()
    assert claim is not None
    claim.quote = "<script>alert(1)</script>"
    seeded_session.flush()
    for path in ["/", "/claims", f"/claims/{claim.id}"]:
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
