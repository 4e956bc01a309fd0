"""Create and edit speakers, sources and milestones; admins also record how a milestone resolved."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session

from forecasts.errors import NotFoundError, ValidationError
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


@dataclass(frozen=True)
class _Reference:
    """What differs between the speaker, source and milestone editors; the pages are the same."""

    what: str  # "speaker"
    model: Any  # the ORM class
    form: type[FlaskForm]
    record: Any  # the record class: FIELDS and parse
    upsert: Callable[[Session, Any], Any]
    listing: str  # endpoint of the list page

    @property
    def key(self) -> str:
        """The natural key's name: "slug" or "key"."""
        return repo.natural_key(self.model)

    def find(self, value: str) -> Any:
        try:
            return repo.get_by_key(get_session(), self.model, value)
        except NotFoundError:
            return None


def _list(ref: _Reference, order: Any, row_items: Callable[[Any], tuple[str, str, str]]) -> str:
    rows = get_session().scalars(select(ref.model).order_by(order)).all()
    items = [(*row_items(r), url_for(f"admin.edit_{ref.what}", **{ref.key: getattr(r, ref.key)})) for r in rows]
    return render_template(
        "admin/reference_list.html", what=ref.what, items=items, new_url=url_for(f"admin.new_{ref.what}")
    )


def _taken(ref: _Reference, form: FlaskForm) -> tuple[str, int] | None:
    """On a new record's POST, refuse a key that is taken, naming it next to its field."""
    value = request.form.get(ref.key, "").strip()
    if not value or ref.find(value) is None:
        return None
    form[ref.key].errors = [f"a {ref.what} with {ref.key} {value!r} exists"]
    return _page(ref.what, form, editing=None, status=422)


def _simple_page(ref: _Reference, row: Any, prepare: Callable[[FlaskForm, Any], None] | None = None) -> Any:
    """The editor of a record whose form fields are its record's fields."""
    form = ref.form(obj=row) if request.method == "GET" else ref.form()
    editing = getattr(row, ref.key) if row is not None else None
    if row is not None:
        form[ref.key].data = editing  # the key names the record in URLs and seeds: it does not change here
        if prepare is not None and request.method == "GET":
            prepare(form, row)
    if request.method == "POST":
        data = {name: _text(form[name].data) for name in ref.record.FIELDS}
        if _save(form, ref.record.parse, ref.upsert, data):
            flash(f"{ref.what.capitalize()} {data[ref.key]} saved.")
            return redirect(url_for(ref.listing))
        return _page(ref.what, form, editing=editing, status=422)
    return _page(ref.what, form, editing=editing)


def _found(ref: _Reference, value: str) -> Any:
    row = ref.find(value)
    if row is None:
        abort(404)
    return row


SPEAKERS = _Reference("speaker", Speaker, SpeakerForm, SpeakerRecord, repo.upsert_speaker, "admin.speakers")
SOURCES = _Reference("source", Source, SourceForm, SourceRecord, repo.upsert_source, "admin.sources")
MILESTONES = _Reference(
    "milestone", Milestone, MilestoneForm, MilestoneRecord, repo.upsert_milestone, "admin.milestones"
)


# --- speakers ------------------------------------------------------------------------------------


@bp.get("/speakers")
def speakers() -> str:
    """List the speakers."""
    return _list(SPEAKERS, Speaker.name, lambda r: (r.slug, r.name, r.kind))


@bp.route("/speakers/new", methods=["GET", "POST"])
def new_speaker() -> Any:
    """Add a speaker."""
    return _taken(SPEAKERS, SpeakerForm()) or _simple_page(SPEAKERS, None)


@bp.route("/speakers/<slug>/edit", methods=["GET", "POST"])
def edit_speaker(slug: str) -> Any:
    """Edit a speaker."""
    return _simple_page(SPEAKERS, _found(SPEAKERS, slug))


# --- sources -------------------------------------------------------------------------------------


def _source_dates(form: FlaskForm, row: Source) -> None:
    if row.published_on:
        form.published_on.data = row.published_on.isoformat()


@bp.get("/sources")
def sources() -> str:
    """List the sources."""
    return _list(SOURCES, Source.key, lambda r: (r.key, r.title, r.kind))


@bp.route("/sources/new", methods=["GET", "POST"])
def new_source() -> Any:
    """Add a source."""
    return _taken(SOURCES, SourceForm()) or _simple_page(SOURCES, None)


@bp.route("/sources/<key>/edit", methods=["GET", "POST"])
def edit_source(key: str) -> Any:
    """Edit a source."""
    return _simple_page(SOURCES, _found(SOURCES, key), _source_dates)


# --- milestones ----------------------------------------------------------------------------------


@bp.get("/milestones")
def milestones() -> str:
    """List the milestones."""
    return _list(
        MILESTONES, Milestone.slug, lambda r: (r.slug, r.name, f"resolved {r.resolved_on}" if r.resolved_on else "open")
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
    form = MilestoneForm()
    form.parent.choices = []
    form.resolution_source.choices = []
    return _taken(MILESTONES, form) or _milestone_page(None)


@bp.route("/milestones/<slug>/edit", methods=["GET", "POST"])
def edit_milestone(slug: str) -> Any:
    """Edit a milestone; admins can mark it resolved (date, how, source)."""
    return _milestone_page(_found(MILESTONES, slug))
