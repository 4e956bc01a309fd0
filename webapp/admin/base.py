"""The admin blueprint and the extensions it relies on: sign-in, CSRF protection and rate limits.

Every admin view requires a signed-in, active account: a browser is sent to the sign-in page and
a client asking for JSON gets a 401 in the API's error shape. Views that manage accounts also need
the admin role.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Blueprint, Response, redirect, request, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import Forbidden

from webapp.api.errors import error_response

bp = Blueprint("admin", __name__, url_prefix="/admin")
login_manager = LoginManager()
csrf = CSRFProtect()
# Login attempts are counted per client address in the process's memory; behind a reverse proxy,
# wrap the app in werkzeug's ProxyFix so that the address is the client's, not the proxy's.
limiter = Limiter(key_func=get_remote_address, storage_uri="memory://")

#: Endpoints reachable without signing in.
OPEN_ENDPOINTS = frozenset({"admin.login"})

F = TypeVar("F", bound=Callable[..., Any])


def wants_json() -> bool:
    """Whether the client prefers JSON to HTML (an API client, a fetch call)."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def safe_next(target: str | None, default: str) -> str:
    """``target`` if it is a path on this site, else ``default`` (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


@bp.before_request
def require_login() -> Response | None:
    """Send anyone not signed in to the sign-in page (or answer 401 to JSON clients)."""
    if request.endpoint in OPEN_ENDPOINTS or current_user.is_authenticated:
        return None
    if wants_json():
        return error_response(401, "unauthorized", "sign in at /admin/login first")
    target = request.full_path if request.method == "GET" else request.path
    return cast(Response, redirect(url_for("admin.login", next=target.rstrip("?"))))


@bp.after_request
def no_store(response: Response) -> Response:
    # Admin pages show drafts and tokens: never keep them in a shared or back-button cache.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def admin_required(view: F) -> F:
    """Refuse a view to accounts without the admin role (403)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if getattr(current_user, "role", None) != "admin":
            if wants_json():
                return error_response(403, "forbidden", "this page needs an admin account")
            raise Forbidden("This page needs an admin account.")
        return view(*args, **kwargs)

    return cast(F, wrapped)


def user_email() -> str:
    """Who the current request's changes are recorded as made by."""
    return str(current_user.email)
