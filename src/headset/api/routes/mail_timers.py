"""E-mail timers of many contacts at once: `GET /tenants/{t}/stats/mail-timers`.

The first-response and resolution timers of the tenant's e-mail contacts (newest first),
in the business hours of each contact's queue, as on each conversation resource
(docs/email.md, "Timers"); `open=true` keeps only contacts not wrapped up yet. Like the
contact list, `contact.read` in the caller's scope decides which contacts are listed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt, reading
from headset.api.routes.contacts import scoped
from headset.api.routes.mail_conversations import timers
from headset.core.errors import Invalid
from headset.routing.model import Channel
from headset.storage.tables import contacts, mail_messages

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/stats", tags=["e-mail"])


@router.get("/mail-timers")
def mail_timers(
    tenant_id: str,
    who: Caller,
    rt: Rt,
    open_only: bool = Query(default=False, alias="open"),
    since: datetime | None = None,
    limit: int = Query(default=100, ge=1, le=500),
) -> dict[str, Any]:
    """The timers of e-mail contacts, newest first."""
    scope = who.check(tenant_id, Permission.CONTACT_READ)
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
    with reading(rt) as conn:
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
    boxes = rt.mailroom.mailboxes
    items = []
    for row in rows:
        mine = by_contact.get(row.contact_id, [])
        mailbox = boxes.get((tenant_id, mine[0].mailbox_id)) if mine else None
        items.append(
            {
                "contact_id": row.contact_id,
                "queue_id": row.queue_id,
                "agent_id": row.agent_id,
                "status": row.status,
                "subject": row.subject,
                "created_at": row.created_at.isoformat(),
                "timers": timers(rt, row, mailbox, mine),
            }
        )
    return {"items": items}
