"""Fixtures of the admin tests: an app without CSRF checks (one test turns them on), signed-in clients."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from forecasts.storage.accounts import create_user
from webapp import create_app

PASSWORD = "correct horse battery"
EDITOR = "editor@example.org"
ADMIN = "admin@example.org"


def make_app(session: Session, url: str, **config: Any) -> Flask:
    """An app whose requests run inside the test's transaction (rolled back after the test)."""
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test", **config})
    app.extensions["sessions"] = sessionmaker(
        bind=session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    return app


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD, **kwargs: Any) -> TestResponse:
    return client.post("/admin/login", data={"email": email, "password": password}, **kwargs)


def count(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def admin_app(seeded_session: Session, seeded_url: str) -> Flask:
    return make_app(seeded_session, seeded_url, WTF_CSRF_ENABLED=False)


@pytest.fixture
def admin_account(seeded_session: Session) -> str:
    create_user(seeded_session, ADMIN, PASSWORD, role="admin")
    seeded_session.flush()
    return ADMIN


@pytest.fixture
def anonymous(admin_app: Flask) -> FlaskClient:
    return admin_app.test_client()


@pytest.fixture
def editor(admin_app: Flask) -> FlaskClient:
    client = admin_app.test_client()
    assert sign_in(client, EDITOR).status_code == 302
    return client


@pytest.fixture
def admin(admin_app: Flask, admin_account: str) -> FlaskClient:
    client = admin_app.test_client()
    assert sign_in(client, admin_account).status_code == 302
    return client
