"""Transcript import: paste or upload, review the candidate claims, save the accepted ones."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from sqlalchemy import select

from forecasts.errors import ValidationError
from forecasts.reading.transcript import DEFAULT_THRESHOLD, TranscriptError
from forecasts.services import service
from forecasts.services.transcript_import import find_candidates, save_claims, source_record
from forecasts.storage.orm import Milestone, Speaker
from forecasts.storage.records import ClaimRecord, SourceRecord
from webapp.admin.base import bp, user_email
from webapp.admin.drafts import Collector, forecast_from_inputs, forecast_inputs, parse_date
from webapp.admin.forms import CandidateForm, ImportForm, ReviewForm, kinds_showing, options
from webapp.db import get_session

_SOURCE_INPUTS = {
    "title": "source_title",
    "kind": "source_kind",
    "url": "source_url",
    "published_on": "published_on",
    "key": "source_key",
}


def _options() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    session = get_session()
    speakers = session.execute(select(Speaker.slug, Speaker.name).order_by(Speaker.name)).all()
    milestones = session.execute(select(Milestone.slug, Milestone.name).order_by(Milestone.name)).all()
    return (
        [("", "— choose —"), *((s.slug, s.name) for s in speakers)],
        [("", "— choose —"), *((m.slug, f"{m.name} ({m.slug})") for m in milestones)],
    )


def _set_choices(field: Any, pairs: list[tuple[str, str]]) -> None:
    field.choices = options(pairs)


def _source(values: dict[str, Any], out: Collector) -> SourceRecord | None:
    """The source's record from the form's inputs; errors go next to those inputs."""
    published = out.run(lambda: parse_date(values.get("published_on"), "published_on"))
    return out.run(
        lambda: source_record(
            title=(values.get("title") or "").strip(),
            kind=values.get("kind") or "",
            url=(values.get("url") or "").strip() or None,
            published_on=published,
            key=(values.get("key") or "").strip() or None,
        )
    )


def _review_page(form: ReviewForm, *, status: int = 200) -> tuple[str, int]:
    speakers, milestones = _options()
    for entry in form.candidates:
        _set_choices(entry.form.speaker, speakers)
        _set_choices(entry.form.milestone, milestones)
    return render_template("admin/import_review.html", form=form, kinds_showing=kinds_showing), status


def _threshold(raw: str | None) -> float:
    if raw is None or not raw.strip():
        return DEFAULT_THRESHOLD
    try:
        value = float(raw)
    except ValueError:
        raise ValidationError("threshold", f"{raw!r} is not a number between 0 and 1") from None
    if not 0.0 <= value <= 1.0:
        raise ValidationError("threshold", f"{raw!r} is not between 0 and 1")
    return value


@bp.route("/import", methods=["GET", "POST"])
def import_transcript() -> Any:
    """Read a transcript and propose its forecasts as claims to review (nothing is saved yet)."""
    form = ImportForm()
    speakers, _ = _options()
    _set_choices(form.narrator, [("", "— nobody —"), *speakers[1:]])
    if not form.validate_on_submit():
        return render_template("admin/import.html", form=form), 422 if form.is_submitted() else 200
    out = Collector()
    text, name = form.transcript.data or "", "the pasted transcript"
    upload = form.upload.data
    upload_name = str(getattr(upload, "filename", None) or "")
    if upload_name:
        name = upload_name
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            out.add("upload", "the file is not UTF-8 text")
    if not text.strip() and "upload" not in out.errors:
        out.add("transcript", "paste a transcript or upload a file")
    said_on = out.run(lambda: parse_date(form.said_on.data, "said_on", required=True))
    threshold = out.run(lambda: _threshold(form.threshold.data))
    source = _source({k: form[v].data for k, v in _SOURCE_INPUTS.items()}, Collector(_SOURCE_INPUTS, out.errors))
    candidates = []
    if not out.errors and said_on is not None:
        try:
            candidates = find_candidates(
                get_session(),
                text,
                said_on=said_on,
                narrator=form.narrator.data or None,
                name=name,
                title=source.title if source else None,
                threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
            )
        except TranscriptError as exc:
            out.add("upload" if upload_name else "transcript", str(exc))
        except ValidationError as exc:
            out.add(exc.field, exc.message)
    if out.errors:
        for field_name, messages in out.errors.items():
            form[field_name].errors = [*form[field_name].errors, *messages]
        return render_template("admin/import.html", form=form), 422
    assert source is not None
    review = ReviewForm(
        formdata=None,
        data={
            "source_title": source.title,
            "source_kind": source.kind,
            "source_url": source.url or "",
            "published_on": source.published_on.isoformat() if source.published_on else "",
            "source_key": source.key,
        },
    )
    for c in candidates:
        entry: dict[str, Any] = {
            "decision": "reject",
            "quote": c.quote,
            "speaker": c.speaker or "",
            "milestone": c.milestone or "",
            "said_on": c.said_on.isoformat(),
            "locator": c.locator,
            "relative_phrase": c.relative_phrase or "",
            "score": f"{c.score:.2f}",
            "reasons": "; ".join(c.reasons),
        }
        if c.forecast is not None:
            entry |= forecast_inputs(c.forecast)
        review.candidates.append_entry(entry)
    if not candidates:
        flash("No sentence of this transcript makes a forecast.")
    return _review_page(review)


def _candidate_record(entry: CandidateForm, source: str, out: Collector) -> ClaimRecord | None:
    inputs = {k: entry[k].data or "" for k in ("year_low", "year_high", "probability", "points", "confidence")}
    forecast = out.run(lambda: forecast_from_inputs(entry.kind.data or "", inputs))
    data = {
        "speaker": entry.speaker.data or None,
        "milestone": entry.milestone.data or None,
        "said_on": entry.said_on.data or None,
        "quote": entry.quote.data or "",
        "source": source,
        "locator": entry.locator.data or None,
        "relative_phrase": entry.relative_phrase.data or None,
        "verification": "unverified",
        "verbatim": True,
    }
    if forecast is None:
        return None
    return out.run(lambda: ClaimRecord.parse({**data, "forecast": forecast.to_dict()}))


@bp.post("/import/save")
def save_import() -> Any:
    """Save the accepted candidates as unverified claims of the transcript's source, all or nothing."""
    form = ReviewForm()
    if not form.validate_on_submit():
        return _review_page(form, status=422)
    session = get_session()
    speakers = set(session.scalars(select(Speaker.slug)))
    milestones = set(session.scalars(select(Milestone.slug)))
    source_errors = Collector()
    source = _source({k: form[v].data for k, v in _SOURCE_INPUTS.items()}, source_errors)
    records, bad = [], False
    for entry in form.candidates:
        if entry.form.decision.data != "accept":
            continue
        out = Collector()
        rec = _candidate_record(entry.form, source.key if source else "", out)
        if rec is not None and rec.speaker not in speakers:
            out.add("speaker", f"no speaker {rec.speaker!r}")
        if rec is not None and rec.milestone not in milestones:
            out.add("milestone", f"no milestone {rec.milestone!r}")
        for field_name, messages in out.errors.items():
            target = entry.form._fields.get(field_name, entry.form.quote)
            target.errors = [*target.errors, *messages]
        bad = bad or bool(out.errors)
        if rec is not None:
            records.append(rec)
    if source is None:
        form.form_errors.extend(f"source {k}: {', '.join(v)}" for k, v in source_errors.errors.items())
        bad = True
    if bad:
        return _review_page(form, status=422)
    if not records:
        flash("Nothing accepted, so nothing was saved.")
        return _review_page(form)
    saved = save_claims(session, records, source=source, by=user_email())
    session.commit()
    service.results.clear()
    flash(f"Saved {len(saved)} unverified claims from {source.key if source else 'the transcript'}.")
    return redirect(url_for("admin.index"))
