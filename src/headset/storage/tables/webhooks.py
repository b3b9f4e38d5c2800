"""Tenants' webhooks and the outbox of their deliveries."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from headset.storage.tables.schema import ID_LENGTH, metadata
from headset.storage.types import UtcDateTime

webhooks = Table(
    "webhooks",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("webhook_id", String(ID_LENGTH), nullable=False, unique=True),
    Column("url", String(2000), nullable=False),
    Column("secret", String(200), nullable=False),
    Column("event_types", JSON, nullable=False),
    Column("is_active", Boolean, nullable=False, server_default="1"),
    Column("created_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "webhook_id"),
)


webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("delivery_id", String(ID_LENGTH), primary_key=True),
    Column("tenant_id", String(ID_LENGTH), nullable=False),
    Column("webhook_id", String(ID_LENGTH), nullable=False),
    Column("event_seq", BigInteger, nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("body", Text, nullable=False),
    Column("attempt", Integer, nullable=False, server_default="0"),
    Column("status", String(20), nullable=False),
    Column("next_attempt_at", UtcDateTime),
    Column("last_status_code", Integer),
    Column("last_error", String(500)),
    Column("delivered_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    Index("ix_webhook_deliveries_hook", "tenant_id", "webhook_id", "created_at"),
)
