"""Read-side queries shared by the API and the pages: filtered, keyset-paginated claim lists and
summaries of speakers and milestones. Pagination happens in SQL; nothing loads every row."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from forecasts.errors import ValidationError
from forecasts.storage.orm import MAX_ID, Claim, Milestone, Speaker
from forecasts.storage.repo import milestone_family

SORTS = ("said_on", "-said_on", "id", "-id")


@dataclass(frozen=True, slots=True)
class ClaimFilter:
    speaker: str | None = None
    milestone: str | None = None
    include_children: bool = False
    kind: str | None = None
    said_from: dt.date | None = None
    said_to: dt.date | None = None
    verified: str | None = None
    q: str | None = None
    include_deleted: bool = False


@dataclass(frozen=True, slots=True)
class ClaimPage:
    claims: list[Claim]
    total: int
    next_cursor: str | None


#: What a claim row shows besides its own columns, loaded with it rather than one query per row.
CLAIM_ROW_LOADS: Final = (
    selectinload(Claim.speaker),
    selectinload(Claim.milestone),
    selectinload(Claim.source),
    selectinload(Claim.original_source),
    selectinload(Claim.points),
)


def claims_by_id(session: Session, ids: Sequence[int]) -> dict[int, Claim]:
    """The claims with these ids (deleted ones included), with what their rows show."""
    if not ids:
        return {}
    return {c.id: c for c in session.scalars(select(Claim).where(Claim.id.in_(ids)).options(*CLAIM_ROW_LOADS))}


def _filtered(session: Session, f: ClaimFilter) -> Select[tuple[Claim]]:
    query = select(Claim)
    if not f.include_deleted:
        query = query.where(Claim.deleted_at.is_(None))
    if f.speaker:
        speaker_id = session.scalar(select(Speaker.id).where(Speaker.slug == f.speaker))
        query = query.where(Claim.speaker_id == (speaker_id if speaker_id is not None else -1))
    if f.milestone:
        slugs = milestone_family(session, f.milestone) if f.include_children else [f.milestone]
        ids = session.scalars(select(Milestone.id).where(Milestone.slug.in_(slugs))).all()
        query = query.where(Claim.milestone_id.in_(ids or [-1]))
    if f.kind:
        query = query.where(Claim.forecast_kind == f.kind)
    if f.said_from:
        query = query.where(Claim.said_on >= f.said_from)
    if f.said_to:
        query = query.where(Claim.said_on <= f.said_to)
    if f.verified:
        query = query.where(Claim.verification == f.verified)
    if f.q:
        # Case-insensitive substring search that behaves the same on SQLite and PostgreSQL.
        pattern = "%" + f.q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(func.lower(Claim.quote).like(pattern, escape="\\"))
    return query


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *, field: str = "cursor") -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, json.JSONDecodeError):
        raise ValidationError(field, "is not a cursor this API gave out") from None
    if not isinstance(values, list) or len(values) != 3:
        raise ValidationError(field, "is not a cursor this API gave out")
    return values


def list_claims(
    session: Session, f: ClaimFilter, *, sort: str = "-said_on", limit: int = 50, cursor: str | None = None
) -> ClaimPage:
    """One page of claims in a stable order, with the total count and a cursor to the next page."""
    if sort not in SORTS:
        raise ValidationError("sort", f"{sort!r} is not one of {', '.join(SORTS)}")
    if not 1 <= limit <= 500:
        raise ValidationError("limit", f"{limit} is not between 1 and 500")
    base = _filtered(session, f)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    descending = sort.startswith("-")
    column = Claim.said_on if sort.lstrip("-") == "said_on" else Claim.id
    order = [column.desc(), Claim.id.desc()] if descending else [column.asc(), Claim.id.asc()]
    query = base.order_by(*order)
    if cursor:
        cursor_sort, last_value, last_id = decode_cursor(cursor)
        if cursor_sort != sort:
            raise ValidationError("cursor", f"was made for sort={cursor_sort!r}, not sort={sort!r}")
        # A cursor comes back from the client: trust nothing in it but the types it was made with.
        if not _is_id(last_id) or (column is Claim.id and not _is_id(last_value)):
            raise ValidationError("cursor", "is not a cursor this API gave out")
        if column is Claim.said_on:
            try:
                last_value = dt.date.fromisoformat(last_value)
            except (TypeError, ValueError):
                raise ValidationError("cursor", "is not a cursor this API gave out") from None
        after = (
            or_(column < last_value, and_(column == last_value, Claim.id < last_id))
            if descending
            else or_(column > last_value, and_(column == last_value, Claim.id > last_id))
        )
        query = query.where(after)
    query = query.options(*CLAIM_ROW_LOADS).limit(limit + 1)
    rows = list(session.scalars(query))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        value = last.said_on.isoformat() if column is Claim.said_on else last.id
        next_cursor = encode_cursor([sort, value, last.id])
    return ClaimPage(rows, int(total), next_cursor)


def speaker_counts(session: Session, slug: str) -> list[tuple[str, str, int]]:
    """(milestone slug, milestone name, number of live claims) for one speaker."""
    rows = session.execute(
        select(Milestone.slug, Milestone.name, func.count(Claim.id))
        .join(Claim, Claim.milestone_id == Milestone.id)
        .join(Speaker, Claim.speaker_id == Speaker.id)
        .where(Speaker.slug == slug, Claim.deleted_at.is_(None))
        .group_by(Milestone.slug, Milestone.name)
        .order_by(Milestone.slug)
    ).all()
    return [(r[0], r[1], int(r[2])) for r in rows]


def speakers_with_counts(
    session: Session, *, limit: int = 100, offset: int = 0, include_respondents: bool = False
) -> tuple[list[tuple[Speaker, int, dt.date | None]], int]:
    """Speakers with their live claim count and latest claim date, most claims first."""
    live = Claim.deleted_at.is_(None)
    counts = (
        select(Claim.speaker_id, func.count(Claim.id).label("n"), func.max(Claim.said_on).label("latest"))
        .where(live)
        .group_by(Claim.speaker_id)
        .subquery()
    )
    query = select(Speaker, func.coalesce(counts.c.n, 0), counts.c.latest).outerjoin(
        counts, counts.c.speaker_id == Speaker.id
    )
    if not include_respondents:
        query = query.where(Speaker.kind != "respondent")
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.order_by(func.coalesce(counts.c.n, 0).desc(), Speaker.name).limit(limit).offset(offset)
    ).all()
    return [(r[0], int(r[1]), r[2]) for r in rows], int(total)


def milestones_with_counts(session: Session) -> list[tuple[Milestone, int, int]]:
    """Every milestone with its live claim count and distinct speaker count."""
    live = Claim.deleted_at.is_(None)
    counts = (
        select(
            Claim.milestone_id,
            func.count(Claim.id).label("n"),
            func.count(func.distinct(Claim.speaker_id)).label("speakers"),
        )
        .where(live)
        .group_by(Claim.milestone_id)
        .subquery()
    )
    rows = session.execute(
        select(Milestone, func.coalesce(counts.c.n, 0), func.coalesce(counts.c.speakers, 0))
        .outerjoin(counts, counts.c.milestone_id == Milestone.id)
        .options(selectinload(Milestone.parent), selectinload(Milestone.resolution_source))
        .order_by(Milestone.id)
    ).all()
    return [(r[0], int(r[1]), int(r[2])) for r in rows]


def speaker_names(session: Session) -> list[tuple[str, str]]:
    """Every speaker as (slug, name): what the reader matches the names in words against."""
    return [(r.slug, r.name) for r in session.execute(select(Speaker.slug, Speaker.name).order_by(Speaker.slug))]


def milestone_names(session: Session) -> list[tuple[str, str]]:
    """Every milestone as (slug, name): what the reader finds the database's own milestones by."""
    return [(r.slug, r.name) for r in session.execute(select(Milestone.slug, Milestone.name).order_by(Milestone.slug))]
