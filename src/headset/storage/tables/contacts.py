"""Customers, their contacts and the agents' notes on them."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from headset.storage.tables.schema import ID_LENGTH, metadata
from headset.storage.types import UtcDateTime

customers = Table(
    "customers",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("customer_id", String(ID_LENGTH), nullable=False),
    Column("name", String(200)),
    Column("phone", String(40)),
    Column("email", String(320)),
    Column("language", String(10)),
    Column("external_id", String(200)),
    Column("created_at", UtcDateTime, nullable=False),
    #: Made from unverified input that named this existing customer: a tentative link until
    #: an agent confirms it (customers/matching.py).
    Column("possible_match_id", String(ID_LENGTH)),
    #: The customer an agent confirmed this one to be: its contacts moved there.
    Column("merged_into_id", String(ID_LENGTH)),
    PrimaryKeyConstraint("tenant_id", "customer_id"),
    UniqueConstraint("tenant_id", "external_id", name="uq_customers_tenant_external"),
    Index("ix_customers_tenant_phone", "tenant_id", "phone"),
    Index("ix_customers_tenant_email", "tenant_id", "email"),
)


#: A projection of the event log kept in the same transaction: one row per contact.
contacts = Table(
    "contacts",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("contact_id", String(ID_LENGTH), nullable=False, unique=True),
    Column("queue_id", String(ID_LENGTH), nullable=False),
    Column("channel", String(10), nullable=False),
    Column("direction", String(10), nullable=False),
    Column("status", String(20), nullable=False),
    Column("priority", Integer, nullable=False),
    Column("customer_id", String(ID_LENGTH)),
    Column("subject", String(500)),
    Column("language", String(10)),
    Column("requirements", JSON, nullable=False),
    Column("agent_id", String(ID_LENGTH)),
    Column("team_id", String(ID_LENGTH)),
    Column("disposition", String(ID_LENGTH)),
    Column("is_callback", Boolean, nullable=False, server_default="0"),
    Column("external_ref", String(200)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("queued_at", UtcDateTime, nullable=False),
    Column("offered_at", UtcDateTime),
    Column("answered_at", UtcDateTime),
    Column("ended_at", UtcDateTime),
    Column("wrapped_at", UtcDateTime),
    Column("abandoned_at", UtcDateTime),
    PrimaryKeyConstraint("tenant_id", "contact_id"),
    Index("ix_contacts_tenant_status", "tenant_id", "status"),
    Index("ix_contacts_tenant_queued", "tenant_id", "queued_at"),
    Index("ix_contacts_agent", "agent_id"),
)


notes = Table(
    "notes",
    metadata,
    Column("tenant_id", String(ID_LENGTH), nullable=False),
    Column("note_id", String(ID_LENGTH), nullable=False),
    Column("contact_id", String(ID_LENGTH), nullable=False),
    Column("author_user_id", String(ID_LENGTH), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "note_id"),
    ForeignKeyConstraint(
        ["tenant_id", "contact_id"], ["contacts.tenant_id", "contacts.contact_id"]
    ),
    Index("ix_notes_contact", "tenant_id", "contact_id"),
)
