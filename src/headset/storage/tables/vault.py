"""The vault's rows: each tenant's data keys, stored only wrapped by a master key."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
)

from headset.storage.tables.schema import ID_LENGTH, metadata
from headset.storage.types import UtcDateTime

tenant_keys = Table(
    "tenant_keys",
    metadata,
    Column(
        "tenant_id",
        String(ID_LENGTH),
        ForeignKey("tenants.tenant_id"),
        primary_key=True,
    ),
    #: 1 for a tenant's first data key; a later data key gets the next number, and the
    #: newest seals new values while older ones still open what they sealed.
    Column("version", Integer, primary_key=True),
    #: The master key that wrapped it (`KeyProvider.key_id`): rotation re-wraps the rows
    #: whose key id is not the active one's.
    Column("key_id", String(200), nullable=False),
    Column("wrapped", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)
