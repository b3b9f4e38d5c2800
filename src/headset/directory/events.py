"""Directory events: typed messages with stable wire names, the audit trail of configuration.

Every change of a tenant's configuration stores one `DirectoryChanged` in the operation's
transaction. Its `type` is a `DirectoryEventType`, whose values are the wire names stored in
the event log since the first release; listeners decode stored events with `decode` and
compare enum members, never strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from headset.core.messages import Event, message
from headset.storage.event_log import NewEvent, StoredEvent

PREFIX = "directory."


class DirectoryEventType(StrEnum):
    """The wire names of directory events (stable: the audit trail stores them)."""

    TENANT_CREATED = "directory.tenant_created"
    TENANT_UPDATED = "directory.tenant_updated"
    USER_CREATED = "directory.user_created"
    USER_UPDATED = "directory.user_updated"
    MEMBER_ADDED = "directory.member_added"
    MEMBER_REMOVED = "directory.member_removed"
    AGENT_SAVED = "directory.agent_saved"
    QUEUE_SAVED = "directory.queue_saved"
    TEAM_SAVED = "directory.teams_saved"
    TEAM_REMOVED = "directory.teams_removed"
    SKILL_SAVED = "directory.skills_saved"
    SKILL_REMOVED = "directory.skills_removed"
    DISPOSITION_SAVED = "directory.dispositions_saved"
    DISPOSITION_REMOVED = "directory.dispositions_removed"
    AWAY_REASON_SAVED = "directory.away_reasons_saved"
    AWAY_REASON_REMOVED = "directory.away_reasons_removed"
    CANNED_RESPONSE_SAVED = "directory.canned_response_saved"
    CANNED_RESPONSE_DELETED = "directory.canned_response_deleted"
    CHAT_WIDGET_SAVED = "directory.chat_widget_saved"
    CHAT_WIDGET_DELETED = "directory.chat_widget_deleted"
    IVR_FLOW_SAVED = "directory.ivr_flow_saved"
    IVR_FLOW_DELETED = "directory.ivr_flow_deleted"
    VOICE_PROMPT_SAVED = "directory.voice_prompt_saved"
    VOICE_PROMPT_DELETED = "directory.voice_prompt_deleted"
    TOKEN_CREATED = "directory.token_created"
    TOKEN_REVOKED = "directory.token_revoked"
    WEBHOOK_CREATED = "directory.webhook_created"
    WEBHOOK_UPDATED = "directory.webhook_updated"
    WEBHOOK_DELETED = "directory.webhook_deleted"
    MAILBOX_SAVED = "directory.mailbox_saved"
    MAILBOX_DELETED = "directory.mailbox_deleted"
    VOICE_SETTINGS_SAVED = "directory.voice_settings_saved"
    CUSTOMER_SAVED = "directory.customer_saved"


@message
class DirectoryChanged(Event):
    """Something in a tenant's configuration changed: what, where, by whom, when."""

    type: DirectoryEventType
    tenant_id: str | None
    stream_id: str
    data: Mapping[str, Any]
    actor: str
    at: datetime

    @property
    def name(self) -> str:
        return self.type.value

    def new_event(self) -> NewEvent:
        """The event as the operation stores it, with its data made JSON-safe."""
        return NewEvent(
            stream_id=self.stream_id,
            type=self.name,
            payload=jsonable(dict(self.data)),
            occurred_at=self.at,
            tenant_id=self.tenant_id,
            actor=self.actor,
        )


def decode(stored: Iterable[StoredEvent]) -> Iterator[DirectoryChanged]:
    """The directory events among committed events, typed; other and unknown names skipped."""
    for event in stored:
        if not event.type.startswith(PREFIX):
            continue
        try:
            kind = DirectoryEventType(event.type)
        except ValueError:  # a name some later release added: not ours to interpret
            continue
        yield DirectoryChanged(
            kind, event.tenant_id, event.stream_id, event.payload, event.actor or "",
            event.occurred_at,
        )  # fmt: skip


def jsonable(value: Any) -> Any:
    """Dicts, lists and scalars as they are; anything else (a date, an enum) as its text."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
