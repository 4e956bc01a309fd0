"""Web fixtures: an app over a seeded database, each test inside a transaction rolled back after it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from forecasts.services import service
from forecasts.storage import migrate
from forecasts.storage.accounts import create_token, create_user
from forecasts.storage.db import make_engine, transaction
from forecasts.storage.exchange import load_bundle, read_seed_dir
from tests.conftest import SEEDS, rolled_back_session
from webapp import create_app


@pytest.fixture(scope="session")
def seeded_url(new_database) -> str:  # type: ignore[no-untyped-def]
    url: str = new_database("forecasts_web")
    migrate.upgrade(url)
    engine = make_engine(url)
    with transaction(sessionmaker(bind=engine)) as session:
        load_bundle(session, read_seed_dir(SEEDS), by="seed")
        user = create_user(session, "editor@example.org", "correct horse battery", role="editor")
        session.flush()
        token = create_token(session, user, "tests").token
    engine.dispose()
    _TOKENS[url] = token
    return url


_TOKENS: dict[str, str] = {}


@pytest.fixture(scope="session")
def seeded_engine(seeded_url: str) -> Iterator[Engine]:
    engine = make_engine(seeded_url)
    yield engine
    engine.dispose()


@pytest.fixture
def seeded_session(seeded_engine: Engine) -> Iterator[Session]:
    with rolled_back_session(seeded_engine) as s:
        yield s


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    # Rolled-back tests can leave the same table fingerprint behind different rows.
    service.results.clear()
    service._interpretations.clear()
    yield
    service.results.clear()
    service._interpretations.clear()


@pytest.fixture
def app(seeded_session: Session, seeded_url: str) -> Flask:
    app = create_app({"TESTING": True, "DATABASE_URL": seeded_url, "SECRET_KEY": "test"})
    app.extensions["sessions"] = sessionmaker(
        bind=seeded_session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def token(seeded_url: str) -> str:
    return _TOKENS[seeded_url]


@pytest.fixture
def auth(token: str) -> dict[str, Any]:
    return {"Authorization": f"Bearer {token}"}
