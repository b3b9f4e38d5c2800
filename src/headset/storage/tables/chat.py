"""The web chat channel (docs/chat.md): widgets, sessions, messages, attachments, canned
responses and survey answers."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from headset.storage.tables.schema import ID_LENGTH, metadata
from headset.storage.types import UtcDateTime

#: A tenant's chat widget: found by its public `widget_key` from the customer's browser.
chat_widgets = Table(
    "chat_widgets",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("widget_id", String(ID_LENGTH), nullable=False),
    Column("widget_key", String(ID_LENGTH), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("greeting", String(1000), nullable=False),
    Column("colour", String(7), nullable=False, server_default="#1f6feb"),
    #: [{"topic_id", "label", "queue_id", "skills": {skill: minimum}}]
    Column("topics", JSON, nullable=False),
    Column("languages", JSON, nullable=False),
    Column("offline_message", String(1000), nullable=False),
    Column("allowed_origins", JSON, nullable=False),
    Column("is_active", Boolean, nullable=False, server_default="1"),
    Column("created_at", UtcDateTime, nullable=False),
    #: The "call us" button (docs/voice.md) and the IVR flow its calls run (None: built-in).
    Column("voice_enabled", Boolean, nullable=False, server_default="1"),
    Column("ivr_flow_id", String(ID_LENGTH)),
    PrimaryKeyConstraint("tenant_id", "widget_id"),
)


#: The customer's side of a chat: their bearer token, stored only as its digest.
chat_sessions = Table(
    "chat_sessions",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("contact_id", String(ID_LENGTH), nullable=False, unique=True),
    Column("widget_id", String(ID_LENGTH), nullable=False),
    Column("token_digest", String(64), nullable=False, unique=True),
    Column("customer_id", String(ID_LENGTH), nullable=False),
    Column("customer_name", String(200), nullable=False),
    Column("topic_id", String(ID_LENGTH), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime),
    PrimaryKeyConstraint("tenant_id", "contact_id"),
)


#: Files sent in chats; the bytes live in the database, the type is what the bytes say.
chat_attachments = Table(
    "chat_attachments",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("attachment_id", String(ID_LENGTH), nullable=False, unique=True),
    Column("contact_id", String(ID_LENGTH), nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("name", String(255), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("uploaded_by", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "attachment_id"),
    Index("ix_chat_attachments_contact", "tenant_id", "contact_id"),
)


#: Every message of every chat; `seq` numbers a conversation 1, 2, 3... without gaps.
chat_messages = Table(
    "chat_messages",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("message_id", String(ID_LENGTH), nullable=False, unique=True),
    Column("contact_id", String(ID_LENGTH), nullable=False),
    Column("seq", Integer, nullable=False),
    #: Chosen by the sender; a retry with the same id returns the stored message.
    Column("client_message_id", String(100), nullable=False),
    Column("author_kind", String(20), nullable=False),
    #: The customer's id, or `user:<id>` for people of the center.
    Column("author_id", String(200), nullable=False),
    Column("author_name", String(200), nullable=False),
    Column("visibility", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("attachment_id", String(ID_LENGTH)),
    Column("sent_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "message_id"),
    UniqueConstraint("tenant_id", "contact_id", "seq", name="uq_chat_messages_seq"),
    UniqueConstraint(
        "tenant_id",
        "contact_id",
        "author_id",
        "client_message_id",
        name="uq_chat_messages_client_id",
    ),
)


#: Prepared answers agents insert by shortcut.
canned_responses = Table(
    "canned_responses",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("canned_id", String(ID_LENGTH), nullable=False),
    Column("shortcut", String(64), nullable=False),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("language", String(10)),
    Column("updated_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "canned_id"),
    UniqueConstraint("tenant_id", "shortcut", name="uq_canned_responses_shortcut"),
)


#: Post-contact survey answers: at most one per contact (the primary key says so).
survey_answers = Table(
    "survey_answers",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("contact_id", String(ID_LENGTH), nullable=False),
    Column("queue_id", String(ID_LENGTH), nullable=False),
    Column("rating", Integer, nullable=False),
    Column("comment", Text),
    Column("answered_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "contact_id"),
    Index("ix_survey_answers_answered", "tenant_id", "answered_at"),
)
