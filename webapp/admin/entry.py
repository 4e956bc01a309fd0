"""Quote-first entry: the form asks the server what it can fill in from a quote and a link."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify, request

from forecasts.errors import ValidationError
from forecasts.reading.link_metadata import fetch_html
from forecasts.services.entry_suggest import suggest_entry
from webapp.admin.base import bp
from webapp.admin.drafts import parse_date
from webapp.api.errors import error_response
from webapp.db import get_session

_MAX_QUOTE = 10_000


def _as_text(raw: Any) -> str | None:
    return None if raw is None else str(raw)


@bp.post("/claims/suggest")
def suggest_claim() -> Response:
    """Suggest milestone, forecast, speaker and source from a pasted quote and its link."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error_response(400, "bad_request", "send a JSON object with 'quote' (and 'link', 'said_on')")
    quote, link = body.get("quote"), body.get("link")
    if not isinstance(quote, str) or not quote.strip() or len(quote) > _MAX_QUOTE:
        return error_response(422, "invalid", f"quote: give the words, at most {_MAX_QUOTE} characters", "quote")
    if link is not None and not isinstance(link, str):
        return error_response(422, "invalid", "link: must be text", "link")
    allow_private = bool(current_app.config.get("LINK_PREVIEW_ALLOW_PRIVATE"))
    try:
        got = suggest_entry(
            get_session(), quote, said_on=parse_date(_as_text(body.get("said_on")), "said_on"), link=link,
            fetch=lambda url: fetch_html(url, allow_private=allow_private),
        )  # fmt: skip
    except ValidationError as exc:
        return error_response(422, "invalid", f"{exc.field}: {exc.message}", exc.field)
    return jsonify(got.to_dict())
