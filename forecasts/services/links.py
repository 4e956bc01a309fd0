"""Links into a source at a locator: the exact moment of a video or podcast where the site allows."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TIMESTAMP = re.compile(r"^(\d{1,2}):(\d{2}):(\d{2})$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}


def seconds(locator: str | None) -> int | None:
    """Seconds into the media for an ``HH:MM:SS`` locator, else None."""
    match = _TIMESTAMP.match(locator or "")
    if not match:
        return None
    h, m, s = (int(g) for g in match.groups())
    return h * 3600 + m * 60 + s


def source_link(url: str | None, locator: str | None) -> str | None:
    """The URL, moved to the locator's moment on sites that take a start time (YouTube's ``t``)."""
    if not url:
        return None
    at = seconds(locator)
    parts = urlsplit(url)
    if at is None or parts.hostname not in _YOUTUBE_HOSTS:
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "t"] + [("t", f"{at}s")]
    return urlunsplit(parts._replace(query=urlencode(query)))
