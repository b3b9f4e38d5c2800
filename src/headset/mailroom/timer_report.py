"""E-mail timers of many contacts at once, newest first (docs/email.md, "Timers").

The first-response and resolution timers of the tenant's e-mail contacts, in the business
hours of each contact's queue, as on each conversation; `contact.read` in the caller's scope
decides which contacts are listed.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from sqlalchemy import select

from headset.access.caller import Viewer
from headset.access.permissions import Scope
from headset.core.errors import Invalid
from headset.mailroom.conversation_views import TimersOut, timers_of
from headset.routing.model import Channel
from headset.service.contact_reads import scoped
from headset.storage.tables import contacts, mail_messages

if TYPE_CHECKING:
    from headset.mailroom.room import Mailroom


class ContactTimers(BaseModel):
    contact_id: str
    queue_id: str
    agent_id: str | None
    status: str
    subject: str | None
    created_at: str
    timers: TimersOut


class TimerReport(BaseModel):
    items: list[ContactTimers]


def timer_report(
    room: Mailroom,
    who: Viewer,
    tenant_id: str,
    scope: Scope,
    *,
    open_only: bool,
    since: datetime | None,
    limit: int,
) -> TimerReport:
    """The timers of the e-mail contacts the caller may see (`open_only`: not wrapped up or
    abandoned yet; `since`: created since then), newest first."""
    query = scoped(
        select(contacts).where(
            contacts.c.tenant_id == tenant_id, contacts.c.channel == Channel.EMAIL.value
        ),
        scope,
        who,
    )
    if open_only:
        query = query.where(contacts.c.wrapped_at.is_(None), contacts.c.abandoned_at.is_(None))
    if since is not None:
        if since.tzinfo is None:
            raise Invalid("give since with a time zone, e.g. 2026-12-01T08:00:00Z", field="since")
        query = query.where(contacts.c.created_at >= since)
    query = query.order_by(contacts.c.created_at.desc(), contacts.c.contact_id).limit(limit)
    with room.reader.connect() as conn:
        rows = conn.execute(query).all()
        messages = conn.execute(
            select(
                mail_messages.c.contact_id,
                mail_messages.c.mailbox_id,
                mail_messages.c.direction,
                mail_messages.c.kind,
                mail_messages.c.created_at,
                mail_messages.c.sent_at,
            ).where(
                mail_messages.c.tenant_id == tenant_id,
                mail_messages.c.contact_id.in_([r.contact_id for r in rows]),
            )
        ).all()
    by_contact: dict[str, list[Any]] = {}
    for m in messages:
        by_contact.setdefault(m.contact_id, []).append(m)
    items = []
    for row in rows:
        mine = by_contact.get(row.contact_id, [])
        mailbox = room.mailboxes.get((tenant_id, mine[0].mailbox_id)) if mine else None
        items.append(
            ContactTimers(
                contact_id=row.contact_id,
                queue_id=row.queue_id,
                agent_id=row.agent_id,
                status=row.status,
                subject=row.subject,
                created_at=row.created_at.isoformat(),
                timers=timers_of(room.host, row, mailbox, mine),
            )
        )
    return TimerReport(items=items)
