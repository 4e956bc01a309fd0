"""Migrations go up, down and up again, and match the models, on the configured database."""

from __future__ import annotations

from sqlalchemy import inspect

from forecasts.storage import migrate
from forecasts.storage.db import make_engine
from forecasts.storage.orm import Base

TABLES = {t.name for t in Base.metadata.sorted_tables}


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade_and_no_drift(new_database) -> None:  # type: ignore[no-untyped-def]
    url = new_database("forecasts_migrations")
    migrate.upgrade(url)
    assert _tables(url) == TABLES
    migrate.check(url)  # raises when the models and the migrations differ
    migrate.downgrade(url, "base")
    assert _tables(url) == set()
    migrate.upgrade(url)
    assert _tables(url) == TABLES
    migrate.check(url)


def test_sqlite_connections_use_wal_and_foreign_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
