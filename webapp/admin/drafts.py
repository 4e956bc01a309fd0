"""The claim form's values -> validated records, with every problem named next to its input.

Nothing here writes: :func:`read_claim_form` only parses, so a form with any error leaves the
database untouched; :func:`save_draft` writes a valid draft in the request's transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import Form

from forecasts.engine.model import ClaimForecast, Forecast
from forecasts.errors import ValidationError
from forecasts.services.transcript_import import slugify, source_key
from forecasts.storage import repo
from forecasts.storage.orm import Claim, Milestone, Source, Speaker
from forecasts.storage.records import ClaimRecord, SourceRecord, SpeakerRecord
from webapp.admin.forms import FORECAST_INPUTS, KIND_INPUTS

T = TypeVar("T")


class FormErrors(Exception):
    """The problems found in a form, by input name."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class Collector:
    """Collects validation errors under the form's input names, so a form shows them all at once."""

    rename: Mapping[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def run(self, fn: Callable[[], T]) -> T | None:
        try:
            return fn()
        except ValidationError as exc:
            self.add(self.input_for(exc.field), exc.message)
            return None

    def input_for(self, domain_field: str) -> str:
        """The form input a domain error's field belongs to ("forecast.points[2]" -> "points")."""
        name = domain_field.removeprefix("forecast.").split("[")[0].split(".")[0]
        if name == "forecast":
            name = "kind"
        return self.rename.get(name, name)

    def check(self) -> None:
        if self.errors:
            raise FormErrors(self.errors)


# --- the forecast inputs -------------------------------------------------------------------------


def _year(text: str, name: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not re.fullmatch(r"-?\d+", text):
        raise ValidationError(name, f"{text!r} is not a year")
    return int(text)


def _probability(text: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    percent = text.endswith("%")
    try:
        value = float(text.rstrip("%").strip())
    except ValueError:
        raise ValidationError("probability", f"{text!r} is not a number") from None
    return value / 100 if percent else value


def _points(text: str) -> list[dict[str, float]]:
    points = []
    for n, line in enumerate(text.strip().splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in re.split(r"[,;\s]+", line.strip()) if p.strip()]
        try:
            year, probability = (float(p.rstrip("%")) for p in parts)
        except ValueError:
            raise ValidationError("points", f"line {n}: {line.strip()!r} is not 'year, probability'") from None
        if parts[1].endswith("%"):
            probability /= 100
        points.append({"year": year, "probability": probability})
    return points


def forecast_from_inputs(kind: str, inputs: Mapping[str, str]) -> Forecast:
    """The forecast a kind and its inputs describe; inputs the kind does not use are ignored."""
    if kind not in KIND_INPUTS:
        raise ValidationError("kind", "choose a kind of forecast")
    used = KIND_INPUTS[kind]
    data: dict[str, Any] = {"kind": kind}
    if "year_low" in used:
        data["year_low"] = _year(inputs.get("year_low", ""), "year_low")
        if kind == "point":
            data["year_high"] = data["year_low"]
    if "year_high" in used:
        data["year_high"] = _year(inputs.get("year_high", ""), "year_high")
    if "probability" in used:
        data["probability"] = _probability(inputs.get("probability", ""))
    if "points" in used:
        data["points"] = _points(inputs.get("points", ""))
    if "confidence" in used:
        data["confidence"] = inputs.get("confidence", "").strip() or None
    if kind == "point" and data["year_low"] is None:
        raise ValidationError("year_low", "is required for a point forecast")
    return Forecast.from_dict(data)


def forecast_inputs(f: Forecast) -> dict[str, str]:
    """A stored forecast as the form's inputs (the inverse of :func:`forecast_from_inputs`)."""
    return {
        "kind": f.kind.value,
        "year_low": "" if f.year_low is None else str(f.year_low),
        "year_high": "" if f.year_high is None else str(f.year_high),
        "probability": "" if f.probability is None else f"{f.probability:g}",
        "points": "\n".join(f"{p.year:g}, {p.probability:g}" for p in f.points),
        "confidence": f.confidence or "",
    }


def _text(form: Form, name: str) -> str:
    value = form[name].data
    return value.strip() if isinstance(value, str) else ""


# --- the claim form ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Draft:
    """A valid claim from the form, with the speaker and source it adds, if any."""

    claim: ClaimRecord
    new_speaker: SpeakerRecord | None
    new_source: SourceRecord | None

    def claim_forecast(self, claim_id: int) -> ClaimForecast:
        c = self.claim
        return ClaimForecast(
            claim_id=claim_id, speaker=c.speaker, milestone=c.milestone, said_on=c.said_on, forecast=c.forecast
        )


def _new_speaker(session: Session, form: Form, out: Collector) -> SpeakerRecord | None:
    name = _text(form, "new_speaker_name")
    if not name:
        if not _text(form, "speaker"):
            out.add("speaker", "choose a speaker, or add one below")
        return None
    if _text(form, "speaker"):
        out.add("speaker", "choose a speaker or add a new one, not both")
        return None
    speakers = Collector({"slug": "new_speaker_slug", "name": "new_speaker_name", "kind": "new_speaker_kind"})
    data = {
        "slug": _text(form, "new_speaker_slug") or slugify(name),
        "name": name,
        "kind": _text(form, "new_speaker_kind"),
    }
    rec = speakers.run(lambda: SpeakerRecord.parse(data))
    if rec is not None and session.scalar(select(Speaker.id).where(Speaker.slug == rec.slug)) is not None:
        speakers.add("new_speaker_slug", f"a speaker with slug {rec.slug!r} exists: choose it from the list")
    for k, v in speakers.errors.items():
        out.errors.setdefault(k, []).extend(v)
    return rec


def _new_source(session: Session, form: Form, out: Collector) -> SourceRecord | None:
    title = _text(form, "new_source_title")
    if not title:
        return None
    if _text(form, "source"):
        out.add("source", "choose a source or add a new one, not both")
        return None
    sources = Collector(
        {
            "key": "new_source_key",
            "kind": "new_source_kind",
            "title": "new_source_title",
            "url": "new_source_url",
            "published_on": "new_source_published_on",
        }
    )
    published = sources.run(lambda: parse_date(_text(form, "new_source_published_on"), "published_on"))
    data = {
        "key": _text(form, "new_source_key") or source_key(title, published),
        "kind": _text(form, "new_source_kind"),
        "title": title,
        "url": _text(form, "new_source_url") or None,
        "published_on": published,
    }
    rec = sources.run(lambda: SourceRecord.parse(data)) if not sources.errors else None
    if rec is not None and session.scalar(select(Source.id).where(Source.key == rec.key)) is not None:
        sources.add("new_source_key", f"a source with key {rec.key!r} exists: choose it from the list")
    for k, v in sources.errors.items():
        out.errors.setdefault(k, []).extend(v)
    return rec


def parse_date(text: str | None, name: str, *, required: bool = False) -> dt.date | None:
    """A YYYY-MM-DD date typed into ``name``, or None when left empty (an error when ``required``)."""
    text = (text or "").strip()
    if not text:
        if required:
            raise ValidationError(name, "is required")
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(name, f"{text!r} is not a date (YYYY-MM-DD)") from None


_STAND_INS: dict[str, Any] = {
    "speaker": "x",
    "milestone": "x",
    "quote": "x",
    "said_on": "2000-01-01",
    "forecast": {"kind": "never"},
}


def read_claim_form(session: Session, form: Form, *, key: str | None = None) -> Draft:
    """Validate the claim form's inputs; raise :class:`FormErrors` naming every bad input."""
    out = Collector()
    new_speaker = _new_speaker(session, form, out)
    new_source = _new_source(session, form, out)
    inputs = {name: form[name].data or "" for name in FORECAST_INPUTS}
    forecast = out.run(lambda: forecast_from_inputs(_text(form, "kind"), inputs))
    if not _text(form, "milestone"):
        out.add("milestone", "choose a milestone")
    speaker = new_speaker.slug if new_speaker else _text(form, "speaker")
    source = new_source.key if new_source else _text(form, "source") or None
    data: dict[str, Any] = {
        "key": key,
        "speaker": speaker or None,
        "speaker_role": _text(form, "speaker_role") or None,
        "milestone": _text(form, "milestone") or None,
        "said_on": _text(form, "said_on") or None,
        "said_precision": _text(form, "said_precision"),
        "quote": form["quote"].data or "",
        "verbatim": _text(form, "verbatim") != "paraphrase",
        "source": source,
        "locator": _text(form, "locator") or None,
        "relative_phrase": _text(form, "relative_phrase") or None,
        "definition": _text(form, "definition") or None,
        "verification": _text(form, "verification"),
        "notes": _text(form, "notes") or None,
    }
    # Check each field on its own, against valid stand-ins for the others, to show every problem at once.
    for name, value in data.items():
        if name in {"speaker", "milestone"} and value is None:
            continue  # already reported above
        out.run(partial(ClaimRecord.parse, {**_STAND_INS, name: value}))
    out.check()
    assert forecast is not None
    rec = out.run(lambda: ClaimRecord.parse({**data, "forecast": forecast.to_dict()}))
    if rec is not None:
        _check_references(session, rec, new_speaker, new_source, out)
    out.check()
    assert rec is not None
    return Draft(rec, new_speaker, new_source)


def _check_references(
    session: Session, rec: ClaimRecord, speaker: SpeakerRecord | None, source: SourceRecord | None, out: Collector
) -> None:
    if speaker is None and session.scalar(select(Speaker.id).where(Speaker.slug == rec.speaker)) is None:
        out.add("speaker", f"no speaker {rec.speaker!r}")
    if session.scalar(select(Milestone.id).where(Milestone.slug == rec.milestone)) is None:
        out.add("milestone", f"no milestone {rec.milestone!r}")
    if rec.source and source is None and session.scalar(select(Source.id).where(Source.key == rec.source)) is None:
        out.add("source", f"no source {rec.source!r}")


def save_draft(
    session: Session,
    draft: Draft,
    *,
    by: str,
    claim: Claim | None = None,
    expected_version: int | None = None,
    reason: str | None = None,
) -> tuple[Claim, bool]:
    """Write the draft (its new speaker and source first, then the claim); return it and whether it changed."""
    if draft.new_speaker is not None:
        repo.upsert_speaker(session, draft.new_speaker)
    if draft.new_source is not None:
        repo.upsert_source(session, draft.new_source)
    session.flush()
    if claim is None:
        return repo.create_claim(session, draft.claim, by=by, reason=reason), True
    changed = repo.update_claim(session, claim, draft.claim, by=by, expected_version=expected_version, reason=reason)
    return claim, changed


def fill_claim_form(form: Form, claim: Claim) -> None:
    """Put a stored claim's values into the form's inputs."""
    rec = repo.claim_record(claim)
    values: dict[str, Any] = {
        "speaker": rec.speaker,
        "speaker_role": rec.speaker_role or "",
        "milestone": rec.milestone,
        "source": rec.source or "",
        "said_on": rec.said_on.isoformat(),
        "said_precision": rec.said_precision,
        "quote": rec.quote,
        "verbatim": "verbatim" if rec.verbatim else "paraphrase",
        "locator": rec.locator or "",
        "verification": rec.verification,
        "notes": rec.notes or "",
        "relative_phrase": rec.relative_phrase or "",
        "definition": rec.definition or "",
        "version": str(claim.version),
        **forecast_inputs(rec.forecast),
    }
    for name, value in values.items():
        form[name].data = value
