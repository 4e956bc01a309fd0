"""The domain's own exceptions; the web and CLI layers map them to statuses and messages."""

from __future__ import annotations


class ForecastsError(Exception):
    """Base class of every error this package raises on purpose."""


class ValidationError(ForecastsError, ValueError):
    """A value a user gave is wrong; ``field`` names it so a form or API can point at it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NotFoundError(ForecastsError, LookupError):
    """A slug, key or id names nothing; ``field`` names the parameter that held it, when known."""

    def __init__(self, what: str, key: object, *, field: str | None = None) -> None:
        super().__init__(f"no {what} {key!r}")
        self.what = what
        self.key = key
        self.field = field


class ConflictError(ForecastsError):
    """An edit was based on a version that is no longer the current one."""

    def __init__(self, expected: int, current: int | None) -> None:
        now = f"the current version is {current}" if current is not None else "it was changed meanwhile"
        super().__init__(f"version {expected} is stale; {now}")
        self.expected = expected
        self.current = current
