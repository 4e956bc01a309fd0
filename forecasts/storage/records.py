"""Plain records of claims, speakers, sources and milestones, validated field by field.

These are what the seed files, the import command, the API and the admin form hand to the
repository. Parsing raises :class:`~forecasts.errors.ValidationError` naming the field, so each
caller can add where the record came from (a file and line, a form field, a JSON pointer).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forecasts.engine.model import DatePrecision, Forecast
from forecasts.errors import ValidationError

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
LOCATOR_RE = re.compile(r"^(?:\d{1,2}:)?\d{1,2}:\d{2}(?:\.\d+)?$")

SPEAKER_KINDS = ("person", "organisation", "group", "respondent")
SOURCE_KINDS = (
    "interview",
    "podcast",
    "video",
    "post",
    "article",
    "paper",
    "talk",
    "book",
    "survey",
    "testimony",
)
VERIFICATION_STATUSES = ("verified", "reported", "unverified", "disputed")
#: Longest speaker's definition of a milestone a claim may carry.
MAX_DEFINITION = 2000
#: The statuses of claims checked against a source: what aggregates count by default.
CHECKED_STATUSES = ("verified", "reported")


class Fields:
    """Typed access to one record's fields, raising errors that name the field."""

    def __init__(self, data: Mapping[str, Any], allowed: set[str], what: str) -> None:
        if not isinstance(data, Mapping):
            raise ValidationError(what, "must be a mapping of field names to values")
        unknown = sorted(str(k) for k in data if k not in allowed and not str(k).startswith("__"))
        if unknown:
            expected = ", ".join(sorted(allowed))
            raise ValidationError(unknown[0], f"unknown field in a {what} (expected one of {expected})")
        self.data = data

    def text(self, name: str, *, required: bool = False, max_length: int = 10_000) -> str | None:
        value = self.data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise ValidationError(name, "is required")
            return None
        if not isinstance(value, str):
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = str(value)
            else:
                raise ValidationError(name, f"must be text, not {type(value).__name__}")
        value = value.strip()
        if len(value) > max_length:
            raise ValidationError(name, f"is {len(value)} characters long; the most is {max_length}")
        return value

    def required_text(self, name: str, *, max_length: int = 10_000) -> str:
        value = self.text(name, required=True, max_length=max_length)
        assert value is not None
        return value

    def slug(self, name: str, *, required: bool = True) -> str | None:
        value = self.text(name, required=required, max_length=120)
        if value is not None and not SLUG_RE.match(value):
            raise ValidationError(name, f"{value!r} is not a slug (lower-case words joined by hyphens)")
        return value

    def key(self, name: str, *, required: bool = False) -> str | None:
        value = self.text(name, required=required, max_length=160)
        if value is not None and not KEY_RE.match(value):
            raise ValidationError(name, f"{value!r} is not a key (lower-case letters, digits, '.', '_' and '-')")
        return value

    def choice(self, name: str, choices: tuple[str, ...], *, default: str | None = None) -> str:
        value = self.text(name) or default
        if value is None:
            raise ValidationError(name, "is required")
        if value not in choices:
            raise ValidationError(name, f"{value!r} is not one of {', '.join(choices)}")
        return value

    def date(self, name: str, *, required: bool = False) -> dt.date | None:
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                raise ValidationError(name, "is required")
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise ValidationError(name, f"{value!r} is not a date (YYYY-MM-DD)")

    def boolean(self, name: str, *, default: bool) -> bool:
        value = self.data.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in {"true", "yes", "1"}:
            return True
        if isinstance(value, str) and value.strip().lower() in {"false", "no", "0"}:
            return False
        raise ValidationError(name, f"{value!r} is not true or false")

    def url(self, name: str) -> str | None:
        value = self.text(name, max_length=1000)
        if value is not None and not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
            raise ValidationError(name, f"{value!r} is not an http(s) URL")
        return value


@dataclass(frozen=True, slots=True)
class SpeakerRecord:
    slug: str
    name: str
    kind: str = "person"
    description: str | None = None
    affiliation: str | None = None
    url: str | None = None

    FIELDS = frozenset({"slug", "name", "kind", "description", "affiliation", "url"})

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> SpeakerRecord:
        f = Fields(data, set(cls.FIELDS), "speaker")
        return cls(
            slug=f.slug("slug") or "",
            name=f.required_text("name", max_length=200),
            kind=f.choice("kind", SPEAKER_KINDS, default="person"),
            description=f.text("description"),
            affiliation=f.text("affiliation", max_length=200),
            url=f.url("url"),
        )


@dataclass(frozen=True, slots=True)
class SourceRecord:
    key: str
    kind: str
    title: str
    publisher: str | None = None
    url: str | None = None
    published_on: dt.date | None = None
    published_precision: str = "day"
    notes: str | None = None

    FIELDS = frozenset({"key", "kind", "title", "publisher", "url", "published_on", "published_precision", "notes"})

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> SourceRecord:
        f = Fields(data, set(cls.FIELDS), "source")
        return cls(
            key=f.key("key", required=True) or "",
            kind=f.choice("kind", SOURCE_KINDS),
            title=f.required_text("title", max_length=500),
            publisher=f.text("publisher", max_length=300),
            url=f.url("url"),
            published_on=f.date("published_on"),
            published_precision=f.choice("published_precision", tuple(p.value for p in DatePrecision), default="day"),
            notes=f.text("notes"),
        )


@dataclass(frozen=True, slots=True)
class MilestoneRecord:
    slug: str
    name: str
    definition: str
    parent: str | None = None
    resolved_on: dt.date | None = None
    resolution: str | None = None
    resolution_source: str | None = None

    FIELDS = frozenset({"slug", "name", "definition", "parent", "resolved_on", "resolution", "resolution_source"})

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> MilestoneRecord:
        f = Fields(data, set(cls.FIELDS), "milestone")
        record = cls(
            slug=f.slug("slug") or "",
            name=f.required_text("name", max_length=200),
            definition=f.required_text("definition"),
            parent=f.slug("parent", required=False),
            resolved_on=f.date("resolved_on"),
            resolution=f.text("resolution", max_length=300),
            resolution_source=f.key("resolution_source"),
        )
        if record.parent == record.slug:
            raise ValidationError("parent", "a milestone cannot be its own parent")
        if record.resolution and record.resolved_on is None:
            raise ValidationError("resolved_on", "is required when a resolution is given")
        return record


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """A claim's editable fields; references are slugs and keys, not database ids."""

    speaker: str
    milestone: str
    said_on: dt.date
    quote: str
    forecast: Forecast
    key: str | None = None
    said_precision: str = "day"
    verbatim: bool = True
    speaker_role: str | None = None
    source: str | None = None
    locator: str | None = None
    original_source: str | None = None
    original_locator: str | None = None
    relative_phrase: str | None = None
    definition: str | None = None  # the speaker's own definition of the milestone, when they give one
    verification: str = "unverified"
    notes: str | None = None

    FIELDS = frozenset(
        {
            "key",
            "speaker",
            "speaker_role",
            "milestone",
            "said_on",
            "said_precision",
            "quote",
            "verbatim",
            "source",
            "locator",
            "original_source",
            "original_locator",
            "relative_phrase",
            "definition",
            "forecast",
            "verification",
            "notes",
        }
    )

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> ClaimRecord:
        f = Fields(data, set(cls.FIELDS), "claim")
        return cls(
            key=f.key("key"),
            speaker=f.slug("speaker") or "",
            speaker_role=f.text("speaker_role", max_length=300),
            milestone=f.slug("milestone") or "",
            said_on=f.date("said_on", required=True) or dt.date.min,
            said_precision=f.choice("said_precision", tuple(p.value for p in DatePrecision), default="day"),
            quote=f.required_text("quote"),
            verbatim=f.boolean("verbatim", default=True),
            source=f.key("source"),
            locator=_locator(f, "locator"),
            original_source=f.key("original_source"),
            original_locator=_locator(f, "original_locator"),
            relative_phrase=f.text("relative_phrase", max_length=300),
            definition=f.text("definition", max_length=MAX_DEFINITION),
            forecast=_forecast(data.get("forecast")),
            verification=f.choice("verification", VERIFICATION_STATUSES, default="unverified"),
            notes=f.text("notes"),
        )

    def as_dict(self) -> dict[str, Any]:
        """The record in the form :meth:`parse` reads (dates as ISO strings)."""
        return {
            "key": self.key,
            "speaker": self.speaker,
            "speaker_role": self.speaker_role,
            "milestone": self.milestone,
            "said_on": self.said_on.isoformat(),
            "said_precision": self.said_precision,
            "quote": self.quote,
            "verbatim": self.verbatim,
            "source": self.source,
            "locator": self.locator,
            "original_source": self.original_source,
            "original_locator": self.original_locator,
            "relative_phrase": self.relative_phrase,
            "definition": self.definition,
            "forecast": self.forecast.to_dict(),
            "verification": self.verification,
            "notes": self.notes,
        }


def _forecast(data: Any) -> Forecast:
    if data is None:
        raise ValidationError("forecast", "is required")
    return Forecast.from_dict(dict(data) if isinstance(data, Mapping) else data)


def _locator(f: Fields, name: str) -> str | None:
    """A media timestamp (HH:MM:SS) or a free locator such as "p. 96"; timestamps are normalised."""
    value = f.text(name, max_length=60)
    if value is None or not LOCATOR_RE.match(value):
        return value
    parts = [float(p) for p in value.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0.0)
    hours, minutes, seconds = parts
    if minutes >= 60 or seconds >= 60:
        raise ValidationError(name, f"{value!r} is not a valid timestamp (minutes and seconds run to 59)")
    return f"{int(hours):02d}:{int(minutes):02d}:{int(seconds):02d}"
