"""Admins manage accounts and API tokens; a new token is shown once."""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forecasts.errors import NotFoundError, ValidationError
from forecasts.storage import accounts
from forecasts.storage.orm import ApiToken, User, parse_id
from webapp.admin.base import admin_required, bp
from webapp.admin.forms import TokenForm, UserForm, options
from webapp.db import get_session


def _users() -> list[User]:
    return list(get_session().scalars(select(User).order_by(User.email)))


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users() -> Any:
    """List the accounts and create one."""
    form = UserForm()
    status = 200
    if form.validate_on_submit():
        session = get_session()
        try:
            user = accounts.create_user(
                session, form.email.data or "", form.password.data or "", role=form.role.data or "editor"
            )
        except ValidationError as exc:
            session.rollback()
            field = form._fields.get(exc.field)
            if field is not None:
                field.errors = [*field.errors, exc.message]
            status = 422
        else:
            session.commit()
            flash(f"Created {user.role} {user.email}.")
            return redirect(url_for("admin.users"))
    elif form.is_submitted():
        status = 422
    return render_template("admin/users.html", form=form, users=_users()), status


@bp.post("/users/<int:user_id>/active")
@admin_required
def set_active(user_id: int) -> Response:
    """Deactivate or reactivate an account (a deactivated one cannot sign in or use its tokens)."""
    session = get_session()
    user = session.get(User, user_id)
    if user is None:
        flash(f"No account {user_id}.")
        return redirect(url_for("admin.users"))  # type: ignore[return-value]
    active = request.form.get("active") == "1"
    if not active and user.id == current_user.id:
        flash("You cannot deactivate your own account.")
        return redirect(url_for("admin.users"))  # type: ignore[return-value]
    user.active = active
    session.commit()
    flash(f"{user.email} {'reactivated' if active else 'deactivated'}.")
    return redirect(url_for("admin.users"))  # type: ignore[return-value]


def _tokens() -> list[ApiToken]:
    return list(
        get_session().scalars(select(ApiToken).options(selectinload(ApiToken.user)).order_by(ApiToken.created_at))
    )


@bp.route("/tokens", methods=["GET", "POST"])
@admin_required
def tokens() -> Any:
    """List the API tokens and create one; the new token is shown on this page once."""
    form = TokenForm()
    form.user.choices = options([(str(u.id), u.email) for u in _users() if u.active])
    new_token = None
    status = 200
    if form.validate_on_submit():
        session = get_session()
        uid = parse_id(form.user.data)
        user = session.get(User, uid) if uid is not None else None
        if user is None or not user.active:
            form.user.errors = [*form.user.errors, "choose an active account"]
            status = 422
        else:
            try:
                new_token = accounts.create_token(session, user, form.name.data or "")
            except ValidationError as exc:
                session.rollback()
                form.name.errors = [*form.name.errors, exc.message]
                status = 422
            else:
                session.commit()
    elif form.is_submitted():
        status = 422
    return render_template("admin/tokens.html", form=form, tokens=_tokens(), new_token=new_token), status


@bp.post("/tokens/<prefix>/revoke")
@admin_required
def revoke(prefix: str) -> Response:
    """Revoke a live token."""
    session = get_session()
    try:
        accounts.revoke_token(session, prefix)
    except NotFoundError:
        flash(f"No live token {prefix}.")
    else:
        session.commit()
        flash(f"Token {prefix}… revoked.")
    return redirect(url_for("admin.tokens"))  # type: ignore[return-value]
