"""Admin sign-in, roles, CSRF, rate limits, and that no admin route answers without signing in."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from forecasts.storage.orm import ApiToken, Claim, User
from tests.web.admin_fixtures import *  # noqa: F403 (the fixtures)
from tests.web.admin_fixtures import EDITOR, PASSWORD, count, make_app, sign_in

OPEN = {"admin.login"}


def _admin_rules(app: Flask) -> list[tuple[str, str]]:
    """Every (method, url) under /admin, with sample values for the URL's arguments."""
    out = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin") or rule.endpoint in OPEN or rule.endpoint.endswith("static"):
            continue
        url = re.sub(r"<(?:int:)?(\w+)>", lambda m: "1" if "int:" in m.group(0) else "x", rule.rule)
        out.extend((method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return out


def test_the_walk_finds_the_admin_routes(admin_app: Flask) -> None:
    routes = _admin_rules(admin_app)
    assert len(routes) >= 30
    assert ("POST", "/admin/claims/new") in routes
    assert ("GET", "/admin/trash") in routes


def test_every_admin_route_sends_a_browser_to_the_login_page(admin_app: Flask, anonymous: FlaskClient) -> None:
    for method, url in _admin_rules(admin_app):
        response = anonymous.open(url, method=method, headers={"Accept": "text/html"})
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/admin/login?next="), (method, url)


def test_every_admin_route_answers_a_json_client_401(admin_app: Flask, anonymous: FlaskClient) -> None:
    for method, url in _admin_rules(admin_app):
        response = anonymous.open(url, method=method, headers={"Accept": "application/json"})
        assert response.status_code == 401, (method, url)
        error = response.get_json()["error"]
        assert set(error) == {"status", "code", "message", "field"}
        assert (error["status"], error["code"]) == (401, "unauthorized")


def test_sign_in_returns_to_the_page_asked_for(anonymous: FlaskClient) -> None:
    first = anonymous.get("/admin/trash")
    assert first.headers["Location"] == "/admin/login?next=/admin/trash"
    page = anonymous.get(first.headers["Location"])
    assert page.status_code == 200
    assert b'name="password"' in page.data
    response = sign_in(anonymous, EDITOR, query_string={"next": "/admin/trash"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/trash"
    assert anonymous.get("/admin/trash").status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_sign_in_never_redirects_off_site(anonymous: FlaskClient, target: str) -> None:
    response = sign_in(anonymous, EDITOR, query_string={"next": target})
    assert response.headers["Location"] == "/admin/"


def test_a_wrong_password_is_refused(anonymous: FlaskClient) -> None:
    response = sign_in(anonymous, EDITOR, "wrong password!")
    assert response.status_code == 200
    assert b"The email or password is wrong" in response.data
    assert anonymous.get("/admin/").status_code == 302


def test_sign_out(editor: FlaskClient) -> None:
    assert editor.get("/admin/").status_code == 200
    assert editor.post("/admin/logout").status_code == 302
    assert editor.get("/admin/").status_code == 302


def test_session_cookie_is_httponly_and_lax(anonymous: FlaskClient) -> None:
    response = sign_in(anonymous, EDITOR)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_admin_pages_send_the_csp_and_are_not_cached(editor: FlaskClient) -> None:
    response = editor.get("/admin/claims/new")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    assert b"<script>" not in response.data and b" style=" not in response.data


def test_login_attempts_are_rate_limited_per_address(anonymous: FlaskClient) -> None:
    for _ in range(10):
        assert sign_in(anonymous, EDITOR, "wrong password!").status_code == 200
    assert sign_in(anonymous, EDITOR, PASSWORD).status_code == 429
    other = sign_in(anonymous, EDITOR, PASSWORD, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 302
    assert anonymous.get("/admin/login").status_code == 200  # reading the page is not limited


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/admin/users"),
        ("POST", "/admin/users"),
        ("GET", "/admin/tokens"),
        ("POST", "/admin/tokens"),
        ("POST", "/admin/tokens/fct_xxxxxxxx/revoke"),
        ("POST", "/admin/users/1/active"),
    ],
)
def test_account_pages_are_refused_to_editors(editor: FlaskClient, method: str, url: str) -> None:
    assert editor.open(url, method=method).status_code == 403
    assert editor.open(url, method=method, headers={"Accept": "application/json"}).get_json()["error"]["status"] == 403


def test_admin_creates_and_deactivates_an_account(admin: FlaskClient, seeded_session: Session) -> None:
    bad = admin.post("/admin/users", data={"email": "not-an-email", "role": "editor", "password": PASSWORD})
    assert bad.status_code == 422 and b"is not an email address" in bad.data
    short = admin.post("/admin/users", data={"email": "new@example.org", "role": "editor", "password": "short"})
    assert short.status_code == 422 and b"at least 10 characters" in short.data
    assert seeded_session.scalar(select(User).where(User.email == "new@example.org")) is None
    ok = admin.post("/admin/users", data={"email": "new@example.org", "role": "editor", "password": PASSWORD})
    assert ok.status_code == 302
    user = seeded_session.scalar(select(User).where(User.email == "new@example.org"))
    assert user is not None and user.role == "editor" and user.password_hash != PASSWORD
    assert admin.post(f"/admin/users/{user.id}/active", data={"active": "0"}).status_code == 302
    seeded_session.refresh(user)
    assert not user.active
    assert sign_in(admin.application.test_client(), "new@example.org").status_code == 200  # refused


def test_a_deactivated_account_is_signed_out(admin: FlaskClient, editor: FlaskClient, seeded_session: Session) -> None:
    user = seeded_session.scalar(select(User).where(User.email == EDITOR))
    assert user is not None
    admin.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    assert editor.get("/admin/").status_code == 302
    admin.post(f"/admin/users/{user.id}/active", data={"active": "1"})


def test_admin_creates_a_token_shown_once_and_revokes_it(admin: FlaskClient, seeded_session: Session) -> None:
    user = seeded_session.scalar(select(User).where(User.email == EDITOR))
    assert user is not None
    created = admin.post("/admin/tokens", data={"user": str(user.id), "name": "script"})
    assert created.status_code == 200
    token = re.search(rb'<code id="new-token">(fct_[^<]+)</code>', created.data)
    assert token is not None
    listing = admin.get("/admin/tokens")
    assert token.group(1) not in listing.data  # shown once
    auth = {"Authorization": f"Bearer {token.group(1).decode()}"}
    assert admin.delete("/api/v1/claims/999999", headers=auth).status_code == 404  # the token works
    prefix = token.group(1).decode()[:12]
    assert admin.post(f"/admin/tokens/{prefix}/revoke").status_code == 302
    record = seeded_session.scalar(select(ApiToken).where(ApiToken.prefix == prefix))
    assert record is not None and record.revoked_at is not None
    assert admin.delete("/api/v1/claims/999999", headers=auth).status_code == 401


def test_csrf_token_is_required_on_every_form(seeded_session: Session, seeded_url: str) -> None:
    app = make_app(seeded_session, seeded_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    refused = client.post("/admin/login", data={"email": EDITOR, "password": PASSWORD})
    assert refused.status_code == 400
    page = client.get("/admin/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    signed_in = client.post("/admin/login", data={"email": EDITOR, "password": PASSWORD, "csrf_token": token.group(1)})
    assert signed_in.status_code == 302
    before = count(seeded_session, Claim)
    claim = seeded_session.scalars(select(Claim).where(Claim.deleted_at.is_(None))).first()
    assert claim is not None
    assert client.post(f"/admin/claims/{claim.id}/delete").status_code == 400
    assert client.post("/admin/logout").status_code == 400
    seeded_session.refresh(claim)
    assert claim.deleted_at is None and count(seeded_session, Claim) == before
    # The API authenticates with tokens, so it is exempt.
    assert client.post("/api/v1/parse", json={"quote": "AGI by 2030", "said_on": "2024-01-01"}).status_code == 200
