"""The web app: thin views over the ``forecasts`` package."""

from __future__ import annotations

import os
import secrets
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from forecasts.storage.db import database_url, make_engine, make_sessionmaker
from forecasts.storage.orm import MAX_ID


class IdConverter(IntegerConverter):
    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app; configuration comes from the environment unless ``test_config`` is given."""
    app = Flask(__name__)
    app.config.from_mapping(
        DATABASE_URL=database_url(),
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_hex(32),
        # Bodies are single claims; anything near a megabyte is a mistake or an attack.
        MAX_CONTENT_LENGTH=1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Set SESSION_COOKIE_SECURE=1 when the app is served over HTTPS.
        SESSION_COOKIE_SECURE=os.environ.get("SESSION_COOKIE_SECURE", "") in {"1", "true", "yes"},
        # The entry form reads the page behind a pasted link; private addresses only when allowed.
        LINK_PREVIEW_ALLOW_PRIVATE=os.environ.get("LINK_PREVIEW_ALLOW_PRIVATE", "") in {"1", "true", "yes"},
    )
    if os.environ.get("ADMIN_LOGIN_LIMIT"):
        app.config["ADMIN_LOGIN_LIMIT"] = os.environ["ADMIN_LOGIN_LIMIT"]
    if test_config:
        app.config.update(test_config)
    # Every <int:...> in a URL is a database id: anything past 32 bits is simply not found.
    app.url_map.converters["int"] = IdConverter
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["sessions"] = make_sessionmaker(engine)

    from webapp import admin, db, security, views
    from webapp.api import errors as api_errors
    from webapp.api import views as api_views

    db.init_app(app)
    api_errors.register(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api_views.bp)
    security.init_app(app)
    admin.init_app(app)
    return app
