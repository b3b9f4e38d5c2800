"""The mailroom's events: typed messages under the wire names the event log stores.

Each is stored on its contact's stream in the operation that records it. The optional
fields of a payload (the answering agent, a failure's error and next attempt) are left out
when they do not apply, as they always were, so stored and live events keep their shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from headset.core.messages import Event, message
from headset.storage.event_log import NewEvent


def _stored(event: Event, tenant_id: str, contact_id: str, payload: dict[str, Any],
            actor: str, at: datetime) -> NewEvent:  # fmt: skip
    return NewEvent(
        stream_id=f"contact:{contact_id}",
        type=event.name,
        payload=payload,
        occurred_at=at,
        tenant_id=tenant_id,
        actor=actor,
    )


@message
class MailReceived(Event):
    """A message reached a contact's conversation: the customer's mail, a bounce, an answer."""

    tenant_id: str
    contact_id: str
    mail_id: str
    thread_id: str | None
    #: "message", "bounce", ...
    kind: str
    from_address: str
    subject: str
    #: The agent answering the contact, who sees it at once (None: nobody yet).
    agent_id: str | None
    at: datetime

    @property
    def name(self) -> str:
        return "mail.received"

    def new_event(self) -> NewEvent:
        """The event as the operation stores it; the customer is the actor of their mail."""
        payload: dict[str, Any] = {
            "contact_id": self.contact_id, "mail_id": self.mail_id,
            "thread_id": self.thread_id, "kind": self.kind,
            "from_address": self.from_address, "subject": self.subject[:200],
        }  # fmt: skip
        if self.agent_id is not None:
            payload["agent_id"] = self.agent_id
        actor = "customer" if self.kind == "message" else "system:mail"
        return _stored(self, self.tenant_id, self.contact_id, payload, actor, self.at)


@dataclass(frozen=True, slots=True)
class HandOver:
    """A message of a contact handed to the mailbox's SMTP server: which, how many times so
    far, the agent answering the contact (None: nobody), by whom and when."""

    tenant_id: str
    contact_id: str
    mail_id: str
    #: "reply", "acknowledgement", "survey", "transcript", ...
    kind: str
    attempts: int
    agent_id: str | None
    actor: str
    at: datetime

    def payload(self) -> dict[str, Any]:
        """What every hand-over's event says (the agent only when someone answers)."""
        payload: dict[str, Any] = {
            "contact_id": self.contact_id, "mail_id": self.mail_id, "kind": self.kind,
            "attempts": self.attempts,
        }  # fmt: skip
        if self.agent_id is not None:
            payload["agent_id"] = self.agent_id
        return payload

    def stored(self, event: Event, payload: dict[str, Any]) -> NewEvent:
        return _stored(event, self.tenant_id, self.contact_id, payload, self.actor, self.at)


@message
class MailSent(Event):
    """The mailbox's SMTP server took the message."""

    handed: HandOver

    @property
    def name(self) -> str:
        return "mail.sent"

    def new_event(self) -> NewEvent:
        """The event as the operation stores it, with the sender as its actor."""
        return self.handed.stored(self, self.handed.payload())


@message
class MailFailed(Event):
    """The mailbox's SMTP server refused the message (or could not be reached): the error,
    and when the retry loop tries again (None: no more attempts)."""

    handed: HandOver
    error: str
    next_attempt_at: datetime | None

    @property
    def name(self) -> str:
        return "mail.failed"

    def new_event(self) -> NewEvent:
        """The event as the operation stores it, with the sender as its actor."""
        retry_at = self.next_attempt_at
        payload = {
            **self.handed.payload(),
            "error": self.error,
            "next_attempt_at": retry_at.isoformat() if retry_at else None,
        }
        return self.handed.stored(self, payload)


@message
class SurveyAnswered(Event):
    """A customer answered the survey of an e-mail contact."""

    tenant_id: str
    contact_id: str
    rating: int
    at: datetime

    @property
    def name(self) -> str:
        return "mail.survey_answered"

    def new_event(self) -> NewEvent:
        """The event as the operation stores it, on the contact's stream."""
        payload = {"contact_id": self.contact_id, "rating": self.rating}
        return _stored(self, self.tenant_id, self.contact_id, payload, "customer", self.at)
