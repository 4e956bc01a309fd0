"""The admin area: accounts, the claim entry form, transcript import, history and trash."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the admin blueprint, sign-in and CSRF protection on ``app``."""
    from webapp.admin import accounts, auth, claims, entry, history, references, transcripts  # noqa: F401 (routes)
    from webapp.admin.base import bp, csrf, limiter, login_manager
    from webapp.api.views import bp as api_bp

    login_manager.login_view = "admin.login"
    login_manager.init_app(app)
    csrf.init_app(app)
    # The API authenticates with bearer tokens, not cookies, so cross-site requests cannot ride on a session.
    csrf.exempt(api_bp)
    limiter.init_app(app)
    app.register_blueprint(bp)
