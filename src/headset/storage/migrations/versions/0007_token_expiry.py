"""API tokens expire, and a session remembers whether it passed a second factor.

Revision ID: 0007
Revises: 0006
Created: 2026-12-03

Tokens made before this revision had no end: they get one 90 days after the upgrade, so that
integrations keep working while their owners make new tokens with a chosen lifetime.
Sessions made before it count as not having passed a second factor: someone who must use one
signs in again before managing API tokens.

Written out in full, like 0001: a migration never imports the tables module.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: How long a token that existed before this revision still works.
_GRACE = timedelta(days=90)


def upgrade() -> None:
    op.add_column("api_tokens", sa.Column("expires_at", sa.DateTime(timezone=True)))
    tokens = sa.table("api_tokens", sa.column("expires_at", sa.DateTime(timezone=True)))
    # SQLite keeps naive UTC text (as the application's UtcDateTime writes it)
    ends = datetime.now(UTC) + _GRACE
    if op.get_bind().dialect.name == "sqlite":
        ends = ends.replace(tzinfo=None)
    op.execute(tokens.update().where(tokens.c.expires_at.is_(None)).values(expires_at=ends))
    with op.batch_alter_table("api_tokens") as batch:
        batch.alter_column("expires_at", existing_type=sa.DateTime(timezone=True), nullable=False)
    op.add_column(
        "sessions",
        sa.Column("is_second_factor_verified", sa.Boolean(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    # batch mode: SQLite drops a column by rebuilding the table
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("is_second_factor_verified")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")
