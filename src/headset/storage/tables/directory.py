"""Tenants, users and the routing directory: teams, skills, queues, agents, dispositions and
away reasons."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
)

from headset.storage.tables.schema import ID_LENGTH, metadata
from headset.storage.types import UtcDateTime

tenants = Table(
    "tenants",
    metadata,
    Column("tenant_id", String(ID_LENGTH), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("time_zone", String(64), nullable=False, server_default="UTC"),
    Column("is_active", Boolean, nullable=False, server_default="1"),
    Column("created_at", UtcDateTime, nullable=False),
)


users = Table(
    "users",
    metadata,
    Column("user_id", String(ID_LENGTH), primary_key=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("email", String(320)),
    Column("role", String(20), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("language", String(10), nullable=False, server_default="en"),
    Column("is_active", Boolean, nullable=False, server_default="1"),
    Column("totp_secret", String(64)),
    Column("totp_last_step", BigInteger),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("last_failed_login_at", UtcDateTime),
    Column("locked_until", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
)


#: Which tenants a user may see (admins see every tenant without rows here).
user_tenants = Table(
    "user_tenants",
    metadata,
    Column("user_id", String(ID_LENGTH), ForeignKey("users.user_id", ondelete="CASCADE")),
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id", ondelete="CASCADE")),
    PrimaryKeyConstraint("user_id", "tenant_id"),
)


teams = Table(
    "teams",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    #: Unique in the whole center: the engine knows teams by id alone.
    Column("team_id", String(ID_LENGTH), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("leader_user_id", String(ID_LENGTH), ForeignKey("users.user_id")),
    #: Contacts per hour each agent of the team aims for (shown on the desktop); None: no target.
    Column("contacts_per_hour_target", Float),
    PrimaryKeyConstraint("tenant_id", "team_id"),
)


skills = Table(
    "skills",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("skill_id", String(ID_LENGTH), nullable=False),
    Column("name", String(200), nullable=False),
    PrimaryKeyConstraint("tenant_id", "skill_id"),
)


#: Routing settings live in `settings` (the engine's QueueConfig as JSON, validated by the
#: service); business hours, holidays and the time zone beside them.
queues = Table(
    "queues",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    #: Unique in the whole center: the engine knows queues by id alone.
    Column("queue_id", String(ID_LENGTH), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("settings", JSON, nullable=False),
    Column("time_zone", String(64), nullable=False, server_default="UTC"),
    Column("business_hours", JSON, nullable=False),
    Column("holidays", JSON, nullable=False),
    PrimaryKeyConstraint("tenant_id", "queue_id"),
)


agents = Table(
    "agents",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("agent_id", String(ID_LENGTH), nullable=False, unique=True),
    Column("user_id", String(ID_LENGTH), ForeignKey("users.user_id"), unique=True),
    Column("display_name", String(200), nullable=False),
    Column("team_id", String(ID_LENGTH)),
    Column("profile", JSON, nullable=False),
    PrimaryKeyConstraint("tenant_id", "agent_id"),
)


dispositions = Table(
    "dispositions",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("code", String(ID_LENGTH), nullable=False),
    Column("label", String(200), nullable=False),
    Column("is_active", Boolean, nullable=False, server_default="1"),
    PrimaryKeyConstraint("tenant_id", "code"),
)


away_reasons = Table(
    "away_reasons",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("code", String(ID_LENGTH), nullable=False),
    Column("label", String(200), nullable=False),
    PrimaryKeyConstraint("tenant_id", "code"),
)
