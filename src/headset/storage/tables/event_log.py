"""The append-only event log (storage/event_log.py reads and writes it)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from headset.storage.tables.schema import ID_LENGTH, metadata
from headset.storage.types import UtcDateTime

#: The append-only event log: `seq` is global and follows commit order (see event_log.py).
events = Table(
    "events",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("stream_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("type", String(100), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("tenant_id", String(ID_LENGTH)),
    Column("actor", String(200)),
    Column("correlation_id", String(ID_LENGTH)),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    UniqueConstraint("stream_id", "version", name="uq_events_stream_version"),
    Index("ix_events_tenant_seq", "tenant_id", "seq"),
)
