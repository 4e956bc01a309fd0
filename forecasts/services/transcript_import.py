"""Transcript candidates -> unverified claims in the database, with their source.

:mod:`forecasts.reading.transcript` finds the sentences that make forecasts; this module matches them
against the speakers in the database and saves the ones a person accepted, in the caller's
transaction. A candidate without a speaker or a milestone cannot become a claim until someone
fills them in, so it is reported rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from forecasts.errors import ValidationError
from forecasts.reading.transcript import DEFAULT_THRESHOLD, Candidate, extract_candidates
from forecasts.storage import queries, repo
from forecasts.storage.orm import Claim
from forecasts.storage.records import ClaimRecord, SourceRecord


def slugify(text: str, *, max_length: int = 80) -> str:
    """Lower-case ASCII words joined by hyphens: "Dario Amodei" -> "dario-amodei"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def source_key(title: str, published_on: dt.date | None) -> str:
    """A source key made from its title and date: "ai-explained-llama-3-2024-04-18"."""
    words = slugify(title, max_length=60)
    return f"{words}-{published_on.isoformat()}" if published_on else words


def source_record(
    *, title: str, kind: str, url: str | None = None, published_on: dt.date | None = None, key: str | None = None
) -> SourceRecord:
    """The transcript's source, validated; its key defaults to one made from the title and date."""
    if not title.strip():
        raise ValidationError("title", "is required")
    return SourceRecord.parse(
        {
            "key": key or source_key(title, published_on),
            "kind": kind,
            "title": title,
            "url": url or None,
            "published_on": published_on,
        }
    )


def find_candidates(
    session: Session,
    text: str,
    *,
    said_on: dt.date,
    narrator: str | None,
    name: str = "transcript",
    guest: str | None = None,
    title: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Candidate]:
    """The forecasts a transcript makes, with speakers matched to the database's, most likely first.

    Candidates scoring below ``threshold`` are left out (0 keeps them all).
    """
    speakers = queries.speaker_names(session)
    for field, slug in (("narrator", narrator), ("guest", guest)):
        if slug is not None and slug not in {s for s, _ in speakers}:
            raise ValidationError(field, f"no speaker with slug {slug!r}")
    if not 0.0 <= threshold <= 1.0:
        raise ValidationError("threshold", f"{threshold} is not between 0 and 1")
    found = extract_candidates(
        text,
        said_on=said_on,
        speakers=speakers,
        milestones=queries.milestone_names(session),
        narrator=narrator,
        guest=guest,
        title=title,
        name=name,
        threshold=threshold,
    )
    return sorted(found, key=lambda c: (-c.score, c.locator))


def candidate_record(c: Candidate, *, source: str | None) -> ClaimRecord:
    """A candidate as an unverified verbatim claim located by its timestamp."""
    if c.speaker is None:
        raise ValidationError("speaker", f"the sentence at {c.locator} has no speaker; choose one")
    if c.milestone is None:
        raise ValidationError("milestone", f"the sentence at {c.locator} names no milestone; choose one")
    if c.forecast is None:
        raise ValidationError("forecast", f"the sentence at {c.locator} makes no forecast")
    return ClaimRecord(
        speaker=c.speaker,
        milestone=c.milestone,
        said_on=c.said_on,
        quote=c.quote,
        forecast=c.forecast,
        source=source,
        locator=c.locator,
        relative_phrase=c.relative_phrase,
        verification="unverified",
        verbatim=True,
    )


def save_claims(
    session: Session, records: Sequence[ClaimRecord], *, source: SourceRecord | None, by: str | None
) -> list[Claim]:
    """Create (or update) the source, then one claim per record, each with its first revision."""
    if source is not None:
        repo.upsert_source(session, source)
        session.flush()
    reason = f"imported from the transcript of {source.key}" if source else "imported from a transcript"
    return [repo.create_claim(session, rec, by=by, reason=reason) for rec in records]


@dataclass(frozen=True, slots=True)
class ImportReport:
    saved: tuple[Claim, ...]
    skipped: tuple[tuple[Candidate, str], ...]  # the candidate and why it was not saved

    def summary(self) -> str:
        lines = [f"saved {len(self.saved)} unverified claims"]
        lines += [f"skipped {c.locator}: {why}" for c, why in self.skipped]
        return "\n".join(lines)


def import_transcript(
    session: Session,
    text: str,
    *,
    source: SourceRecord,
    said_on: dt.date,
    narrator: str | None,
    by: str | None,
    name: str = "transcript",
    guest: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> ImportReport:
    """Save every complete candidate of a transcript as an unverified claim of ``source``."""
    records: list[ClaimRecord] = []
    skipped: list[tuple[Candidate, str]] = []
    found = find_candidates(
        session,
        text,
        said_on=said_on,
        narrator=narrator,
        guest=guest,
        name=name,
        title=source.title,
        threshold=threshold,
    )
    for c in sorted(found, key=lambda c: c.locator):
        try:
            records.append(candidate_record(c, source=source.key))
        except ValidationError as exc:
            skipped.append((c, exc.message))
    saved = save_claims(session, records, source=source, by=by)
    return ImportReport(tuple(saved), tuple(skipped))
