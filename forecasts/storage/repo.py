"""Repository functions: read and write claims and their references through a session.

Each function takes a ``Session``; the caller (a request, a CLI command) owns the transaction and
commits or rolls back. Every change to a claim writes a :class:`~forecasts.storage.orm.ClaimRevision`
holding a full snapshot, numbered by the claim's version, so no edit is ever lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from forecasts.engine.model import ClaimForecast, Forecast, ForecastKind, QuantilePoint
from forecasts.errors import ConflictError, NotFoundError, ValidationError
from forecasts.storage.orm import MAX_ID, Claim, ClaimRevision, ForecastPoint, Milestone, Source, Speaker
from forecasts.storage.records import ClaimRecord, MilestoneRecord, SourceRecord, SpeakerRecord

T = TypeVar("T", Speaker, Milestone)
R = TypeVar("R", Speaker, Milestone, Source)  # a reference: what a claim names by slug or key


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# --- references ---------------------------------------------------------------------------------


def natural_key(model: type[Any]) -> str:
    """The column that names a reference in URLs, seeds and records: a source's key, else a slug."""
    return "key" if model is Source else "slug"


def get_by_key(session: Session, model: type[R], value: str) -> R:
    """The speaker, milestone or source that ``value`` names: the one lookup, raising the one error."""
    name = natural_key(model)
    row = session.scalar(select(model).where(getattr(model, name) == value))
    if row is None:
        raise NotFoundError(model.__tablename__[:-1], value, field=name)
    return row


def get_by_slug(session: Session, model: type[T], slug: str) -> T:
    """The speaker or milestone with this slug."""
    return get_by_key(session, model, slug)


def by_slug(session: Session, model: type[T], slug: str, *, field: str) -> T:
    """A reference in a record: a slug that names nothing is a bad value of ``field``."""
    try:
        return get_by_key(session, model, slug)
    except NotFoundError:
        raise ValidationError(field, f"no {model.__tablename__[:-1]} with slug {slug!r}") from None


def source_by_key(session: Session, key: str, *, field: str) -> Source:
    """A source named in a record: a key that names nothing is a bad value of ``field``."""
    try:
        return get_by_key(session, Source, key)
    except NotFoundError:
        raise ValidationError(field, f"no source with key {key!r}") from None


def _assign(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def upsert_speaker(session: Session, rec: SpeakerRecord) -> tuple[Speaker, bool]:
    """Insert or update a speaker by slug; return it and whether anything changed."""
    row = session.scalar(select(Speaker).where(Speaker.slug == rec.slug))
    values = {
        "name": rec.name,
        "kind": rec.kind,
        "description": rec.description,
        "affiliation": rec.affiliation,
        "url": rec.url,
    }
    if row is None:
        row = Speaker(slug=rec.slug, **values)
        session.add(row)
        return row, True
    return row, _assign(row, values)


def upsert_source(session: Session, rec: SourceRecord) -> tuple[Source, bool]:
    row = session.scalar(select(Source).where(Source.key == rec.key))
    values = {
        "kind": rec.kind,
        "title": rec.title,
        "publisher": rec.publisher,
        "url": rec.url,
        "published_on": rec.published_on,
        "published_precision": rec.published_precision,
        "notes": rec.notes,
    }
    if row is None:
        row = Source(key=rec.key, **values)
        session.add(row)
        return row, True
    return row, _assign(row, values)


def upsert_milestone(session: Session, rec: MilestoneRecord) -> tuple[Milestone, bool]:
    parent = by_slug(session, Milestone, rec.parent, field="parent") if rec.parent else None
    resolution_source = (
        source_by_key(session, rec.resolution_source, field="resolution_source") if rec.resolution_source else None
    )
    row = session.scalar(select(Milestone).where(Milestone.slug == rec.slug))
    values = {
        "name": rec.name,
        "definition": rec.definition,
        "parent_id": parent.id if parent else None,
        "resolved_on": rec.resolved_on,
        "resolution": rec.resolution,
        "resolution_source_id": resolution_source.id if resolution_source else None,
    }
    if row is None:
        row = Milestone(slug=rec.slug, **values)
        session.add(row)
        session.flush()
        return row, True
    if parent is not None and rec.slug in milestone_family(session, parent.slug, up=True):
        raise ValidationError("parent", f"{rec.parent!r} would make a cycle of parents")
    return row, _assign(row, values)


def milestone_family(session: Session, slug: str, *, up: bool = False) -> list[str]:
    """The slug with all its descendants (or, with ``up``, all its ancestors)."""
    rows = session.execute(select(Milestone.id, Milestone.slug, Milestone.parent_id)).all()
    by_id = {r.id: r for r in rows}
    start = next((r for r in rows if r.slug == slug), None)
    if start is None:
        raise NotFoundError("milestone", slug, field="slug")
    if up:
        out, node = [start.slug], start
        while node.parent_id is not None and node.parent_id in by_id and len(out) <= len(rows):
            node = by_id[node.parent_id]
            out.append(node.slug)
        return out
    children: dict[int | None, list[Any]] = {}
    for r in rows:
        children.setdefault(r.parent_id, []).append(r)
    out, stack = [], [start]
    while stack:
        node = stack.pop()
        out.append(node.slug)
        stack.extend(children.get(node.id, []))
    return out


# --- claims -------------------------------------------------------------------------------------


def claim_forecast(claim: Claim) -> Forecast:
    """The structured forecast stored in a claim row."""
    return Forecast(
        kind=ForecastKind(claim.forecast_kind),
        year_low=claim.year_low,
        year_high=claim.year_high,
        probability=claim.probability,
        points=tuple(QuantilePoint(p.year, p.probability) for p in claim.points),
        confidence=claim.confidence,
    )


def claim_record(claim: Claim) -> ClaimRecord:
    """A claim's current editable values as a record."""
    return ClaimRecord(
        key=claim.key,
        speaker=claim.speaker.slug,
        speaker_role=claim.speaker_role,
        milestone=claim.milestone.slug,
        said_on=claim.said_on,
        said_precision=claim.said_precision,
        quote=claim.quote,
        verbatim=claim.verbatim,
        source=claim.source.key if claim.source else None,
        locator=claim.locator,
        original_source=claim.original_source.key if claim.original_source else None,
        original_locator=claim.original_locator,
        relative_phrase=claim.relative_phrase,
        definition=claim.definition,
        forecast=claim_forecast(claim),
        verification=claim.verification,
        notes=claim.notes,
    )


def source_dict(source: Source | None) -> dict[str, Any] | None:
    if source is None:
        return None
    return {
        "key": source.key,
        "kind": source.kind,
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "published_on": source.published_on.isoformat() if source.published_on else None,
        "published_precision": source.published_precision,
    }


def claim_snapshot(claim: Claim) -> dict[str, Any]:
    """The claim as exported and as kept in each revision: plain JSON values only."""
    speaker = claim.speaker
    return {
        "id": claim.id,
        "key": claim.key,
        "speaker": {"slug": speaker.slug, "name": speaker.name, "kind": speaker.kind},
        "speaker_role": claim.speaker_role,
        "milestone": {"slug": claim.milestone.slug, "name": claim.milestone.name},
        "said_on": claim.said_on.isoformat(),
        "said_precision": claim.said_precision,
        "quote": claim.quote,
        "verbatim": claim.verbatim,
        "locator": claim.locator,
        "source": source_dict(claim.source),
        "original_source": source_dict(claim.original_source),
        "original_locator": claim.original_locator,
        "relative_phrase": claim.relative_phrase,
        "definition": claim.definition,
        "forecast": claim_forecast(claim).to_dict(),
        "verification": claim.verification,
        "notes": claim.notes,
        "entered_by": claim.entered_by,
        "version": claim.version,
        "deleted": claim.deleted_at is not None,
    }


def _resolve(session: Session, rec: ClaimRecord) -> dict[str, Any]:
    speaker = by_slug(session, Speaker, rec.speaker, field="speaker")
    milestone = by_slug(session, Milestone, rec.milestone, field="milestone")
    source = source_by_key(session, rec.source, field="source") if rec.source else None
    original = source_by_key(session, rec.original_source, field="original_source") if rec.original_source else None
    f = rec.forecast
    return {
        "speaker_id": speaker.id,
        "speaker_role": rec.speaker_role,
        "milestone_id": milestone.id,
        "source_id": source.id if source else None,
        "locator": rec.locator,
        "original_source_id": original.id if original else None,
        "original_locator": rec.original_locator,
        "said_on": rec.said_on,
        "said_precision": rec.said_precision,
        "quote": rec.quote,
        "verbatim": rec.verbatim,
        "relative_phrase": rec.relative_phrase,
        "definition": rec.definition,
        "forecast_kind": f.kind.value,
        "year_low": f.year_low,
        "year_high": f.year_high,
        "probability": f.probability,
        "confidence": f.confidence,
        "verification": rec.verification,
        "notes": rec.notes,
    }


def _point_rows(points: Sequence[QuantilePoint]) -> list[ForecastPoint]:
    rows = []
    for seq, p in enumerate(points):
        prev = points[seq - 1] if seq else None
        rows.append(
            ForecastPoint(
                seq=seq,
                year=p.year,
                probability=p.probability,
                prev_seq=seq - 1 if prev else None,
                prev_year=prev.year if prev else None,
                prev_probability=prev.probability if prev else None,
            )
        )
    return rows


def _new_key(session: Session, rec: ClaimRecord) -> str:
    base = f"{rec.speaker}-{rec.said_on.isoformat()}-{rec.milestone}"
    taken = set(session.scalars(select(Claim.key).where(Claim.key.like(f"{base}%"))))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _write_revision(session: Session, claim: Claim, action: str, by: str | None, reason: str | None) -> None:
    session.flush()
    session.refresh(claim)
    session.add(
        ClaimRevision(
            claim_id=claim.id,
            revision=claim.version,
            action=action,
            snapshot=claim_snapshot(claim),
            changed_by=by,
            reason=reason,
        )
    )
    session.flush()


def get_claim(session: Session, claim_id: int, *, include_deleted: bool = False) -> Claim:
    if not 1 <= claim_id <= MAX_ID:
        raise NotFoundError("claim", claim_id)
    claim = session.get(Claim, claim_id)
    if claim is None or (claim.deleted_at is not None and not include_deleted):
        raise NotFoundError("claim", claim_id)
    return claim


def create_claim(session: Session, rec: ClaimRecord, *, by: str | None, reason: str | None = None) -> Claim:
    """Insert a claim and its first revision."""
    values = _resolve(session, rec)
    key = rec.key or _new_key(session, rec)
    if session.scalar(select(Claim.id).where(Claim.key == key)) is not None:
        raise ValidationError("key", f"a claim with key {key!r} already exists")
    claim = Claim(key=key, entered_by=by, **values)
    claim.points = _point_rows(rec.forecast.points)
    session.add(claim)
    _write_revision(session, claim, "create", by, reason)
    return claim


def update_claim(
    session: Session,
    claim: Claim,
    rec: ClaimRecord,
    *,
    by: str | None,
    expected_version: int | None = None,
    reason: str | None = None,
    action: str = "update",
) -> bool:
    """Apply ``rec`` to ``claim``; return whether anything changed.

    ``expected_version`` is the version the editor started from: a claim saved by someone else
    since then raises :class:`ConflictError` instead of being overwritten.
    """
    if expected_version is not None and expected_version != claim.version:
        raise ConflictError(expected_version, claim.version)
    if rec.key and rec.key != claim.key:
        raise ValidationError("key", f"a claim's key cannot change ({claim.key!r} -> {rec.key!r})")
    values = _resolve(session, rec)
    old_points = tuple(QuantilePoint(p.year, p.probability) for p in claim.points)
    points_changed = old_points != rec.forecast.points
    changed = _assign(claim, values) or points_changed
    if not changed and action == "update":
        return False
    if points_changed:
        session.execute(delete(ForecastPoint).where(ForecastPoint.claim_id == claim.id))
        session.expire(claim, ["points"])
        for row in _point_rows(rec.forecast.points):
            row.claim_id = claim.id
            session.add(row)
    claim.updated_at = utcnow()
    try:
        _write_revision(session, claim, action, by, reason)
    except StaleDataError:
        # Someone else's save landed between our read and this write.
        raise ConflictError(expected_version or claim.version, None) from None
    return True


def delete_claim(session: Session, claim: Claim, *, by: str | None, reason: str | None = None) -> None:
    """Move a claim to the trash (a soft delete that :func:`restore_claim` undoes)."""
    if claim.deleted_at is not None:
        raise ValidationError("id", f"claim {claim.id} is already in the trash")
    claim.deleted_at = utcnow()
    _write_revision(session, claim, "delete", by, reason)


def restore_claim(session: Session, claim: Claim, *, by: str | None, reason: str | None = None) -> None:
    """Bring a claim back from the trash."""
    if claim.deleted_at is None:
        raise ValidationError("id", f"claim {claim.id} is not in the trash")
    claim.deleted_at = None
    _write_revision(session, claim, "restore", by, reason)


def revert_claim(session: Session, claim: Claim, revision: int, *, by: str | None) -> None:
    """Make an old revision's content current again, as a new revision."""
    old = session.scalar(
        select(ClaimRevision).where(ClaimRevision.claim_id == claim.id, ClaimRevision.revision == revision)
    )
    if old is None:
        raise NotFoundError("revision", revision)
    rec = record_from_snapshot(old.snapshot)
    update_claim(session, claim, rec, by=by, reason=f"restored revision {revision}", action="restore")


def _ref(snapshot: dict[str, Any], name: str, key: str) -> Any:
    """A reference given as a plain slug/key or as an object holding one."""
    value = snapshot.get(name)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict):
        return value.get(key)
    raise ValidationError(name, f"must be a {key} or an object with a {key!r}")


def record_from_snapshot(snapshot: dict[str, Any]) -> ClaimRecord:
    """Rebuild a claim record from a snapshot or an exported claim (references as objects or slugs)."""
    data = {
        "key": snapshot.get("key"),
        "speaker": _ref(snapshot, "speaker", "slug"),
        "speaker_role": snapshot.get("speaker_role"),
        "milestone": _ref(snapshot, "milestone", "slug"),
        "said_on": snapshot.get("said_on"),
        "said_precision": snapshot.get("said_precision"),
        "quote": snapshot.get("quote"),
        "verbatim": snapshot.get("verbatim"),
        "source": _ref(snapshot, "source", "key"),
        "locator": snapshot.get("locator"),
        "original_source": _ref(snapshot, "original_source", "key"),
        "original_locator": snapshot.get("original_locator"),
        "relative_phrase": snapshot.get("relative_phrase"),
        "definition": snapshot.get("definition"),
        "forecast": snapshot.get("forecast"),
        "verification": snapshot.get("verification"),
        "notes": snapshot.get("notes"),
    }
    return ClaimRecord.parse(data)


def upsert_claim(session: Session, rec: ClaimRecord, *, by: str | None) -> tuple[Claim, str]:
    """Insert or update a claim by key; return it and "created", "updated" or "unchanged"."""
    if rec.key is None:
        return create_claim(session, rec, by=by), "created"
    claim = session.scalar(select(Claim).where(Claim.key == rec.key))
    if claim is None:
        return create_claim(session, rec, by=by), "created"
    restored = claim.deleted_at is not None
    if restored:
        claim.deleted_at = None
    changed = update_claim(session, claim, rec, by=by, action="restore" if restored else "update")
    return claim, "updated" if changed or restored else "unchanged"


def _live_claims(
    query: Select[Any], milestones: Sequence[str] | None, speakers: Sequence[str] | None, sources: str | None
) -> Select[Any]:
    """``query`` over the live claims, limited to milestones, speakers and a source when given."""
    query = query.where(Claim.deleted_at.is_(None))
    if milestones is not None:
        query = query.join(Milestone, Claim.milestone_id == Milestone.id).where(Milestone.slug.in_(milestones))
    if speakers is not None:
        query = query.join(Speaker, Claim.speaker_id == Speaker.id).where(Speaker.slug.in_(speakers))
    if sources is not None:
        query = query.join(Source, Claim.source_id == Source.id).where(Source.key == sources)
    return query


def verification_counts(
    session: Session,
    milestones: Sequence[str] | None = None,
    *,
    speakers: Sequence[str] | None = None,
    sources: str | None = None,
    excluding: Sequence[str] = (),
) -> dict[str, int]:
    """How many live claims have each verification status (other than ``excluding``), with the same
    limits as :func:`claim_forecasts`."""
    query = select(Claim.verification, func.count()).where(Claim.verification.not_in(excluding))
    query = _live_claims(query, milestones, speakers, sources).group_by(Claim.verification)
    return {status: int(n) for status, n in session.execute(query).tuples()}


def claim_forecasts(
    session: Session,
    milestones: Sequence[str] | None = None,
    *,
    as_of: dt.date | None = None,
    speakers: Sequence[str] | None = None,
    sources: str | None = None,
    verification: Sequence[str] | None = None,
) -> list[ClaimForecast]:
    """The live claims the engine pools, optionally limited to milestones, speakers, a source, a date and
    verification statuses."""
    query = _live_claims(
        select(Claim)
        .options(selectinload(Claim.points), selectinload(Claim.speaker), selectinload(Claim.milestone))
        .order_by(Claim.said_on, Claim.id),
        milestones,
        speakers,
        sources,
    )
    if as_of is not None:
        query = query.where(Claim.said_on <= as_of)
    if verification is not None:
        query = query.where(Claim.verification.in_(verification))
    return [
        ClaimForecast(
            claim_id=c.id,
            speaker=c.speaker.slug,
            milestone=c.milestone.slug,
            said_on=c.said_on,
            forecast=claim_forecast(c),
        )
        for c in session.scalars(query)
    ]
