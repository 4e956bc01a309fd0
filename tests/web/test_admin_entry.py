"""Quote-first entry: POST /admin/claims/suggest reads the quote and the page behind the link."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from forecasts.errors import ValidationError
from forecasts.reading.link_metadata import check_url, page_metadata
from tests.web.admin_fixtures import EDITOR, make_app, sign_in

PAGES = Path(__file__).parent.parent / "data" / "pages"
QUOTE = "I think ASL 4 could happen anywhere from 2025 to 2028."


@pytest.fixture
def entry_app(seeded_session: Session, seeded_url: str) -> Flask:
    return make_app(seeded_session, seeded_url, WTF_CSRF_ENABLED=False, LINK_PREVIEW_ALLOW_PRIVATE=True)


@pytest.fixture
def signed_in(entry_app: Flask) -> FlaskClient:
    client = entry_app.test_client()
    assert sign_in(client, EDITOR).status_code == 302
    return client


def test_page_metadata_prefers_json_ld() -> None:
    html = (PAGES / "ezra-klein-amodei.html").read_text(encoding="utf-8")
    page = page_metadata(html, "https://example.org/x")
    assert page.title == "What if Dario Amodei Is Right About A.I.?"
    assert (page.publisher, page.published_on, page.kind) == ("The New York Times", dt.date(2024, 4, 12), "article")
    assert page.author == "Ezra Klein"


def test_page_metadata_of_a_bare_page() -> None:
    page = page_metadata("<html><head><title> Plain </title></head></html>", "https://example.org/")
    assert (page.title, page.publisher, page.published_on, page.kind) == ("Plain", None, None, None)


@pytest.mark.parametrize(
    ("url", "message"),
    [("ftp://example.org/x", "http"), ("http://127.0.0.1/x", "not a public address"),
     ("http://10.1.2.3/", "not a public address"), ("javascript:alert(1)", "http")],
)  # fmt: skip
def test_links_to_private_addresses_are_refused(url: str, message: str) -> None:
    with pytest.raises(ValidationError) as err:
        check_url(url)
    assert err.value.field == "link"
    assert message in err.value.message


def test_suggest_fills_forecast_speaker_and_source(signed_in: FlaskClient, page_server: str) -> None:
    link = f"{page_server}/ezra-klein-amodei.html"
    response = signed_in.post("/admin/claims/suggest", json={"quote": f"Dario Amodei: {QUOTE}", "link": link})
    assert response.status_code == 200
    body = response.get_json()
    assert body["milestone"] == "asl-4"
    assert body["forecast"] == {"kind": "window", "year_low": 2025, "year_high": 2028}
    assert body["speaker"] == "dario-amodei"
    assert body["said_on"] == "2024-04-12"  # the page's date, since none was given
    assert body["page"]["title"] == "What if Dario Amodei Is Right About A.I.?"
    assert body["page"]["publisher"] == "The New York Times"
    assert body["link_error"] is None


def test_suggest_reports_a_dead_link_and_still_reads_the_quote(signed_in: FlaskClient, page_server: str) -> None:
    response = signed_in.post(
        "/admin/claims/suggest", json={"quote": QUOTE, "link": f"{page_server}/missing.html", "said_on": "2024-04-12"}
    )
    body = response.get_json()
    assert response.status_code == 200
    assert body["link_error"] == "the page answered 404"
    assert body["forecast"]["kind"] == "window"


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"quote": ""}, "quote"), ({"quote": QUOTE, "said_on": "12/04/2024"}, "said_on"),
     ({"quote": QUOTE, "link": 5}, "link")],
)  # fmt: skip
def test_suggest_rejects_bad_input_naming_the_field(
    signed_in: FlaskClient, payload: dict[str, Any], field: str
) -> None:
    response = signed_in.post("/admin/claims/suggest", json=payload)
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == field


def test_suggest_needs_a_signed_in_editor(entry_app: Flask) -> None:
    response = entry_app.test_client().post(
        "/admin/claims/suggest", json={"quote": QUOTE}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 401
