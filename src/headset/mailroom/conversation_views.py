"""What the API shows of an e-mail conversation: its messages, their files, its timers.

The timers are first response (the contact's first customer message to its first sent reply)
and resolution (to the wrap-up), in the business hours of the contact's queue (mail/timers.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from headset.mail.timers import Timer, timer
from headset.mailroom.mailboxes import Mailbox
from headset.routing.business_hours import BusinessHours
from headset.service.host import EngineHost


class AttachmentOut(BaseModel):
    attachment_id: str
    name: str
    media_type: str
    size: int
    content_id: str | None
    is_inline: bool


class MessageOut(BaseModel):
    """One message of a conversation: the customer's mail, a reply, a bounce, a transcript."""

    mail_id: str
    contact_id: str | None
    direction: str
    kind: str
    message_id: str
    in_reply_to: str | None
    references: list[Any]
    from_address: str
    from_name: str
    to_addresses: list[Any]
    subject: str
    text: str
    html: str | None
    status: str
    error: str | None
    attempts: int
    next_attempt_at: str | None
    sent_at: str | None
    bounce: Any
    refused_attachments: Any
    attachments: list[AttachmentOut]
    created_at: str


class TimerOut(BaseModel):
    """Business seconds so far (or in all, once stopped), against the mailbox's target."""

    seconds: int
    is_running: bool
    target_seconds: int | None
    is_breached: bool


class TimersOut(BaseModel):
    first_response: TimerOut | None
    resolution: TimerOut | None
    #: Whether the queue keeps business hours (otherwise every second counts).
    business_hours: bool


_PLAIN = [n for n in MessageOut.model_fields if n not in (
    "next_attempt_at", "sent_at", "attachments", "created_at")]  # fmt: skip


def message_out(row: Any, files: Sequence[Any]) -> MessageOut:
    """A stored message with its files' descriptions (never their bytes)."""
    return MessageOut(
        **{name: getattr(row, name) for name in _PLAIN},
        next_attempt_at=_iso(row.next_attempt_at),
        sent_at=_iso(row.sent_at),
        attachments=[
            AttachmentOut(**{name: getattr(f, name) for name in AttachmentOut.model_fields})
            for f in files
        ],
        created_at=row.created_at.isoformat(),
    )


def timers_of(
    host: EngineHost, contact: Any, mailbox: Mailbox | None, rows: Sequence[Any]
) -> TimersOut:
    """The contact's e-mail timers from its messages (`rows`, other contacts' are skipped)."""
    calendar = host.tenancy.hours.get(contact.queue_id) or BusinessHours({})
    mine = [r for r in rows if r.contact_id == contact.contact_id]
    asked = [r.created_at for r in mine if r.direction == "inbound" and r.kind == "message"]
    answered = [r.sent_at for r in mine if r.kind == "reply" and r.sent_at is not None]
    started = min(asked) if asked else contact.created_at
    now = host.clock.now()
    first = timer(
        calendar, started, min(answered) if answered else None, now,
        mailbox.first_response_target_s if mailbox else None,
    )  # fmt: skip
    resolution = timer(
        calendar, started, contact.wrapped_at, now,
        mailbox.resolution_target_s if mailbox else None,
    )  # fmt: skip
    return TimersOut(
        first_response=_timer_out(first),
        resolution=_timer_out(resolution),
        business_hours=not calendar.is_always_open,
    )


def _timer_out(found: Timer | None) -> TimerOut | None:
    return TimerOut.model_validate(found.as_dict()) if found is not None else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
