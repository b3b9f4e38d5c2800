"""Signed-in sessions and API tokens."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    String,
    Table,
)

from headset.storage.tables.schema import ID_LENGTH, metadata
from headset.storage.types import UtcDateTime

sessions = Table(
    "sessions",
    metadata,
    Column("session_digest", String(64), primary_key=True),
    Column(
        "user_id",
        String(ID_LENGTH),
        ForeignKey("users.user_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("csrf_token", String(100), nullable=False),
    Column("is_second_factor_pending", Boolean, nullable=False, server_default="0"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    #: The sign-in (or the set-up that followed it) checked an authenticator code.
    Column("is_second_factor_verified", Boolean, nullable=False, server_default="0"),
)


api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_id", String(ID_LENGTH), primary_key=True),
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("token_digest", String(64), nullable=False, unique=True),
    Column("created_by", String(ID_LENGTH), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    #: Chosen when the token is made (docs/access.md, "API tokens"); refused from then on.
    Column("expires_at", UtcDateTime, nullable=False),
    #: Recorded at most once a minute per token (service/token_uses.py).
    Column("last_used_at", UtcDateTime),
    Column("revoked_at", UtcDateTime),
)
