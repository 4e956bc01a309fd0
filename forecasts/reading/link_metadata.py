"""A link to a page -> the title, publisher, date and kind its own metadata give, for a new source.

Pages describe themselves in JSON-LD (schema.org ``headline``, ``datePublished``, ``publisher``),
OpenGraph (``og:title``, ``og:site_name``, ``article:published_time``, ``og:type``) and plain
``<meta>`` tags; extruct reads the first two, lxml the rest. JSON-LD wins where they disagree: it is
the most specific (a headline, not a share title with the site's name appended).

Fetching: only ``http``/``https``, a few seconds, a few megabytes, and, unless the caller allows it
(tests serve pages on loopback), never an address that is private, loopback, link-local or
reserved, so that an editor's link cannot make the server probe its own network.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import extruct
import lxml.html

from forecasts.errors import ValidationError

MAX_BYTES = 2_000_000
TIMEOUT = 5.0

#: schema.org and OpenGraph types -> our source kinds.
_KINDS = {
    "newsarticle": "article", "article": "article", "reportagenewsarticle": "article", "blogposting": "post",
    "socialmediaposting": "post", "podcastepisode": "podcast", "videoobject": "video", "video.other": "video",
    "video.episode": "video", "scholarlyarticle": "paper", "book": "book", "website": None,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What a page says about itself; a field is None when the page does not say."""

    url: str
    title: str | None
    publisher: str | None
    published_on: dt.date | None
    author: str | None
    kind: str | None

    def to_dict(self) -> dict[str, object]:
        return {
            "url": self.url, "title": self.title, "publisher": self.publisher, "author": self.author,
            "published_on": self.published_on.isoformat() if self.published_on else None, "kind": self.kind,
        }  # fmt: skip


def check_url(url: str, *, allow_private: bool = False) -> str:
    """The URL if it may be fetched; otherwise a ValidationError on ``link`` saying why."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("link", "must be an http:// or https:// address")
    if not allow_private:
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError) as exc:
            raise ValidationError("link", f"the host {parts.hostname!r} is not known") from exc
        for info in infos:
            address = ipaddress.ip_address(info[4][0])
            if not address.is_global:
                raise ValidationError("link", f"the host {parts.hostname!r} is not a public address")
    return url.strip()


def fetch_html(url: str, *, allow_private: bool = False, timeout: float = TIMEOUT) -> str:
    """The page's HTML, or a ValidationError on ``link`` that says what went wrong."""
    url = check_url(url, allow_private=allow_private)
    request = urllib.request.Request(url, headers={"User-Agent": "forecasts-link-preview", "Accept": "text/html"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if "html" not in response.headers.get("Content-Type", "text/html"):
                raise ValidationError("link", "the page is not HTML")
            body: bytes = response.read(MAX_BYTES + 1)
            charset = response.headers.get_content_charset() or "utf-8"
    except urllib.error.HTTPError as exc:
        raise ValidationError("link", f"the page answered {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ValidationError("link", "the page could not be fetched") from exc
    if len(body) > MAX_BYTES:
        raise ValidationError("link", f"the page is larger than {MAX_BYTES // 1_000_000} MB")
    return body.decode(charset, errors="replace")


def _date(value: object) -> dt.date | None:
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", str(value or ""))
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for v in value if (n := _name(v))]
        return ", ".join(names) if names else None
    if isinstance(value, dict):
        return _name(value.get("name"))
    return value.strip() if isinstance(value, str) and value.strip() else None


def _first(*values: Any) -> Any:
    return next((v for v in values if v not in (None, "", [])), None)


def _json_ld(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The first JSON-LD item that describes a creative work (looking inside ``@graph``)."""
    flat: list[dict[str, Any]] = []
    for item in items:
        flat += item.get("@graph", []) if isinstance(item.get("@graph"), list) else [item]
    works = [i for i in flat if isinstance(i, dict) and (i.get("headline") or i.get("datePublished"))]
    return works[0] if works else {}


def page_metadata(html: str, url: str) -> PageMetadata:
    """Read a page's own description of itself: title, publisher, date, author and kind."""
    data = extruct.extract(html, base_url=url, syntaxes=["opengraph", "json-ld"], uniform=True, errors="ignore")
    ld = _json_ld(data.get("json-ld") or [])
    og: dict[str, Any] = (data.get("opengraph") or [{}])[0]
    tree = lxml.html.fromstring(html) if html.strip() else None

    def meta(*names: str) -> str | None:
        if tree is None:
            return None
        for name in names:
            found = tree.xpath(f'//meta[@name="{name}" or @property="{name}" or @itemprop="{name}"]/@content')
            value = str(found[0]).strip() if isinstance(found, list) and found else ""
            if value:
                return value
        return None

    html_title = tree.findtext(".//title") if tree is not None else None
    ld_type = ld.get("@type")
    ld_type = ld_type[0] if isinstance(ld_type, list) and ld_type else ld_type
    kind_key = str(_first(ld_type, og.get("og:type")) or "").lower()
    return PageMetadata(
        url=url,
        title=_first(_name(ld.get("headline")), _name(og.get("og:title")), meta("twitter:title"),
                     html_title.strip() if html_title else None),
        publisher=_first(_name(ld.get("publisher")), _name(og.get("og:site_name")), meta("application-name")),
        published_on=_first(
            _date(ld.get("datePublished")), _date(og.get("article:published_time")),
            _date(meta("article:published_time", "date", "pubdate", "DC.date.issued", "datePublished")),
        ),
        author=_first(_name(ld.get("author")), meta("author", "article:author")),
        kind=_KINDS.get(kind_key),
    )  # fmt: skip
