"""The initial schema: directory, configuration, contacts, the event log, access, webhooks.

Revision ID: 0001
Revises:
Created: 2026-12-01

Written out in full rather than imported from `headset.storage.tables`: a migration must keep
producing the schema of its day after the tables module has moved on.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = 64


def _ts(name: str, *, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _id(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.String(_ID), nullable=nullable)


def _flag(name: str, default: str) -> sa.Column[object]:
    return sa.Column(name, sa.Boolean(), nullable=False, server_default=default)


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id"], ["tenants.tenant_id"], name=f"fk_{table}_tenant_id_tenants"
    )


def _tenant_id() -> sa.Column[object]:
    return sa.Column("tenant_id", sa.String(_ID), nullable=False)


def upgrade() -> None:
    op.create_table(
        "tenants",
        _id("tenant_id"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False, server_default="UTC"),
        _flag("is_active", "1"),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", name="pk_tenants"),
    )
    op.create_table(
        "users",
        _id("user_id"),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320)),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("language", sa.String(10), nullable=False, server_default="en"),
        _flag("is_active", "1"),
        sa.Column("totp_secret", sa.String(64)),
        sa.Column("totp_last_step", sa.BigInteger()),
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
        _ts("last_failed_login_at"),
        _ts("locked_until"),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )
    op.create_table(
        "user_tenants",
        _id("user_id"),
        _tenant_id(),
        sa.PrimaryKeyConstraint("user_id", "tenant_id", name="pk_user_tenants"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.user_id"], name="fk_user_tenants_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.tenant_id"],
            name="fk_user_tenants_tenant_id_tenants",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "teams",
        _tenant_id(),
        _id("team_id"),
        sa.Column("name", sa.String(200), nullable=False),
        _id("leader_user_id", nullable=True),
        sa.PrimaryKeyConstraint("tenant_id", "team_id", name="pk_teams"),
        sa.UniqueConstraint("team_id", name="uq_teams_team_id"),
        _tenant_fk("teams"),
        sa.ForeignKeyConstraint(
            ["leader_user_id"], ["users.user_id"], name="fk_teams_leader_user_id_users"
        ),
    )
    op.create_table(
        "skills",
        _tenant_id(),
        _id("skill_id"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "skill_id", name="pk_skills"),
        _tenant_fk("skills"),
    )
    op.create_table(
        "queues",
        _tenant_id(),
        _id("queue_id"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False, server_default="UTC"),
        sa.Column("business_hours", sa.JSON(), nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "queue_id", name="pk_queues"),
        sa.UniqueConstraint("queue_id", name="uq_queues_queue_id"),
        _tenant_fk("queues"),
    )
    op.create_table(
        "agents",
        _tenant_id(),
        _id("agent_id"),
        _id("user_id", nullable=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        _id("team_id", nullable=True),
        sa.Column("profile", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "agent_id", name="pk_agents"),
        sa.UniqueConstraint("agent_id", name="uq_agents_agent_id"),
        sa.UniqueConstraint("user_id", name="uq_agents_user_id"),
        _tenant_fk("agents"),
        sa.ForeignKeyConstraint(["user_id"], ["users.user_id"], name="fk_agents_user_id_users"),
    )
    op.create_table(
        "dispositions",
        _tenant_id(),
        _id("code"),
        sa.Column("label", sa.String(200), nullable=False),
        _flag("is_active", "1"),
        sa.PrimaryKeyConstraint("tenant_id", "code", name="pk_dispositions"),
        _tenant_fk("dispositions"),
    )
    op.create_table(
        "away_reasons",
        _tenant_id(),
        _id("code"),
        sa.Column("label", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "code", name="pk_away_reasons"),
        _tenant_fk("away_reasons"),
    )
    op.create_table(
        "customers",
        _tenant_id(),
        _id("customer_id"),
        sa.Column("name", sa.String(200)),
        sa.Column("phone", sa.String(40)),
        sa.Column("email", sa.String(320)),
        sa.Column("language", sa.String(10)),
        sa.Column("external_id", sa.String(200)),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "customer_id", name="pk_customers"),
        sa.UniqueConstraint("tenant_id", "external_id", name="uq_customers_tenant_external"),
        _tenant_fk("customers"),
    )
    op.create_index("ix_customers_tenant_phone", "customers", ["tenant_id", "phone"])
    op.create_index("ix_customers_tenant_email", "customers", ["tenant_id", "email"])
    op.create_table(
        "contacts",
        _tenant_id(),
        _id("contact_id"),
        _id("queue_id"),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        _id("customer_id", nullable=True),
        sa.Column("subject", sa.String(500)),
        sa.Column("language", sa.String(10)),
        sa.Column("requirements", sa.JSON(), nullable=False),
        _id("agent_id", nullable=True),
        _id("team_id", nullable=True),
        _id("disposition", nullable=True),
        _flag("is_callback", "0"),
        sa.Column("external_ref", sa.String(200)),
        _ts("created_at", nullable=False),
        _ts("queued_at", nullable=False),
        _ts("offered_at"),
        _ts("answered_at"),
        _ts("ended_at"),
        _ts("wrapped_at"),
        _ts("abandoned_at"),
        sa.PrimaryKeyConstraint("tenant_id", "contact_id", name="pk_contacts"),
        sa.UniqueConstraint("contact_id", name="uq_contacts_contact_id"),
        _tenant_fk("contacts"),
    )
    op.create_index("ix_contacts_tenant_status", "contacts", ["tenant_id", "status"])
    op.create_index("ix_contacts_tenant_queued", "contacts", ["tenant_id", "queued_at"])
    op.create_index("ix_contacts_agent", "contacts", ["agent_id"])
    op.create_table(
        "notes",
        _tenant_id(),
        _id("note_id"),
        _id("contact_id"),
        _id("author_user_id"),
        sa.Column("text", sa.Text(), nullable=False),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "note_id", name="pk_notes"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "contact_id"],
            ["contacts.tenant_id", "contacts.contact_id"],
            name="fk_notes_tenant_id_contacts",
        ),
    )
    op.create_index("ix_notes_contact", "notes", ["tenant_id", "contact_id"])
    op.create_table(
        "events",
        # no autoincrement: the event log hands out seq itself, in commit order
        sa.Column("seq", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("stream_id", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        _id("tenant_id", nullable=True),
        sa.Column("actor", sa.String(200)),
        _id("correlation_id", nullable=True),
        _ts("occurred_at", nullable=False),
        _ts("recorded_at", nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_events"),
        sa.UniqueConstraint("stream_id", "version", name="uq_events_stream_version"),
    )
    op.create_index("ix_events_tenant_seq", "events", ["tenant_id", "seq"])
    op.create_table(
        "sessions",
        sa.Column("session_digest", sa.String(64), nullable=False),
        _id("user_id"),
        sa.Column("csrf_token", sa.String(100), nullable=False),
        _flag("is_second_factor_pending", "0"),
        _ts("created_at", nullable=False),
        _ts("expires_at", nullable=False),
        sa.PrimaryKeyConstraint("session_digest", name="pk_sessions"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.user_id"], name="fk_sessions_user_id_users", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "api_tokens",
        _id("token_id"),
        _tenant_id(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("token_digest", sa.String(64), nullable=False),
        _id("created_by"),
        _ts("created_at", nullable=False),
        _ts("last_used_at"),
        _ts("revoked_at"),
        sa.PrimaryKeyConstraint("token_id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_digest", name="uq_api_tokens_token_digest"),
        _tenant_fk("api_tokens"),
    )
    op.create_table(
        "webhooks",
        _tenant_id(),
        _id("webhook_id"),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("secret", sa.String(200), nullable=False),
        sa.Column("event_types", sa.JSON(), nullable=False),
        _flag("is_active", "1"),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "webhook_id", name="pk_webhooks"),
        sa.UniqueConstraint("webhook_id", name="uq_webhooks_webhook_id"),
        _tenant_fk("webhooks"),
    )
    op.create_table(
        "webhook_deliveries",
        _id("delivery_id"),
        _tenant_id(),
        _id("webhook_id"),
        sa.Column("event_seq", sa.BigInteger(), nullable=False),
        sa.Column("event_type", sa.String(100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("status", sa.String(20), nullable=False),
        _ts("next_attempt_at"),
        sa.Column("last_status_code", sa.Integer()),
        sa.Column("last_error", sa.String(500)),
        _ts("delivered_at"),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("delivery_id", name="pk_webhook_deliveries"),
    )
    op.create_index(
        "ix_webhook_deliveries_due", "webhook_deliveries", ["status", "next_attempt_at"]
    )
    op.create_index(
        "ix_webhook_deliveries_hook",
        "webhook_deliveries",
        ["tenant_id", "webhook_id", "created_at"],
    )


def downgrade() -> None:
    for table in (
        "webhook_deliveries",
        "webhooks",
        "api_tokens",
        "sessions",
        "events",
        "notes",
        "contacts",
        "customers",
        "away_reasons",
        "dispositions",
        "agents",
        "queues",
        "skills",
        "teams",
        "user_tenants",
        "users",
        "tenants",
    ):
        op.drop_table(table)
