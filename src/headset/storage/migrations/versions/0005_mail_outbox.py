"""E-mail: the reply outbox (idempotency keys, attempts, back-off), timer targets and the
mailbox's survey and transcript settings.

Revision ID: 0005
Revises: 0004
Created: 2026-12-02

Written out in full, like 0001: a migration never imports the tables module.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("mailboxes", sa.Column("first_response_target_s", sa.Integer()))
    op.add_column("mailboxes", sa.Column("resolution_target_s", sa.Integer()))
    op.add_column(
        "mailboxes",
        sa.Column("send_survey", sa.Boolean(), nullable=False, server_default="0"),
    )
    op.add_column(
        "mailboxes",
        sa.Column("sends_transcripts", sa.Boolean(), nullable=False, server_default="0"),
    )
    op.add_column("mail_messages", sa.Column("idempotency_key", sa.String(200)))
    op.add_column(
        "mail_messages",
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column("mail_messages", sa.Column("next_attempt_at", sa.DateTime(timezone=True)))
    op.create_index(
        "uq_mail_messages_idempotency",
        "mail_messages",
        ["tenant_id", "contact_id", "idempotency_key"],
        unique=True,
    )
    op.create_index("ix_mail_messages_outbox", "mail_messages", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_mail_messages_outbox", "mail_messages")
    op.drop_index("uq_mail_messages_idempotency", "mail_messages")
    with op.batch_alter_table("mail_messages") as batch:
        for name in ("next_attempt_at", "attempts", "idempotency_key"):
            batch.drop_column(name)
    with op.batch_alter_table("mailboxes") as batch:
        for name in (
            "sends_transcripts",
            "send_survey",
            "resolution_target_s",
            "first_response_target_s",
        ):
            batch.drop_column(name)
