"""Serve the app with gunicorn (a production WSGI server), from the ``forecasts serve`` command."""

from __future__ import annotations

import os
import secrets
import sys
from typing import Any

from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from webapp import create_app

        return create_app()


def run(*, host: str, port: int, workers: int) -> None:
    # Every worker must sign sessions with the same key; without a configured one, make one here,
    # before the workers fork (sign-ins then last until the server restarts).
    if not os.environ.get("SECRET_KEY"):
        print("SECRET_KEY is not set: using a random key until this server stops", file=sys.stderr)
        os.environ["SECRET_KEY"] = secrets.token_hex(32)
    _Server({"bind": f"{host}:{port}", "workers": workers, "accesslog": "-"}).run()
