"""Shared fixtures: a migrated test database (SQLite, or PostgreSQL when TEST_DATABASE_URL names
a server) and a session per test that rolls back everything the test wrote."""

from __future__ import annotations

import http.server
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from forecasts.storage import migrate
from forecasts.storage.db import make_engine

# Property tests explore new examples on a developer's machine; CI replays a fixed set, and no
# example is timed out on a loaded machine.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def scratch_database(base_url: str | None, tmp_dir: Path, name: str) -> str:
    """A new empty database: a SQLite file in ``tmp_dir``, or a fresh PostgreSQL database."""
    if not base_url or base_url.startswith("sqlite"):
        return f"sqlite:///{tmp_dir / (name + '.sqlite3')}"
    url = make_url(base_url)
    database = f"{name}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return url.set(database=database).render_as_string(hide_password=False)


def drop_scratch_database(base_url: str | None, url: str) -> None:
    if not base_url or base_url.startswith("sqlite"):
        return
    admin = make_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def base_url() -> str | None:
    """The server the database tests run against; None means SQLite files."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url and url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url or None


@pytest.fixture(scope="session")
def new_database(base_url: str | None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A factory of empty scratch databases, dropped at the end of the run."""
    made: list[str] = []

    def make(name: str = "forecasts_test") -> str:
        url = scratch_database(base_url, tmp_path_factory.mktemp(name), name)
        made.append(url)
        return url

    yield make
    for url in made:
        drop_scratch_database(base_url, url)


@pytest.fixture(scope="session")
def db_url(new_database) -> str:  # type: ignore[no-untyped-def]
    url: str = new_database("forecasts_test")
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@contextmanager
def rolled_back_session(engine: Engine) -> Iterator[Session]:
    """A session whose commits are savepoints inside one transaction that is rolled back at the end."""
    with engine.connect() as conn:
        outer = conn.begin()
        with Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False) as s:
            yield s
        outer.rollback()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with rolled_back_session(engine) as s:
        yield s


def pytest_report_header(config: pytest.Config) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    return f"database: {make_url(url).render_as_string() if url else 'SQLite (temporary files)'}"


class _Pages(http.server.SimpleHTTPRequestHandler):
    """Serves tests/data/pages, the stand-ins for pages a link points at."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=str(Path(__file__).parent / "data" / "pages"), **kwargs)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def page_server() -> Iterator[str]:
    """The test pages on a free loopback port."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
