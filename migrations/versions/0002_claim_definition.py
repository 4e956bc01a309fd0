"""A claim's definition: the speaker's own definition of the milestone, when they give one.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 17:35:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the optional column; existing claims have none."""
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("definition", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop the column (the definitions stay in the claims' revision snapshots)."""
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("definition")
