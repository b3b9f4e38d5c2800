"""The e-mail channel: mailboxes, threads, messages and their attachments.

Revision ID: 0004
Revises: 0003
Created: 2026-12-01

Written out in full, like 0001: a migration never imports the tables module.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
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
    tenant, fk = _tenant("mailboxes")
    op.create_table(
        "mailboxes",
        tenant,
        _id("mailbox_id"),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        _id("queue_id"),
        sa.Column("inbound", sa.String(10), nullable=False),
        sa.Column("imap_host", sa.String(255)),
        sa.Column("imap_port", sa.Integer()),
        sa.Column("imap_username", sa.String(320)),
        sa.Column("imap_password_env", sa.String(100)),
        sa.Column("imap_folder", sa.String(200)),
        sa.Column("imap_security", sa.String(10)),
        sa.Column("smtp_host", sa.String(255)),
        sa.Column("smtp_port", sa.Integer()),
        sa.Column("smtp_username", sa.String(320)),
        sa.Column("smtp_password_env", sa.String(100)),
        sa.Column("smtp_security", sa.String(10), nullable=False),
        sa.Column("acknowledgement", sa.Text()),
        sa.Column("signature", sa.Text()),
        sa.Column("max_message_bytes", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        _ts("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "mailbox_id", name="pk_mailboxes"),
        sa.UniqueConstraint("address", name="uq_mailboxes_address"),
        fk,
    )
    tenant, fk = _tenant("mail_threads")
    op.create_table(
        "mail_threads",
        tenant,
        _id("thread_id"),
        _id("mailbox_id"),
        sa.Column("reference", sa.String(16), nullable=False),
        _id("contact_id"),
        _id("customer_id", nullable=True),
        sa.Column("customer_address", sa.String(320), nullable=False),
        sa.Column("subject", sa.String(1000), nullable=False),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "thread_id", name="pk_mail_threads"),
        sa.UniqueConstraint("reference", name="uq_mail_threads_reference"),
        fk,
    )
    op.create_index("ix_mail_threads_contact", "mail_threads", ["tenant_id", "contact_id"])
    tenant, fk = _tenant("mail_messages")
    op.create_table(
        "mail_messages",
        tenant,
        _id("mail_id"),
        _id("mailbox_id"),
        _id("thread_id", nullable=True),
        _id("contact_id", nullable=True),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("message_id", sa.String(500), nullable=False),
        sa.Column("in_reply_to", sa.String(500)),
        sa.Column("references", sa.JSON(), nullable=False),
        sa.Column("from_address", sa.String(320), nullable=False),
        sa.Column("from_name", sa.String(200), nullable=False),
        sa.Column("to_addresses", sa.JSON(), nullable=False),
        sa.Column("subject", sa.String(1000), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text()),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("refused_attachments", sa.JSON(), nullable=False),
        sa.Column("bounce", sa.JSON()),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("error", sa.Text()),
        sa.Column("author_id", sa.String(200)),
        _ts("created_at", nullable=False),
        _ts("sent_at"),
        sa.Column("raw", sa.LargeBinary()),
        sa.PrimaryKeyConstraint("tenant_id", "mail_id", name="pk_mail_messages"),
        sa.UniqueConstraint("mail_id", name="uq_mail_messages_mail_id"),
        sa.UniqueConstraint(
            "tenant_id", "mailbox_id", "message_id", name="uq_mail_messages_message_id"
        ),
        fk,
    )
    op.create_index("ix_mail_messages_lookup", "mail_messages", ["tenant_id", "message_id"])
    op.create_index(
        "ix_mail_messages_thread", "mail_messages", ["tenant_id", "thread_id", "created_at"]
    )
    tenant, fk = _tenant("mail_attachments")
    op.create_table(
        "mail_attachments",
        tenant,
        _id("attachment_id"),
        _id("mail_id"),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content_id", sa.String(500)),
        sa.Column("is_inline", sa.Boolean(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "attachment_id", name="pk_mail_attachments"),
        sa.UniqueConstraint("attachment_id", name="uq_mail_attachments_attachment_id"),
        fk,
    )
    op.create_index("ix_mail_attachments_mail", "mail_attachments", ["tenant_id", "mail_id"])


def downgrade() -> None:
    for table in ("mail_attachments", "mail_messages", "mail_threads", "mailboxes"):
        op.drop_table(table)
