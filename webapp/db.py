"""One database session per request, kept on ``g`` and closed on teardown."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session


def get_session() -> Session:
    if "session" not in g:
        g.session = current_app.extensions["sessions"]()
    session: Session = g.session
    return session


def close_session(exc: BaseException | None = None) -> None:
    session = g.pop("session", None)
    if session is not None:
        if exc is not None:
            session.rollback()
        session.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_session)


def rollback() -> None:
    """Undo the current request's writes (the error handlers call this before answering)."""
    session = g.get("session")
    if session is not None:
        session.rollback()
