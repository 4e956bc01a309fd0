"""The claims page lists the seeded claims."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from forecasts.exchange import load_bundle, read_seed_dir
from tests.conftest import SEEDS
from webapp import create_app


@pytest.fixture
def app(session: Session, db_url: str) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "DATABASE_URL": db_url, "SECRET_KEY": "test"})
    # Serve from the test's own transaction so everything is rolled back afterwards.
    app.extensions["sessions"] = sessionmaker(bind=session.connection(), join_transaction_mode="create_savepoint")
    load_bundle(session, read_seed_dir(SEEDS), by="seed")
    yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def test_the_claims_page_lists_claims_with_quotes_and_sources(client: FlaskClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "anywhere from 2025 to 2028" in html
    assert "Dario Amodei" in html
    assert "at 00:16:" in html


def test_user_text_is_escaped(client: FlaskClient, session: Session) -> None:
    from sqlalchemy import select

    from forecasts.orm import Claim

    claim = session.scalars(select(Claim).order_by(Claim.said_on.desc())).first()
    assert claim is not None
    claim.quote = "<script>alert(1)</script>"
    session.flush()
    html = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
