"""Editors' accounts and API tokens. Passwords are hashed with Argon2id; tokens are stored only as
SHA-256 digests (a token is a long random secret, so a fast hash is enough and allows lookup)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from forecasts.errors import NotFoundError, ValidationError
from forecasts.storage.orm import ROLES, ApiToken, User

TOKEN_PREFIX = "fct_"
MIN_PASSWORD_LENGTH = 10
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_user(session: Session, email: str, password: str, *, role: str = "editor") -> User:
    """Add an account; the email is its login and must be new."""
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise ValidationError("email", f"{email!r} is not an email address")
    if role not in ROLES:
        raise ValidationError("role", f"{role!r} is not one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError("password", f"must have at least {MIN_PASSWORD_LENGTH} characters")
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise ValidationError("email", f"an account for {email} already exists")
    user = User(email=email, password_hash=hash_password(password), role=role)
    session.add(user)
    session.flush()
    return user


def user_by_email(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFoundError("user", email)
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class NewToken:
    token: str  # shown once, never stored
    record: ApiToken


def create_token(session: Session, user: User, name: str) -> NewToken:
    """Make a bearer token for ``user``; the plain token is returned once and only its digest kept."""
    name = name.strip()
    if not name:
        raise ValidationError("name", "a token needs a name saying what it is for")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(user_id=user.id, name=name, prefix=token[:12], token_hash=_digest(token))
    session.add(record)
    session.flush()
    return NewToken(token, record)


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a live token belongs to, or None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    record = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == _digest(token), ApiToken.revoked_at.is_(None))
    )
    if record is None or not record.user.active:
        return None
    record.last_used_at = dt.datetime.now(dt.UTC)
    return record.user


def revoke_token(session: Session, prefix: str) -> ApiToken:
    record = session.scalar(select(ApiToken).where(ApiToken.prefix == prefix, ApiToken.revoked_at.is_(None)))
    if record is None:
        raise NotFoundError("token", prefix)
    record.revoked_at = dt.datetime.now(dt.UTC)
    return record
