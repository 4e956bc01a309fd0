"""Create and edit speakers, sources and milestones; admins also record how a milestone resolved."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session

from forecasts.errors import ValidationError
from forecasts.services import service
from forecasts.storage import repo
from forecasts.storage.orm import Milestone, Source, Speaker
from forecasts.storage.records import MilestoneRecord, SourceRecord, SpeakerRecord
from webapp.admin.base import bp
from webapp.admin.forms import MilestoneForm, SourceForm, SpeakerForm, options
from webapp.db import get_session

RESOLUTION_FIELDS = ("resolved_on", "resolution", "resolution_source")


def _text(value: Any) -> Any:
    return value.strip() or None if isinstance(value, str) else value


def _save(
    form: FlaskForm,
    parse: Callable[[Mapping[str, Any]], Any],
    write: Callable[[Session, Any], Any],
    data: dict[str, Any],
) -> bool:
    """Parse and write; on a validation error put it next to its field, write nothing and return False."""
    session = get_session()
    try:
        write(session, parse(data))
        session.flush()
    except ValidationError as exc:
        session.rollback()
        field = form._fields.get(exc.field)
        if field is not None:
            field.errors = [*field.errors, exc.message]
        else:
            form.form_errors.append(f"{exc.field}: {exc.message}")
        return False
    session.commit()
    service.results.clear()
    return True


def _page(what: str, form: FlaskForm, *, editing: str | None, status: int = 200) -> tuple[str, int]:
    return render_template("admin/reference_form.html", what=what, form=form, editing=editing), status


# --- speakers ------------------------------------------------------------------------------------


@bp.get("/speakers")
def speakers() -> str:
    """List the speakers."""
    rows = get_session().scalars(select(Speaker).order_by(Speaker.name)).all()
    items = [(r.slug, r.name, r.kind, url_for("admin.edit_speaker", slug=r.slug)) for r in rows]
    return render_template(
        "admin/reference_list.html", what="speaker", items=items, new_url=url_for("admin.new_speaker")
    )


def _speaker_page(row: Speaker | None) -> Any:
    form = SpeakerForm(obj=row) if request.method == "GET" else SpeakerForm()
    if row is not None:
        form.slug.data = row.slug  # a slug names the speaker in URLs and seeds: it does not change here
    if request.method == "POST":
        data = {name: _text(form[name].data) for name in SpeakerRecord.FIELDS}
        if _save(form, SpeakerRecord.parse, repo.upsert_speaker, data):
            flash(f"Speaker {data['slug']} saved.")
            return redirect(url_for("admin.speakers"))
        return _page("speaker", form, editing=row.slug if row else None, status=422)
    return _page("speaker", form, editing=row.slug if row else None)


@bp.route("/speakers/new", methods=["GET", "POST"])
def new_speaker() -> Any:
    """Add a speaker."""
    form_slug = request.form.get("slug", "").strip()
    if form_slug and get_session().scalar(select(Speaker.id).where(Speaker.slug == form_slug)) is not None:
        form = SpeakerForm()
        form.slug.errors = [f"a speaker with slug {form_slug!r} exists"]
        return _page("speaker", form, editing=None, status=422)
    return _speaker_page(None)


@bp.route("/speakers/<slug>/edit", methods=["GET", "POST"])
def edit_speaker(slug: str) -> Any:
    """Edit a speaker."""
    row = get_session().scalar(select(Speaker).where(Speaker.slug == slug))
    if row is None:
        abort(404)
    return _speaker_page(row)


# --- sources -------------------------------------------------------------------------------------


@bp.get("/sources")
def sources() -> str:
    """List the sources."""
    rows = get_session().scalars(select(Source).order_by(Source.key)).all()
    items = [(r.key, r.title, r.kind, url_for("admin.edit_source", key=r.key)) for r in rows]
    return render_template("admin/reference_list.html", what="source", items=items, new_url=url_for("admin.new_source"))


def _source_page(row: Source | None) -> Any:
    form = SourceForm(obj=row) if request.method == "GET" else SourceForm()
    if row is not None:
        form.key.data = row.key
        if request.method == "GET" and row.published_on:
            form.published_on.data = row.published_on.isoformat()
    if request.method == "POST":
        data = {name: _text(form[name].data) for name in SourceRecord.FIELDS}
        if _save(form, SourceRecord.parse, repo.upsert_source, data):
            flash(f"Source {data['key']} saved.")
            return redirect(url_for("admin.sources"))
        return _page("source", form, editing=row.key if row else None, status=422)
    return _page("source", form, editing=row.key if row else None)


@bp.route("/sources/new", methods=["GET", "POST"])
def new_source() -> Any:
    """Add a source."""
    key = request.form.get("key", "").strip()
    if key and get_session().scalar(select(Source.id).where(Source.key == key)) is not None:
        form = SourceForm()
        form.key.errors = [f"a source with key {key!r} exists"]
        return _page("source", form, editing=None, status=422)
    return _source_page(None)


@bp.route("/sources/<key>/edit", methods=["GET", "POST"])
def edit_source(key: str) -> Any:
    """Edit a source."""
    row = get_session().scalar(select(Source).where(Source.key == key))
    if row is None:
        abort(404)
    return _source_page(row)


# --- milestones ----------------------------------------------------------------------------------


@bp.get("/milestones")
def milestones() -> str:
    """List the milestones."""
    rows = get_session().scalars(select(Milestone).order_by(Milestone.slug)).all()
    items = [
        (
            r.slug,
            r.name,
            f"resolved {r.resolved_on}" if r.resolved_on else "open",
            url_for("admin.edit_milestone", slug=r.slug),
        )
        for r in rows
    ]
    return render_template(
        "admin/reference_list.html", what="milestone", items=items, new_url=url_for("admin.new_milestone")
    )


def _milestone_page(row: Milestone | None) -> Any:
    session = get_session()
    form = MilestoneForm()
    slugs = session.scalars(select(Milestone.slug).order_by(Milestone.slug)).all()
    keys = session.scalars(select(Source.key).order_by(Source.key)).all()
    form.parent.choices = options([("", "— none —"), *((s, s) for s in slugs if row is None or s != row.slug)])
    form.resolution_source.choices = options([("", "— none —"), *((k, k) for k in keys)])
    current = {
        "slug": row.slug if row else None,
        "name": row.name if row else None,
        "definition": row.definition if row else None,
        "parent": row.parent.slug if row and row.parent else None,
        "resolved_on": row.resolved_on.isoformat() if row and row.resolved_on else None,
        "resolution": row.resolution if row else None,
        "resolution_source": row.resolution_source.key if row and row.resolution_source else None,
    }
    if request.method == "GET":
        for name, value in current.items():
            form[name].data = value or ""
    if row is not None:
        form.slug.data = row.slug
    is_admin = current_user.role == "admin"
    if request.method == "POST":
        data = {name: _text(form[name].data) for name in MilestoneRecord.FIELDS}
        if not is_admin:  # only admins record a resolution (it changes every score)
            for name in RESOLUTION_FIELDS:
                data[name] = current[name]
                form[name].data = current[name] or ""
        if _save(form, MilestoneRecord.parse, repo.upsert_milestone, data):
            flash(f"Milestone {data['slug']} saved.")
            return redirect(url_for("admin.milestones"))
        return _milestone_render(form, row, is_admin, 422)
    return _milestone_render(form, row, is_admin, 200)


def _milestone_render(form: MilestoneForm, row: Milestone | None, is_admin: bool, status: int) -> Any:
    if not is_admin:
        for name in RESOLUTION_FIELDS:
            form[name].render_kw = {**(form[name].render_kw or {}), "disabled": True}
    return _page("milestone", form, editing=row.slug if row else None, status=status)


@bp.route("/milestones/new", methods=["GET", "POST"])
def new_milestone() -> Any:
    """Add a milestone."""
    slug = request.form.get("slug", "").strip()
    if slug and get_session().scalar(select(Milestone.id).where(Milestone.slug == slug)) is not None:
        form = MilestoneForm()
        form.parent.choices = []
        form.resolution_source.choices = []
        form.slug.errors = [f"a milestone with slug {slug!r} exists"]
        return _page("milestone", form, editing=None, status=422)
    return _milestone_page(None)


@bp.route("/milestones/<slug>/edit", methods=["GET", "POST"])
def edit_milestone(slug: str) -> Any:
    """Edit a milestone; admins can mark it resolved (date, how, source)."""
    row = get_session().scalar(select(Milestone).where(Milestone.slug == slug))
    if row is None:
        abort(404)
    return _milestone_page(row)
