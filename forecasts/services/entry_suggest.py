"""Quote-first entry: a pasted quote (and a link) -> what the entry form can fill in by itself.

The editor pastes the words and, if they have it, the link where they read them. From the words
(and, when they name none, from the page's title) come the milestone, the forecast, the relative
phrase and the hedge words (:func:`forecasts.reading.phrases.suggest`), and the speaker when the words name
a known one; from the link, the source: an existing source with that URL, or the title, publisher, date and kind the
page gives of itself (:mod:`forecasts.reading.link_metadata`), and its author as the speaker of a post.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from forecasts.errors import ValidationError
from forecasts.reading.link_metadata import PageMetadata, fetch_html, page_metadata
from forecasts.reading.milestone_names import MilestoneNames
from forecasts.reading.names import match_speaker, speakers_named_in
from forecasts.reading.phrases import Suggestion, suggest
from forecasts.storage import queries
from forecasts.storage.orm import Source


@dataclass(frozen=True, slots=True)
class EntrySuggestion:
    """What the form can fill: each part is None when nothing was found for it."""

    suggestion: Suggestion
    said_on: dt.date  # the date the words were read against
    speaker: str | None  # slug of a known speaker
    speaker_name_as_written: str | None
    source: str | None  # key of a known source with the same URL
    page: PageMetadata | None
    link_error: str | None

    def to_dict(self) -> dict[str, object]:
        return {
            **self.suggestion.to_dict(),
            "said_on": self.said_on.isoformat(),
            "speaker": self.speaker,
            "speaker_name_as_written": self.speaker_name_as_written,
            "source": self.source,
            "page": self.page.to_dict() if self.page else None,
            "link_error": self.link_error,
        }


def suggest_entry(
    session: Session,
    quote: str,
    *,
    said_on: dt.date | None,
    link: str | None,
    fetch: Callable[[str], str] = fetch_html,
    today: dt.date | None = None,
) -> EntrySuggestion:
    """Read the quote and the page behind the link into what the entry form needs."""
    if not quote.strip():
        raise ValidationError("quote", "is required")
    page: PageMetadata | None = None
    link_error = source_key = source_title = None
    if link and link.strip():
        url = link.strip()
        known_source = session.execute(select(Source.key, Source.title).where(Source.url == url)).first()
        source_key, source_title = known_source if known_source else (None, None)
        try:
            page = page_metadata(fetch(url), url)
        except ValidationError as exc:
            link_error = exc.message
    day = said_on or (page.published_on if page else None) or today or dt.date.today()
    speakers = queries.speaker_names(session)
    named = next(iter(speakers_named_in(quote, speakers)), None)
    if named is None and page is not None and page.author:
        named = match_speaker(page.author, speakers)
    # A quote that names no milestone ("We could be a few years away") is about what its page is about.
    title = (page.title if page else None) or source_title
    known = MilestoneNames(queries.milestone_names(session))
    return EntrySuggestion(
        suggestion=suggest(quote, day, known=known, context=title), said_on=day, speaker=named[0] if named else None,
        speaker_name_as_written=named[1] if named else None, source=source_key, page=page, link_error=link_error,
    )  # fmt: skip
