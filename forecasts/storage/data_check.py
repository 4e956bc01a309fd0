"""The structural rules every claim in a seed or import file keeps, checked before anything is written.

They are what a reader checking a claim against its source relies on:

- a claim read in audio or video (a ``podcast``, ``video`` or ``talk`` source, or such an original
  when the source reports it) has the timestamp where the words are said;
- every source that is not a book has a URL, or notes that say "URL not confirmed" (a recording whose
  transcript was read but whose page could not be found), which a reader then sees;
- a stated probability has its words in the quote ("50%", "fifty-fifty"); hedge words are kept as
  words in ``confidence`` and read as numbers by the engine, never stored as a probability;
- a verbatim quote contains the words its forecast is read from: the relative phrase as spoken, or
  a year the forecast names;
- every speaker, milestone and source a claim names exists.

Claims marked ``unverified`` are exempt from the timestamp rule: their notes say what could not be
found, and aggregates leave them out by default.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from forecasts.engine.model import ForecastKind
from forecasts.errors import ForecastsError
from forecasts.storage.records import ClaimRecord, MilestoneRecord, SourceRecord, SpeakerRecord

if TYPE_CHECKING:
    from forecasts.storage.exchange import Bundle

TIMED_KINDS = frozenset({"podcast", "video", "talk"})
_LOCATOR = re.compile(r"\d{1,2}:\d{2}:\d{2}")
_STATED = re.compile(
    r"\d+(?:\.\d+)?\s*(?:%|percent\b|per\s+cent\b)"
    r"|\b(?:fifty[- ]fifty|50\s*/\s*50|50-50|coin\s+(?:flip|toss)|even\s+odds"
    r"|one\s+in\s+\w+|\d+\s+in\s+\d+|(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety)(?:[- ]\w+)?\s+(?:percent|per\s+cent))",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule: which claim or source, which field, and what is wrong."""

    key: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.field}: {self.message}"


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u2018", "'")).strip().lower()


def _names_a_year(quote: str, years: Iterable[int | None]) -> bool:
    text = _words(quote)
    for year in years:
        if year is None:
            continue
        if str(year) in text or re.search(rf"'{year % 100:02d}\b", text):
            return True
    return False


def check_claim(claim: ClaimRecord, sources: dict[str, SourceRecord]) -> list[Problem]:
    """The rules one claim breaks, given the sources by key."""
    key, out = claim.key or "(no key)", []
    f = claim.forecast
    timed = [
        (field, locator)
        for ref, field, locator in (
            (claim.source, "locator", claim.locator),
            (claim.original_source, "original_locator", claim.original_locator),
        )
        if ref in sources and sources[ref].kind in TIMED_KINDS
    ]  # fmt: skip
    if claim.verification != "unverified":
        for field, locator in timed[:1]:
            if not (locator and _LOCATOR.fullmatch(locator)):
                out.append(Problem(key, field, "a claim from audio or video needs the timestamp HH:MM:SS of the words"))
    if f.probability is not None and f.kind is not ForecastKind.QUANTILES and not _STATED.search(claim.quote):
        out.append(
            Problem(key, "forecast.probability", "no probability is said in the quote; keep hedge words in confidence")
        )
    if claim.verbatim and f.kind not in (ForecastKind.NEVER, ForecastKind.EVENTUALLY, ForecastKind.QUANTILES):
        if claim.relative_phrase:
            if _words(claim.relative_phrase) not in _words(claim.quote):
                out.append(Problem(key, "relative_phrase", f"{claim.relative_phrase!r} is not in the quote"))
        elif not _names_a_year(claim.quote, (f.year_low, f.year_high)):
            out.append(Problem(key, "quote", "names none of the forecast's years and no relative phrase is given"))
    return out


def check_records(
    claims: Iterable[ClaimRecord],
    sources: Iterable[SourceRecord],
    speakers: Iterable[SpeakerRecord],
    milestones: Iterable[MilestoneRecord],
    *,
    known_speakers: Iterable[str] = (),
    known_milestones: Iterable[str] = (),
    known_sources: Iterable[SourceRecord] = (),
) -> list[Problem]:
    """Every rule broken by these records (and references to what the database already holds)."""
    by_key = {s.key: s for s in [*known_sources, *sources]}
    speaker_slugs = {*known_speakers, *(s.slug for s in speakers)}
    milestone_slugs = {*known_milestones, *(m.slug for m in milestones)}
    out = [
        Problem(s.key, "url", "a source that is not a book needs its URL (or notes saying 'URL not confirmed')")
        for s in by_key.values()
        if s.kind != "book" and not s.url and "url not confirmed" not in (s.notes or "").lower()
    ]
    for c in claims:
        key = c.key or "(no key)"
        if c.speaker not in speaker_slugs:
            out.append(Problem(key, "speaker", f"no speaker {c.speaker!r}"))
        if c.milestone not in milestone_slugs:
            out.append(Problem(key, "milestone", f"no milestone {c.milestone!r}"))
        for field, ref in (("source", c.source), ("original_source", c.original_source)):
            if ref is not None and ref not in by_key:
                out.append(Problem(key, field, f"no source {ref!r}"))
        out += check_claim(c, by_key)
    return out


class DataCheckError(ForecastsError):
    """Records that break the rules: every problem, each with its file and line."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(f"{len(lines)} data check problem{'s' if len(lines) != 1 else ''}:\n" + "\n".join(lines))
        self.lines = lines


def check_bundle(bundle: Bundle) -> list[str]:
    """The problems of a parsed file set, each as "file:line: key: field: message"."""
    out = []
    for p in check_records(bundle.claims, bundle.sources, bundle.speakers, bundle.milestones):
        origin = bundle.origins.get(("claims", p.key)) or bundle.origins.get(("sources", p.key))
        where = f"{origin[0]}:{origin[1]}: " if origin else ""
        out.append(f"{where}{p}")
    return out
