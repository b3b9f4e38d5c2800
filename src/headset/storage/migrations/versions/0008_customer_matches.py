"""A customer made from unverified input (a chat's form, a web call's form, an e-mail's From)
may be an existing customer: the tentative link, and where an agent's confirmation merged it.

Revision ID: 0008
Revises: 0007
Created: 2026-12-07

Written out in full, like 0001: a migration never imports the tables module.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # nullable, no default: customers made before this revision are nobody's possible match
    with op.batch_alter_table("customers") as batch:
        batch.add_column(sa.Column("possible_match_id", sa.String(64), nullable=True))
        batch.add_column(sa.Column("merged_into_id", sa.String(64), nullable=True))


def downgrade() -> None:
    # batch mode: SQLite drops a column by rebuilding the table
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("merged_into_id")
        batch.drop_column("possible_match_id")
