"""Voice: IVR flows, uploaded prompts, call recordings, and a widget's voice settings.

Revision ID: 0006
Revises: 0005
Created: 2026-12-02

Written out in full, like 0001: a migration never imports the tables module.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = 64


def _tenant() -> sa.Column[str]:
    return sa.Column(
        "tenant_id", sa.String(_ID), sa.ForeignKey("tenants.tenant_id"), nullable=False
    )


def _at(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "ivr_flows",
        _tenant(),
        sa.Column("flow_id", sa.String(_ID), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        _at("updated_at"),
        sa.PrimaryKeyConstraint("tenant_id", "flow_id", name="pk_ivr_flows"),
    )
    op.create_table(
        "voice_prompts",
        _tenant(),
        sa.Column("prompt_id", sa.String(_ID), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        _at("created_at"),
        sa.PrimaryKeyConstraint("tenant_id", "prompt_id", name="pk_voice_prompts"),
    )
    op.create_table(
        "recordings",
        _tenant(),
        sa.Column("recording_id", sa.String(_ID), nullable=False),
        sa.Column("contact_id", sa.String(_ID), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("path", sa.String(1000), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("pauses", sa.JSON(), nullable=False),
        sa.Column("peaks", sa.JSON(), nullable=False),
        _at("created_at"),
        _at("expires_at"),
        sa.PrimaryKeyConstraint("tenant_id", "recording_id", name="pk_recordings"),
        sa.UniqueConstraint("recording_id", name="uq_recordings_recording_id"),
        sa.Index("ix_recordings_contact", "tenant_id", "contact_id"),
        sa.Index("ix_recordings_expires", "expires_at"),
    )
    op.create_table(
        "voice_settings",
        _tenant(),
        sa.Column("recording_default", sa.String(20), nullable=False, server_default="none"),
        sa.Column("retention_days", sa.Integer(), nullable=False, server_default="90"),
        _at("updated_at"),
        sa.PrimaryKeyConstraint("tenant_id", name="pk_voice_settings"),
    )
    op.add_column(
        "chat_widgets",
        sa.Column("voice_enabled", sa.Boolean(), nullable=False, server_default="1"),
    )
    op.add_column("chat_widgets", sa.Column("ivr_flow_id", sa.String(_ID)))


def downgrade() -> None:
    with op.batch_alter_table("chat_widgets") as batch:
        batch.drop_column("ivr_flow_id")
        batch.drop_column("voice_enabled")
    op.drop_table("voice_settings")
    op.drop_table("recordings")
    op.drop_table("voice_prompts")
    op.drop_table("ivr_flows")
