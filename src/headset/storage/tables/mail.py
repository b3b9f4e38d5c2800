"""The e-mail channel (docs/email.md): mailboxes, threads, messages and attachments."""

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

#: A tenant's e-mail addresses: how mail comes in (the built-in SMTP receiver, or IMAP) and
#: leaves (SMTP). The servers' passwords are stored only sealed with the server's secret key
#: (`*_password`, access/secret_box.py; docs/email.md).
mailboxes = Table(
    "mailboxes",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("mailbox_id", String(ID_LENGTH), nullable=False),
    Column("address", String(320), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("queue_id", String(ID_LENGTH), nullable=False),
    #: "smtp" (mail delivered to the built-in receiver) or "imap" (Headset fetches it).
    Column("inbound", String(10), nullable=False),
    Column("imap_host", String(255)),
    Column("imap_port", Integer),
    Column("imap_username", String(320)),
    #: The IMAP password sealed with the server's secret key (access/secret_box.py).
    Column("imap_password", Text),
    Column("imap_folder", String(200)),
    Column("imap_security", String(10)),
    Column("smtp_host", String(255)),
    Column("smtp_port", Integer),
    Column("smtp_username", String(320)),
    #: The SMTP password, sealed likewise (none: no login).
    Column("smtp_password", Text),
    #: "none", "starttls" or "tls".
    Column("smtp_security", String(10), nullable=False),
    #: The automatic acknowledgement's text ({reference} is filled in); none: not sent.
    Column("acknowledgement", Text),
    Column("signature", Text),
    Column("max_message_bytes", Integer, nullable=False),
    Column("is_active", Boolean, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    #: Targets of the e-mail timers, in business seconds (none: no target shown).
    Column("first_response_target_s", Integer),
    Column("resolution_target_s", Integer),
    #: Send the survey link by e-mail once an e-mail contact is wrapped up.
    Column("send_survey", Boolean, nullable=False, server_default="0"),
    #: The mailbox chat transcripts are sent from (the first active one of the tenant).
    Column("sends_transcripts", Boolean, nullable=False, server_default="0"),
    PrimaryKeyConstraint("tenant_id", "mailbox_id"),
)


#: A conversation by e-mail: its reference token and the contact now handling it.
mail_threads = Table(
    "mail_threads",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("thread_id", String(ID_LENGTH), nullable=False),
    Column("mailbox_id", String(ID_LENGTH), nullable=False),
    Column("reference", String(16), nullable=False, unique=True),
    Column("contact_id", String(ID_LENGTH), nullable=False),
    Column("customer_id", String(ID_LENGTH)),
    Column("customer_address", String(320), nullable=False),
    Column("subject", String(1000), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "thread_id"),
    Index("ix_mail_threads_contact", "tenant_id", "contact_id"),
)


#: Every message in or out. The unique (tenant, mailbox, Message-ID) is what makes delivery
#: idempotent: a message fetched or delivered twice is stored once.
mail_messages = Table(
    "mail_messages",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("mail_id", String(ID_LENGTH), nullable=False, unique=True),
    Column("mailbox_id", String(ID_LENGTH), nullable=False),
    Column("thread_id", String(ID_LENGTH)),
    Column("contact_id", String(ID_LENGTH)),
    #: "inbound" or "outbound".
    Column("direction", String(10), nullable=False),
    #: message, automatic, bounce, reply, acknowledgement.
    Column("kind", String(20), nullable=False),
    Column("message_id", String(500), nullable=False),
    Column("in_reply_to", String(500)),
    Column("references", JSON, nullable=False),
    Column("from_address", String(320), nullable=False),
    Column("from_name", String(200), nullable=False),
    Column("to_addresses", JSON, nullable=False),
    Column("subject", String(1000), nullable=False),
    Column("text", Text, nullable=False),
    #: Sanitised (docs/email.md): no scripts, handlers or remote images.
    Column("html", Text),
    Column("headers", JSON, nullable=False),
    Column("refused_attachments", JSON, nullable=False),
    Column("bounce", JSON),
    #: received, sending, sent, failed.
    Column("status", String(10), nullable=False),
    Column("error", Text),
    Column("author_id", String(200)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime),
    #: What was handed to the SMTP server (outbound only), to send again after a crash.
    Column("raw", LargeBinary),
    #: The client's Idempotency-Key of a reply: a repeated POST returns the first reply.
    Column("idempotency_key", String(200)),
    #: Hand-overs to the SMTP server so far, and when a failed one is tried again.
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", UtcDateTime),
    PrimaryKeyConstraint("tenant_id", "mail_id"),
    UniqueConstraint("tenant_id", "mailbox_id", "message_id", name="uq_mail_messages_message_id"),
    Index("ix_mail_messages_lookup", "tenant_id", "message_id"),
    Index("ix_mail_messages_thread", "tenant_id", "thread_id", "created_at"),
    Index(
        "uq_mail_messages_idempotency", "tenant_id", "contact_id", "idempotency_key", unique=True
    ),
    Index("ix_mail_messages_outbox", "status", "next_attempt_at"),
)


#: Files of mail messages, inline images included (`content_id` names them in the HTML).
mail_attachments = Table(
    "mail_attachments",
    metadata,
    Column("tenant_id", String(ID_LENGTH), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("attachment_id", String(ID_LENGTH), nullable=False, unique=True),
    Column("mail_id", String(ID_LENGTH), nullable=False),
    Column("name", String(255), nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content_id", String(500)),
    Column("is_inline", Boolean, nullable=False),
    Column("content", LargeBinary, nullable=False),
    PrimaryKeyConstraint("tenant_id", "attachment_id"),
    Index("ix_mail_attachments_mail", "tenant_id", "mail_id"),
)
