"""The voice channel (docs/voice.md): IVR flows, prompts, recordings and settings."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
)

from headset.storage.tables.schema import ID_LENGTH, metadata
from headset.storage.types import UtcDateTime

#: A tenant's IVR flows: steps as data (headset.calls.ivr validates them).
ivr_flows = Table(
    "ivr_flows",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("flow_id", String(ID_LENGTH), nullable=False),
    Column("name", String(200), nullable=False),
    Column("steps", JSON, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "flow_id"),
)


#: Uploaded prompts (WAV), played by IVR steps that name them.
voice_prompts = Table(
    "voice_prompts",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("prompt_id", String(ID_LENGTH), nullable=False),
    Column("name", String(200), nullable=False),
    Column("duration_s", Float, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "prompt_id"),
)


#: Call recordings and voicemails; the WAV file lives under the data directory, per tenant.
recordings = Table(
    "recordings",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("recording_id", String(ID_LENGTH), nullable=False, unique=True),
    Column("contact_id", String(ID_LENGTH), nullable=False),
    #: "call" or "voicemail"
    Column("kind", String(20), nullable=False),
    Column("path", String(1000), nullable=False),
    Column("duration_s", Float, nullable=False),
    Column("pauses", JSON, nullable=False),
    Column("peaks", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "recording_id"),
    Index("ix_recordings_contact", "tenant_id", "contact_id"),
    Index("ix_recordings_expires", "expires_at"),
)


#: A tenant's voice defaults: the recording policy of queues that say "tenant".
voice_settings = Table(
    "voice_settings",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("recording_default", String(20), nullable=False, server_default="none"),
    Column("retention_days", Integer, nullable=False, server_default="90"),
    Column("updated_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id"),
)
