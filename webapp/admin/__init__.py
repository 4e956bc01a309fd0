"""The admin area: accounts, the claim entry form, transcript import, history and trash."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the admin blueprint, sign-in and CSRF protection on ``app``."""
