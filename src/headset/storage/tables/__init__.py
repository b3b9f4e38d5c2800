"""The relational schema: SQLAlchemy Core tables, the same on SQLite and PostgreSQL.

Every business row carries `tenant_id`. Identifiers are strings chosen by the service
(readable slugs for configuration, random ids for contacts), so rows can be created in any
order and events can name them before they exist in another process.

One module per concept (directory, contacts, the event log, access, webhooks, chat, mail,
voice, the vault), all on the one `metadata` of schema.py; this package re-exports every table, so
`from headset.storage.tables import contacts` names a table wherever it is defined.
"""

from __future__ import annotations

from headset.storage.tables.access import (
    api_tokens,
    sessions,
)
from headset.storage.tables.chat import (
    canned_responses,
    chat_attachments,
    chat_messages,
    chat_sessions,
    chat_widgets,
    survey_answers,
)
from headset.storage.tables.contacts import (
    contacts,
    customers,
    notes,
)
from headset.storage.tables.directory import (
    agents,
    away_reasons,
    dispositions,
    queues,
    skills,
    teams,
    tenants,
    user_tenants,
    users,
)
from headset.storage.tables.event_log import (
    events,
)
from headset.storage.tables.mail import (
    mail_attachments,
    mail_messages,
    mail_threads,
    mailboxes,
)
from headset.storage.tables.schema import ID_LENGTH, metadata
from headset.storage.tables.vault import (
    tenant_keys,
)
from headset.storage.tables.voice import (
    ivr_flows,
    recordings,
    voice_prompts,
    voice_settings,
)
from headset.storage.tables.webhooks import (
    webhook_deliveries,
    webhooks,
)

__all__ = [
    "ID_LENGTH",
    "agents",
    "api_tokens",
    "away_reasons",
    "canned_responses",
    "chat_attachments",
    "chat_messages",
    "chat_sessions",
    "chat_widgets",
    "contacts",
    "customers",
    "dispositions",
    "events",
    "ivr_flows",
    "mail_attachments",
    "mail_messages",
    "mail_threads",
    "mailboxes",
    "metadata",
    "notes",
    "queues",
    "recordings",
    "sessions",
    "skills",
    "survey_answers",
    "teams",
    "tenant_keys",
    "tenants",
    "user_tenants",
    "users",
    "voice_prompts",
    "voice_settings",
    "webhook_deliveries",
    "webhooks",
]
