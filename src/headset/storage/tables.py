"""The relational schema: SQLAlchemy Core tables, the same on SQLite and PostgreSQL.

Every business row carries `tenant_id`. Identifiers are strings chosen by the service
(readable slugs for configuration, random ids for contacts), so rows can be created in any
order and events can name them before they exist in another process.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from headset.storage.types import UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

_ID = 64

tenants = Table(
    "tenants",
    metadata,
    Column("tenant_id", String(_ID), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("time_zone", String(64), nullable=False, server_default="UTC"),
    Column("is_active", Boolean, nullable=False, server_default="1"),
    Column("created_at", UtcDateTime, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("user_id", String(_ID), primary_key=True),
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
    Column("user_id", String(_ID), ForeignKey("users.user_id", ondelete="CASCADE")),
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id", ondelete="CASCADE")),
    PrimaryKeyConstraint("user_id", "tenant_id"),
)

teams = Table(
    "teams",
    metadata,
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    #: Unique in the whole center: the engine knows teams by id alone.
    Column("team_id", String(_ID), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("leader_user_id", String(_ID), ForeignKey("users.user_id")),
    #: Contacts per hour each agent of the team aims for (shown on the desktop); None: no target.
    Column("contacts_per_hour_target", Float),
    PrimaryKeyConstraint("tenant_id", "team_id"),
)

skills = Table(
    "skills",
    metadata,
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("skill_id", String(_ID), nullable=False),
    Column("name", String(200), nullable=False),
    PrimaryKeyConstraint("tenant_id", "skill_id"),
)

#: Routing settings live in `settings` (the engine's QueueConfig as JSON, validated by the
#: service); business hours, holidays and the time zone beside them.
queues = Table(
    "queues",
    metadata,
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    #: Unique in the whole center: the engine knows queues by id alone.
    Column("queue_id", String(_ID), nullable=False, unique=True),
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
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("agent_id", String(_ID), nullable=False, unique=True),
    Column("user_id", String(_ID), ForeignKey("users.user_id"), unique=True),
    Column("display_name", String(200), nullable=False),
    Column("team_id", String(_ID)),
    Column("profile", JSON, nullable=False),
    PrimaryKeyConstraint("tenant_id", "agent_id"),
)

dispositions = Table(
    "dispositions",
    metadata,
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("code", String(_ID), nullable=False),
    Column("label", String(200), nullable=False),
    Column("is_active", Boolean, nullable=False, server_default="1"),
    PrimaryKeyConstraint("tenant_id", "code"),
)

away_reasons = Table(
    "away_reasons",
    metadata,
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("code", String(_ID), nullable=False),
    Column("label", String(200), nullable=False),
    PrimaryKeyConstraint("tenant_id", "code"),
)

customers = Table(
    "customers",
    metadata,
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("customer_id", String(_ID), nullable=False),
    Column("name", String(200)),
    Column("phone", String(40)),
    Column("email", String(320)),
    Column("language", String(10)),
    Column("external_id", String(200)),
    Column("created_at", UtcDateTime, nullable=False),
    #: Made from unverified input that named this existing customer: a tentative link until
    #: an agent confirms it (customers/matching.py).
    Column("possible_match_id", String(_ID)),
    #: The customer an agent confirmed this one to be: its contacts moved there.
    Column("merged_into_id", String(_ID)),
    PrimaryKeyConstraint("tenant_id", "customer_id"),
    UniqueConstraint("tenant_id", "external_id", name="uq_customers_tenant_external"),
    Index("ix_customers_tenant_phone", "tenant_id", "phone"),
    Index("ix_customers_tenant_email", "tenant_id", "email"),
)

#: A projection of the event log kept in the same transaction: one row per contact.
contacts = Table(
    "contacts",
    metadata,
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("contact_id", String(_ID), nullable=False, unique=True),
    Column("queue_id", String(_ID), nullable=False),
    Column("channel", String(10), nullable=False),
    Column("direction", String(10), nullable=False),
    Column("status", String(20), nullable=False),
    Column("priority", Integer, nullable=False),
    Column("customer_id", String(_ID)),
    Column("subject", String(500)),
    Column("language", String(10)),
    Column("requirements", JSON, nullable=False),
    Column("agent_id", String(_ID)),
    Column("team_id", String(_ID)),
    Column("disposition", String(_ID)),
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
    Column("tenant_id", String(_ID), nullable=False),
    Column("note_id", String(_ID), nullable=False),
    Column("contact_id", String(_ID), nullable=False),
    Column("author_user_id", String(_ID), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "note_id"),
    ForeignKeyConstraint(
        ["tenant_id", "contact_id"], ["contacts.tenant_id", "contacts.contact_id"]
    ),
    Index("ix_notes_contact", "tenant_id", "contact_id"),
)

#: The append-only event log: `seq` is global and follows commit order (see event_log.py).
events = Table(
    "events",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("stream_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("type", String(100), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("tenant_id", String(_ID)),
    Column("actor", String(200)),
    Column("correlation_id", String(_ID)),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    UniqueConstraint("stream_id", "version", name="uq_events_stream_version"),
    Index("ix_events_tenant_seq", "tenant_id", "seq"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("session_digest", String(64), primary_key=True),
    Column("user_id", String(_ID), ForeignKey("users.user_id", ondelete="CASCADE"), nullable=False),
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
    Column("token_id", String(_ID), primary_key=True),
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("token_digest", String(64), nullable=False, unique=True),
    Column("created_by", String(_ID), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    #: Chosen when the token is made (docs/access.md, "API tokens"); refused from then on.
    Column("expires_at", UtcDateTime, nullable=False),
    #: Recorded at most once a minute per token (service/token_uses.py).
    Column("last_used_at", UtcDateTime),
    Column("revoked_at", UtcDateTime),
)

webhooks = Table(
    "webhooks",
    metadata,
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("webhook_id", String(_ID), nullable=False, unique=True),
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
    Column("delivery_id", String(_ID), primary_key=True),
    Column("tenant_id", String(_ID), nullable=False),
    Column("webhook_id", String(_ID), nullable=False),
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

# The web chat channel (docs/chat.md) --------------------------------------------------------

#: A tenant's chat widget: found by its public `widget_key` from the customer's browser.
chat_widgets = Table(
    "chat_widgets",
    metadata,
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("widget_id", String(_ID), nullable=False),
    Column("widget_key", String(_ID), nullable=False, unique=True),
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
    Column("ivr_flow_id", String(_ID)),
    PrimaryKeyConstraint("tenant_id", "widget_id"),
)

#: The customer's side of a chat: their bearer token, stored only as its digest.
chat_sessions = Table(
    "chat_sessions",
    metadata,
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("contact_id", String(_ID), nullable=False, unique=True),
    Column("widget_id", String(_ID), nullable=False),
    Column("token_digest", String(64), nullable=False, unique=True),
    Column("customer_id", String(_ID), nullable=False),
    Column("customer_name", String(200), nullable=False),
    Column("topic_id", String(_ID), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime),
    PrimaryKeyConstraint("tenant_id", "contact_id"),
)

#: Files sent in chats; the bytes live in the database, the type is what the bytes say.
chat_attachments = Table(
    "chat_attachments",
    metadata,
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("attachment_id", String(_ID), nullable=False, unique=True),
    Column("contact_id", String(_ID), nullable=False),
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
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("message_id", String(_ID), nullable=False, unique=True),
    Column("contact_id", String(_ID), nullable=False),
    Column("seq", Integer, nullable=False),
    #: Chosen by the sender; a retry with the same id returns the stored message.
    Column("client_message_id", String(100), nullable=False),
    Column("author_kind", String(20), nullable=False),
    #: The customer's id, or `user:<id>` for people of the center.
    Column("author_id", String(200), nullable=False),
    Column("author_name", String(200), nullable=False),
    Column("visibility", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("attachment_id", String(_ID)),
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
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("canned_id", String(_ID), nullable=False),
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
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("contact_id", String(_ID), nullable=False),
    Column("queue_id", String(_ID), nullable=False),
    Column("rating", Integer, nullable=False),
    Column("comment", Text),
    Column("answered_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "contact_id"),
    Index("ix_survey_answers_answered", "tenant_id", "answered_at"),
)

#: A tenant's e-mail addresses: how mail comes in (the built-in SMTP receiver, or IMAP) and
#: leaves (SMTP). The servers' passwords are stored only sealed with the server's secret key
#: (`*_password`, access/secret_box.py; docs/email.md).
mailboxes = Table(
    "mailboxes",
    metadata,
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("mailbox_id", String(_ID), nullable=False),
    Column("address", String(320), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("queue_id", String(_ID), nullable=False),
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
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("thread_id", String(_ID), nullable=False),
    Column("mailbox_id", String(_ID), nullable=False),
    Column("reference", String(16), nullable=False, unique=True),
    Column("contact_id", String(_ID), nullable=False),
    Column("customer_id", String(_ID)),
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
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("mail_id", String(_ID), nullable=False, unique=True),
    Column("mailbox_id", String(_ID), nullable=False),
    Column("thread_id", String(_ID)),
    Column("contact_id", String(_ID)),
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
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("attachment_id", String(_ID), nullable=False, unique=True),
    Column("mail_id", String(_ID), nullable=False),
    Column("name", String(255), nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content_id", String(500)),
    Column("is_inline", Boolean, nullable=False),
    Column("content", LargeBinary, nullable=False),
    PrimaryKeyConstraint("tenant_id", "attachment_id"),
    Index("ix_mail_attachments_mail", "tenant_id", "mail_id"),
)

# voice (docs/voice.md) ---------------------------------------------------------------------

#: A tenant's IVR flows: steps as data (headset.calls.ivr validates them).
ivr_flows = Table(
    "ivr_flows",
    metadata,
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("flow_id", String(_ID), nullable=False),
    Column("name", String(200), nullable=False),
    Column("steps", JSON, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id", "flow_id"),
)

#: Uploaded prompts (WAV), played by IVR steps that name them.
voice_prompts = Table(
    "voice_prompts",
    metadata,
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("prompt_id", String(_ID), nullable=False),
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
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("recording_id", String(_ID), nullable=False, unique=True),
    Column("contact_id", String(_ID), nullable=False),
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
    Column("tenant_id", String(_ID), ForeignKey("tenants.tenant_id"), nullable=False),
    Column("recording_default", String(20), nullable=False, server_default="none"),
    Column("retention_days", Integer, nullable=False, server_default="90"),
    Column("updated_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("tenant_id"),
)
