"""The tables: speakers, sources, milestones, claims (with their forecast), revisions, users, tokens.

A claim's forecast is stored in plain columns (``forecast_kind``, ``year_low``, ``year_high``,
``probability``) plus one row per (year, probability) pair in ``forecast_points``, so that the
database itself refuses an impossible forecast and so that it can be queried ("every window that
ends before 2030"). Check constraints mirror :func:`forecasts.engine.model.validate_forecast`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from forecasts.engine.model import MAX_YEAR, MIN_YEAR, DatePrecision, ForecastKind
from forecasts.storage.records import SOURCE_KINDS, SPEAKER_KINDS, VERIFICATION_STATUSES

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

REVISION_ACTIONS = ("create", "update", "delete", "restore")
ROLES = ("admin", "editor")

#: Ids are 32-bit integers in both databases; a larger number names nothing.
MAX_ID = 2**31 - 1


def parse_id(text: str | None) -> int | None:
    """A database id or version written as text, or None: only ASCII digits ("²" is a digit to
    ``str.isdigit`` but not to ``int``) and nothing past 32 bits."""
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
        return None
    return int(text)


IntPK = Annotated[int, mapped_column(Integer, primary_key=True)]
Slug = Annotated[str, mapped_column(String(120), unique=True, index=True)]
Timestamp = Annotated[dt.datetime, mapped_column(DateTime(timezone=True), server_default=func.now())]


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


KINDS = tuple(k.value for k in ForecastKind)
PRECISIONS = tuple(p.value for p in DatePrecision)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON}


class Speaker(Base):
    __tablename__ = "speakers"
    __table_args__ = (CheckConstraint(_in("kind", SPEAKER_KINDS), name="kind"),)

    id: Mapped[IntPK]
    slug: Mapped[Slug]
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="person")
    description: Mapped[str | None] = mapped_column(Text)
    affiliation: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))

    claims: Mapped[list[Claim]] = relationship(back_populates="speaker")


class Source(Base):
    __tablename__ = "sources"
    __table_args__ = (
        CheckConstraint(_in("kind", SOURCE_KINDS), name="kind"),
        CheckConstraint(_in("published_precision", PRECISIONS), name="published_precision"),
    )

    id: Mapped[IntPK]
    key: Mapped[str] = mapped_column(String(120), unique=True, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(1000))
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    published_precision: Mapped[str] = mapped_column(String(10), default="day")
    notes: Mapped[str | None] = mapped_column(Text)


class Milestone(Base):
    __tablename__ = "milestones"
    __table_args__ = (
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        CheckConstraint("resolution IS NULL OR resolved_on IS NOT NULL", name="resolution_has_date"),
    )

    id: Mapped[IntPK]
    slug: Mapped[Slug]
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("milestones.id", ondelete="RESTRICT"), index=True)
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)
    resolution: Mapped[str | None] = mapped_column(String(300))
    resolution_source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="RESTRICT"))

    parent: Mapped[Milestone | None] = relationship(remote_side="Milestone.id", back_populates="children")
    children: Mapped[list[Milestone]] = relationship(back_populates="parent")
    resolution_source: Mapped[Source | None] = relationship()


class Claim(Base):
    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint(_in("forecast_kind", KINDS), name="forecast_kind"),
        CheckConstraint(_in("said_precision", PRECISIONS), name="said_precision"),
        CheckConstraint(_in("verification", VERIFICATION_STATUSES), name="verification"),
        CheckConstraint("year_low IS NULL OR year_high IS NULL OR year_low <= year_high", name="window_order"),
        CheckConstraint(
            f"(year_low IS NULL OR year_low BETWEEN {MIN_YEAR} AND {MAX_YEAR})"
            f" AND (year_high IS NULL OR year_high BETWEEN {MIN_YEAR} AND {MAX_YEAR})",
            name="year_range",
        ),
        CheckConstraint("probability IS NULL OR (probability >= 0 AND probability <= 1)", name="probability_range"),
        # Which year fields each kind uses, as in forecasts.engine.model.KIND_FIELDS.
        CheckConstraint(
            "(forecast_kind IN ('window', 'point', 'lower_bound')) = (year_low IS NOT NULL)",
            name="year_low_by_kind",
        ),
        CheckConstraint(
            "(forecast_kind IN ('window', 'point', 'probability_by', 'upper_bound')) = (year_high IS NOT NULL)",
            name="year_high_by_kind",
        ),
        CheckConstraint("forecast_kind <> 'point' OR year_low = year_high", name="point_single_year"),
        CheckConstraint("forecast_kind <> 'probability_by' OR probability IS NOT NULL", name="probability_by_has_p"),
        CheckConstraint(
            "forecast_kind NOT IN ('never', 'eventually', 'quantiles') OR probability IS NULL",
            name="no_probability_by_kind",
        ),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_claims_milestone_said", "milestone_id", "said_on"),
        Index("ix_claims_speaker_said", "speaker_id", "said_on"),
        Index("ix_claims_kind_year_high", "forecast_kind", "year_high"),
    )

    id: Mapped[IntPK]
    key: Mapped[str] = mapped_column(String(160), unique=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="RESTRICT"))
    speaker_role: Mapped[str | None] = mapped_column(String(300))
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id", ondelete="RESTRICT"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="RESTRICT"), index=True)
    locator: Mapped[str | None] = mapped_column(String(60))
    original_source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="RESTRICT"))
    original_locator: Mapped[str | None] = mapped_column(String(60))
    said_on: Mapped[dt.date] = mapped_column(Date)
    said_precision: Mapped[str] = mapped_column(String(10), default="day")
    quote: Mapped[str] = mapped_column(Text)
    verbatim: Mapped[bool] = mapped_column(Boolean, default=True)
    relative_phrase: Mapped[str | None] = mapped_column(String(300))
    #: The speaker's own definition of the milestone, in their words, when they give one.
    definition: Mapped[str | None] = mapped_column(Text)
    forecast_kind: Mapped[str] = mapped_column(String(20), index=True)
    year_low: Mapped[int | None] = mapped_column(Integer)
    year_high: Mapped[int | None] = mapped_column(Integer)
    probability: Mapped[float | None] = mapped_column(Float)
    confidence: Mapped[str | None] = mapped_column(String(120))
    verification: Mapped[str] = mapped_column(String(20), default="unverified")
    notes: Mapped[str | None] = mapped_column(Text)
    entered_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[Timestamp]
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    speaker: Mapped[Speaker] = relationship(back_populates="claims")
    milestone: Mapped[Milestone] = relationship()
    source: Mapped[Source | None] = relationship(foreign_keys=[source_id])
    original_source: Mapped[Source | None] = relationship(foreign_keys=[original_source_id])
    points: Mapped[list[ForecastPoint]] = relationship(
        back_populates="claim", order_by="ForecastPoint.seq", cascade="all, delete-orphan", passive_deletes=True
    )
    revisions: Mapped[list[ClaimRevision]] = relationship(
        back_populates="claim", order_by="ClaimRevision.revision", passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": version}


class ForecastPoint(Base):
    """One (moment, cumulative probability) pair of a quantiles forecast.

    Each row repeats its predecessor's pair (``prev_*``) under a foreign key to that row, so the
    database can check that the pairs of a claim increase together without a trigger.
    """

    __tablename__ = "forecast_points"
    __table_args__ = (
        UniqueConstraint("claim_id", "seq", "year", "probability", name="uq_forecast_points_pair"),
        ForeignKeyConstraint(
            ["claim_id", "prev_seq", "prev_year", "prev_probability"],
            ["forecast_points.claim_id", "forecast_points.seq", "forecast_points.year", "forecast_points.probability"],
            name="fk_forecast_points_previous",
            ondelete="CASCADE",
        ),
        CheckConstraint("seq >= 0", name="seq_nonnegative"),
        CheckConstraint("probability >= 0 AND probability <= 1", name="probability_range"),
        CheckConstraint(
            "(seq = 0 AND prev_seq IS NULL AND prev_year IS NULL AND prev_probability IS NULL)"
            " OR (seq > 0 AND prev_seq = seq - 1 AND prev_year IS NOT NULL AND prev_probability IS NOT NULL)",
            name="previous_is_predecessor",
        ),
        CheckConstraint(
            "prev_year IS NULL OR (year >= prev_year AND probability >= prev_probability"
            " AND (year > prev_year OR probability > prev_probability))",
            name="increase_together",
        ),
    )

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[float] = mapped_column(Float)
    probability: Mapped[float] = mapped_column(Float)
    prev_seq: Mapped[int | None] = mapped_column(Integer)
    prev_year: Mapped[float | None] = mapped_column(Float)
    prev_probability: Mapped[float | None] = mapped_column(Float)

    claim: Mapped[Claim] = relationship(back_populates="points")


class ClaimRevision(Base):
    """A full snapshot of a claim after each create, edit, delete and restore."""

    __tablename__ = "claim_revisions"
    __table_args__ = (
        UniqueConstraint("claim_id", "revision"),
        CheckConstraint(_in("action", REVISION_ACTIONS), name="action"),
    )

    id: Mapped[IntPK]
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_by: Mapped[str | None] = mapped_column(String(200))
    changed_at: Mapped[Timestamp]
    reason: Mapped[str | None] = mapped_column(Text)

    claim: Mapped[Claim] = relationship(back_populates="revisions")


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[IntPK]
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(10), default="editor")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[Timestamp]

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")


class ApiToken(Base):
    """A bearer token for the write API; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[IntPK]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[Timestamp]
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(back_populates="tokens")
