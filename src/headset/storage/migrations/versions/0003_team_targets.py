"""A team's target of contacts per hour, shown to its agents beside their own figure.

Revision ID: 0003
Revises: 0002
Created: 2026-12-01

Written out in full, like 0001: a migration never imports the tables module.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # nullable, no default: existing teams have no target until someone sets one
    op.add_column("teams", sa.Column("contacts_per_hour_target", sa.Float(), nullable=True))


def downgrade() -> None:
    # batch mode: SQLite drops a column by rebuilding the table
    with op.batch_alter_table("teams") as batch:
        batch.drop_column("contacts_per_hour_target")
