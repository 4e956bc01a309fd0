"""The claims database.

Speakers, sources, milestones, claims with their forecasts, revisions, users and API tokens.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 23:08:23.039558

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create every table with its named constraints and indexes."""
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("publisher", sa.String(length=300), nullable=True),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("published_precision", sa.String(length=10), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('interview', 'podcast', 'video', 'post', 'article', 'paper', 'talk', 'book', 'survey', 'testimony')",
            name=op.f("ck_sources_kind"),
        ),
        sa.CheckConstraint(
            "published_precision IN ('day', 'month', 'year')", name=op.f("ck_sources_published_precision")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
    )
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sources_key"), ["key"], unique=True)

    op.create_table(
        "speakers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("affiliation", sa.String(length=200), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.CheckConstraint("kind IN ('person', 'organisation', 'group', 'respondent')", name=op.f("ck_speakers_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speakers")),
    )
    with op.batch_alter_table("speakers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_speakers_slug"), ["slug"], unique=True)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint("role IN ('admin', 'editor')", name=op.f("ck_users_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_email"), ["email"], unique=True)

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("resolution", sa.String(length=300), nullable=True),
        sa.Column("resolution_source_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name=op.f("ck_milestones_not_own_parent")),
        sa.CheckConstraint(
            "resolution IS NULL OR resolved_on IS NOT NULL", name=op.f("ck_milestones_resolution_has_date")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["milestones.id"],
            name=op.f("fk_milestones_parent_id_milestones"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["resolution_source_id"],
            ["sources.id"],
            name=op.f("fk_milestones_resolution_source_id_sources"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestones")),
    )
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_milestones_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_milestones_slug"), ["slug"], unique=True)

    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("speaker_role", sa.String(length=300), nullable=True),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("locator", sa.String(length=60), nullable=True),
        sa.Column("original_source_id", sa.Integer(), nullable=True),
        sa.Column("original_locator", sa.String(length=60), nullable=True),
        sa.Column("said_on", sa.Date(), nullable=False),
        sa.Column("said_precision", sa.String(length=10), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("verbatim", sa.Boolean(), nullable=False),
        sa.Column("relative_phrase", sa.String(length=300), nullable=True),
        sa.Column("forecast_kind", sa.String(length=20), nullable=False),
        sa.Column("year_low", sa.Integer(), nullable=True),
        sa.Column("year_high", sa.Integer(), nullable=True),
        sa.Column("probability", sa.Float(), nullable=True),
        sa.Column("confidence", sa.String(length=120), nullable=True),
        sa.Column("verification", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("entered_by", sa.String(length=200), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(forecast_kind IN ('window', 'point', 'lower_bound')) = (year_low IS NOT NULL)",
            name=op.f("ck_claims_year_low_by_kind"),
        ),
        sa.CheckConstraint(
            "(forecast_kind IN ('window', 'point', 'probability_by', 'upper_bound')) = (year_high IS NOT NULL)",
            name=op.f("ck_claims_year_high_by_kind"),
        ),
        sa.CheckConstraint(
            "forecast_kind <> 'point' OR year_low = year_high", name=op.f("ck_claims_point_single_year")
        ),
        sa.CheckConstraint(
            "forecast_kind <> 'probability_by' OR probability IS NOT NULL",
            name=op.f("ck_claims_probability_by_has_p"),
        ),
        sa.CheckConstraint(
            "forecast_kind IN ('window', 'point', 'probability_by', 'quantiles', 'lower_bound', 'upper_bound', 'never', 'eventually')",
            name=op.f("ck_claims_forecast_kind"),
        ),
        sa.CheckConstraint(
            "forecast_kind NOT IN ('never', 'eventually', 'quantiles') OR probability IS NULL",
            name=op.f("ck_claims_no_probability_by_kind"),
        ),
        sa.CheckConstraint("said_precision IN ('day', 'month', 'year')", name=op.f("ck_claims_said_precision")),
        sa.CheckConstraint(
            "verification IN ('verified', 'reported', 'unverified', 'disputed')",
            name=op.f("ck_claims_verification"),
        ),
        sa.CheckConstraint(
            "(year_low IS NULL OR year_low BETWEEN 1900 AND 3000) AND (year_high IS NULL OR year_high BETWEEN 1900 AND 3000)",
            name=op.f("ck_claims_year_range"),
        ),
        sa.CheckConstraint(
            "probability IS NULL OR (probability >= 0 AND probability <= 1)",
            name=op.f("ck_claims_probability_range"),
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_claims_version_positive")),
        sa.CheckConstraint(
            "year_low IS NULL OR year_high IS NULL OR year_low <= year_high",
            name=op.f("ck_claims_window_order"),
        ),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestones.id"],
            name=op.f("fk_claims_milestone_id_milestones"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["original_source_id"],
            ["sources.id"],
            name=op.f("fk_claims_original_source_id_sources"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_claims_source_id_sources"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speakers.id"], name=op.f("fk_claims_speaker_id_speakers"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint("key", name=op.f("uq_claims_key")),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claims_deleted_at"), ["deleted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_forecast_kind"), ["forecast_kind"], unique=False)
        batch_op.create_index("ix_claims_kind_year_high", ["forecast_kind", "year_high"], unique=False)
        batch_op.create_index("ix_claims_milestone_said", ["milestone_id", "said_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_source_id"), ["source_id"], unique=False)
        batch_op.create_index("ix_claims_speaker_said", ["speaker_id", "said_on"], unique=False)

    op.create_table(
        "claim_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=True),
        sa.Column(
            "changed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "action IN ('create', 'update', 'delete', 'restore')", name=op.f("ck_claim_revisions_action")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_claim_revisions_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_revisions")),
        sa.UniqueConstraint("claim_id", "revision", name=op.f("uq_claim_revisions_claim_id_revision")),
    )
    with op.batch_alter_table("claim_revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_revisions_claim_id"), ["claim_id"], unique=False)

    op.create_table(
        "forecast_points",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("year", sa.Float(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("prev_seq", sa.Integer(), nullable=True),
        sa.Column("prev_year", sa.Float(), nullable=True),
        sa.Column("prev_probability", sa.Float(), nullable=True),
        sa.CheckConstraint(
            "(seq = 0 AND prev_seq IS NULL AND prev_year IS NULL AND prev_probability IS NULL) OR (seq > 0 AND prev_seq = seq - 1 AND prev_year IS NOT NULL AND prev_probability IS NOT NULL)",
            name=op.f("ck_forecast_points_previous_is_predecessor"),
        ),
        sa.CheckConstraint(
            "prev_year IS NULL OR (year >= prev_year AND probability >= prev_probability AND (year > prev_year OR probability > prev_probability))",
            name=op.f("ck_forecast_points_increase_together"),
        ),
        sa.CheckConstraint("probability >= 0 AND probability <= 1", name=op.f("ck_forecast_points_probability_range")),
        sa.CheckConstraint("seq >= 0", name=op.f("ck_forecast_points_seq_nonnegative")),
        sa.ForeignKeyConstraint(
            ["claim_id", "prev_seq", "prev_year", "prev_probability"],
            [
                "forecast_points.claim_id",
                "forecast_points.seq",
                "forecast_points.year",
                "forecast_points.probability",
            ],
            name="fk_forecast_points_previous",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_forecast_points_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("claim_id", "seq", name=op.f("pk_forecast_points")),
        sa.UniqueConstraint("claim_id", "seq", "year", "probability", name="uq_forecast_points_pair"),
    )


def downgrade() -> None:
    """Drop everything, children before parents."""
    op.drop_table("forecast_points")
    with op.batch_alter_table("claim_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_revisions_claim_id"))

    op.drop_table("claim_revisions")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index("ix_claims_speaker_said")
        batch_op.drop_index(batch_op.f("ix_claims_source_id"))
        batch_op.drop_index("ix_claims_milestone_said")
        batch_op.drop_index("ix_claims_kind_year_high")
        batch_op.drop_index(batch_op.f("ix_claims_forecast_kind"))
        batch_op.drop_index(batch_op.f("ix_claims_deleted_at"))

    op.drop_table("claims")
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestones_slug"))
        batch_op.drop_index(batch_op.f("ix_milestones_parent_id"))

    # SQLite empties a table before dropping it; a child milestone would then point at a deleted parent.
    op.execute("UPDATE milestones SET parent_id = NULL")
    op.drop_table("milestones")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_email"))

    op.drop_table("users")
    with op.batch_alter_table("speakers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_speakers_slug"))

    op.drop_table("speakers")
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sources_key"))

    op.drop_table("sources")
