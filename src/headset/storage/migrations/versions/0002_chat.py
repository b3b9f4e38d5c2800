"""The web chat channel: widgets, customer sessions, messages, attachments, canned responses,
survey answers.

Revision ID: 0002
Revises: 0001
Created: 2026-12-08

Written out in full, like 0001: a migration never imports the tables module.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = 64


def _ts(name: str, *, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _id(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.String(_ID), nullable=nullable)


def _tenant(table: str) -> tuple[sa.Column[object], sa.ForeignKeyConstraint]:
    return (
        sa.Column("tenant_id", sa.String(_ID), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.tenant_id"], name=f"fk_{table}_tenant_id_tenants"
        ),
    )


def upgrade() -> None:
    tenant, fk = _tenant("chat_widgets")
    op.create_table(
        "chat_widgets",
        tenant,
        _id("widget_id"),
        _id("widget_key"),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("greeting", sa.String(1000), nullable=False),
        sa.Column("colour", sa.String(7), nullable=False, server_default="#1f6feb"),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("offline_message", sa.String(1000), nullable=False),
        sa.Column("allowed_origins", sa.JSON(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default="1"),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "widget_id", name="pk_chat_widgets"),
        sa.UniqueConstraint("widget_key", name="uq_chat_widgets_widget_key"),
        fk,
    )
    tenant, fk = _tenant("chat_sessions")
    op.create_table(
        "chat_sessions",
        tenant,
        _id("contact_id"),
        _id("widget_id"),
        sa.Column("token_digest", sa.String(64), nullable=False),
        _id("customer_id"),
        sa.Column("customer_name", sa.String(200), nullable=False),
        _id("topic_id"),
        _ts("created_at", nullable=False),
        _ts("expires_at", nullable=False),
        _ts("ended_at"),
        sa.PrimaryKeyConstraint("tenant_id", "contact_id", name="pk_chat_sessions"),
        sa.UniqueConstraint("contact_id", name="uq_chat_sessions_contact_id"),
        sa.UniqueConstraint("token_digest", name="uq_chat_sessions_token_digest"),
        fk,
    )
    tenant, fk = _tenant("chat_attachments")
    op.create_table(
        "chat_attachments",
        tenant,
        _id("attachment_id"),
        _id("contact_id"),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "attachment_id", name="pk_chat_attachments"),
        sa.UniqueConstraint("attachment_id", name="uq_chat_attachments_attachment_id"),
        fk,
    )
    op.create_index("ix_chat_attachments_contact", "chat_attachments", ["tenant_id", "contact_id"])
    tenant, fk = _tenant("chat_messages")
    op.create_table(
        "chat_messages",
        tenant,
        _id("message_id"),
        _id("contact_id"),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("client_message_id", sa.String(100), nullable=False),
        sa.Column("author_kind", sa.String(20), nullable=False),
        sa.Column("author_id", sa.String(200), nullable=False),
        sa.Column("author_name", sa.String(200), nullable=False),
        sa.Column("visibility", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _id("attachment_id", nullable=True),
        _ts("sent_at", nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "message_id", name="pk_chat_messages"),
        sa.UniqueConstraint("message_id", name="uq_chat_messages_message_id"),
        sa.UniqueConstraint("tenant_id", "contact_id", "seq", name="uq_chat_messages_seq"),
        sa.UniqueConstraint(
            "tenant_id",
            "contact_id",
            "author_id",
            "client_message_id",
            name="uq_chat_messages_client_id",
        ),
        fk,
    )
    tenant, fk = _tenant("canned_responses")
    op.create_table(
        "canned_responses",
        tenant,
        _id("canned_id"),
        sa.Column("shortcut", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(10)),
        _ts("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "canned_id", name="pk_canned_responses"),
        sa.UniqueConstraint("tenant_id", "shortcut", name="uq_canned_responses_shortcut"),
        fk,
    )
    tenant, fk = _tenant("survey_answers")
    op.create_table(
        "survey_answers",
        tenant,
        _id("contact_id"),
        _id("queue_id"),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text()),
        _ts("answered_at", nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "contact_id", name="pk_survey_answers"),
        fk,
    )
    op.create_index("ix_survey_answers_answered", "survey_answers", ["tenant_id", "answered_at"])


def downgrade() -> None:
    for table in (
        "survey_answers",
        "canned_responses",
        "chat_messages",
        "chat_attachments",
        "chat_sessions",
        "chat_widgets",
    ):
        op.drop_table(table)
