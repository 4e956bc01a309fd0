"""Signing in and out."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import UserMixin, login_user, logout_user
from sqlalchemy import select

from forecasts.storage.accounts import check_password
from forecasts.storage.orm import User, parse_id
from webapp.admin.base import bp, limiter, login_manager, safe_next
from webapp.admin.forms import LoginForm
from webapp.db import get_session

LOGIN_LIMIT = "10 per minute"


@dataclass(frozen=True)
class AdminUser(UserMixin):  # type: ignore[misc]
    """The signed-in account, detached from the database session."""

    id: int
    email: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@login_manager.user_loader  # type: ignore[untyped-decorator]
def load_user(user_id: str) -> AdminUser | None:
    uid = parse_id(user_id)
    if uid is None:
        return None
    user = get_session().get(User, uid)
    if user is None or not user.active:  # a deactivated account is signed out at its next request
        return None
    return AdminUser(user.id, user.email, user.role)


def _login_limit() -> str:
    from flask import current_app

    return str(current_app.config.get("ADMIN_LOGIN_LIMIT", LOGIN_LIMIT))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> str | Response:
    """Sign in with an email and password."""
    form = LoginForm()
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        user = get_session().scalar(select(User).where(User.email == email))
        if user is not None and user.active and check_password(user, form.password.data or ""):
            login_user(AdminUser(user.id, user.email, user.role))
            return redirect(safe_next(request.args.get("next"), url_for("admin.index")))  # type: ignore[return-value]
        form.password.errors.append("The email or password is wrong, or the account is deactivated.")
    return render_template("admin/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    """Sign out."""
    logout_user()
    flash("Signed out.")
    return redirect(url_for("admin.login"))  # type: ignore[return-value]
