"""The claim entry form: create, preview, edit (with optimistic concurrency) and delete."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from forecasts.errors import ConflictError, NotFoundError, ValidationError
from forecasts.services import service
from forecasts.services.preview import UNSAVED, preview_claim
from forecasts.storage import repo
from forecasts.storage.orm import Claim, Milestone, Source, Speaker, parse_id
from forecasts.storage.records import ClaimRecord
from webapp.admin.base import bp, user_email
from webapp.admin.charts import cdf_chart
from webapp.admin.drafts import FormErrors, fill_claim_form, forecast_inputs, read_claim_form, save_draft
from webapp.admin.forms import ClaimForm, kinds_showing, options
from webapp.db import get_session

PAGE_SIZE = 100


def claim_page(claim_id: int) -> str:
    """The public page of a claim."""
    return f"{request.script_root}/claims/{claim_id}"


def get_live_claim(claim_id: int, *, include_deleted: bool = False) -> Claim:
    try:
        return repo.get_claim(get_session(), claim_id, include_deleted=include_deleted)
    except NotFoundError:
        abort(404)


@bp.get("/")
def index() -> str:
    """List the live claims, newest first, with a text filter."""
    q = (request.args.get("q") or "").strip()
    page = min(max(1, request.args.get("page", 1, type=int) or 1), 1_000_000)
    query = select(Claim).where(Claim.deleted_at.is_(None))
    if q:
        like = f"%{q}%"
        query = query.join(Speaker, Claim.speaker_id == Speaker.id).where(
            or_(Claim.quote.ilike(like), Speaker.name.ilike(like), Claim.key.ilike(like))
        )
    session = get_session()
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    claims = session.scalars(
        query.options(selectinload(Claim.speaker), selectinload(Claim.milestone))
        .order_by(Claim.updated_at.desc(), Claim.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    pages = max(1, -(-total // PAGE_SIZE))
    return render_template("admin/index.html", claims=claims, q=q, total=total, page=page, pages=pages)


def _choices(form: ClaimForm) -> None:
    session = get_session()
    speakers = session.execute(select(Speaker.slug, Speaker.name).order_by(Speaker.name)).all()
    milestones = session.execute(select(Milestone.slug, Milestone.name).order_by(Milestone.name)).all()
    sources = session.execute(select(Source.key, Source.title).order_by(Source.key)).all()
    form.speaker.choices = options([("", "— choose —"), *((s.slug, f"{s.name} ({s.slug})") for s in speakers)])
    form.milestone.choices = options([("", "— choose —"), *((m.slug, f"{m.name} ({m.slug})") for m in milestones)])
    form.source.choices = options([("", "— none —"), *((s.key, f"{s.title} ({s.key})") for s in sources)])


def _attach(form: ClaimForm, errors: dict[str, list[str]]) -> None:
    for name, messages in errors.items():
        field = form._fields.get(name)
        if field is None:
            form.form_errors.append(f"{name}: {', '.join(messages)}")
        else:
            field.errors = [*field.errors, *messages]


def _render(
    form: ClaimForm, *, claim: Claim | None = None, preview: Any = None, conflict: Any = None, status: int = 200
) -> tuple[str, int]:
    chart = cdf_chart(preview.reading["cdf"]) if preview is not None else None
    return render_template(
        "admin/claim_form.html",
        form=form,
        claim=claim,
        preview=preview,
        chart=chart,
        conflict=conflict,
        kinds_showing=kinds_showing,
    ), status


def _saved(claim: Claim, message: str) -> Response:
    get_session().commit()
    service.results.clear()
    flash(message)
    return redirect(claim_page(claim.id))  # type: ignore[return-value]


@bp.route("/claims/new", methods=["GET", "POST"])
def new_claim() -> Any:
    """Enter a claim: fill the form, preview the engine's reading, save."""
    form = ClaimForm()
    _choices(form)
    if request.method == "GET":
        return _render(form)
    session = get_session()
    try:
        draft = read_claim_form(session, form)
    except FormErrors as exc:
        _attach(form, exc.errors)
        return _render(form, status=422)
    if request.form.get("action") == "preview":
        return _render(form, preview=preview_claim(session, draft.claim_forecast(UNSAVED)))
    try:
        claim, _ = save_draft(session, draft, by=user_email(), reason=form.reason.data or None)
    except ValidationError as exc:
        session.rollback()
        _attach(form, {exc.field: [exc.message]})
        return _render(form, status=422)
    return _saved(claim, "Claim saved.")


def _conflict_rows(mine: ClaimRecord, theirs: ClaimRecord) -> list[tuple[str, str, str, bool]]:
    """(field, my value, their value, whether they differ) for the side-by-side view of a conflict."""
    a, b = mine.as_dict(), theirs.as_dict()
    rows = []
    for name in ClaimRecord.FIELDS - {"key", "original_source", "original_locator"}:
        if name == "forecast":
            left = ", ".join(f"{k}={v}" for k, v in forecast_inputs(mine.forecast).items() if v)
            right = ", ".join(f"{k}={v}" for k, v in forecast_inputs(theirs.forecast).items() if v)
        else:
            left = "" if a[name] is None else str(a[name])
            right = "" if b[name] is None else str(b[name])
        rows.append((name, left, right, left != right))
    return sorted(rows, key=lambda r: (not r[3], r[0]))


@bp.route("/claims/<int:claim_id>/edit", methods=["GET", "POST"])
def edit_claim(claim_id: int) -> Any:
    """Edit a claim; a save based on a stale version shows both versions instead of overwriting."""
    claim = get_live_claim(claim_id)
    form = ClaimForm()
    _choices(form)
    if request.method == "GET":
        fill_claim_form(form, claim)
        return _render(form, claim=claim)
    session = get_session()
    expected = parse_id(form.version.data)
    if expected is None:
        form.form_errors.append("The form lost the claim's version; reload the page.")
        return _render(form, claim=claim, status=400)
    try:
        draft = read_claim_form(session, form, key=claim.key)
    except FormErrors as exc:
        _attach(form, exc.errors)
        return _render(form, claim=claim, status=422)
    if request.form.get("action") == "preview":
        return _render(form, claim=claim, preview=preview_claim(session, draft.claim_forecast(claim.id)))
    try:
        if expected != claim.version:
            raise ConflictError(expected, claim.version)
        claim, changed = save_draft(
            session, draft, by=user_email(), claim=claim, expected_version=expected, reason=form.reason.data or None
        )
    except ConflictError:
        session.rollback()
        claim = get_live_claim(claim_id, include_deleted=True)
        theirs = repo.claim_record(claim)
        form.version.data = str(claim.version)  # saving again now overwrites, knowingly
        conflict = {
            "expected": expected,
            "current": claim.version,
            "rows": _conflict_rows(draft.claim, theirs),
            "by": claim.revisions[-1].changed_by if claim.revisions else None,
        }
        return _render(form, claim=claim, conflict=conflict, status=409)
    except ValidationError as exc:
        session.rollback()
        _attach(form, {exc.field: [exc.message]})
        return _render(form, claim=claim, status=422)
    return _saved(claim, "Claim saved." if changed else "Nothing changed.")


@bp.post("/claims/<int:claim_id>/delete")
def delete_claim(claim_id: int) -> Response:
    """Move a claim to the trash."""
    claim = get_live_claim(claim_id)
    session = get_session()
    repo.delete_claim(session, claim, by=user_email(), reason=request.form.get("reason") or None)
    session.commit()
    service.results.clear()
    flash(f"Claim {claim.id} moved to the trash.")
    return redirect(url_for("admin.trash"))  # type: ignore[return-value]
