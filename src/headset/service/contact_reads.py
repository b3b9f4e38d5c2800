"""Reading stored contacts: what a caller's scope lets them see, a page of contacts with
filters, and one contact with its event timeline and notes."""

from __future__ import annotations

import asyncio
import base64
import json
from dataclasses import dataclass, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Select, and_, or_, select

from headset.access.caller import Caller, Viewer
from headset.access.permissions import Permission, Scope
from headset.core.errors import Invalid, NotFound
from headset.service.audit_trail import AuditEventType, record_read
from headset.storage.event_log import SqlEventLog
from headset.storage.tables import contacts, notes

if TYPE_CHECKING:
    from headset.bootstrap import Services


@dataclass(frozen=True, slots=True)
class StoredContact:
    """A contact's row, as the API shows it."""

    tenant_id: str
    contact_id: str
    queue_id: str
    channel: str
    direction: str
    status: str
    priority: int
    customer_id: str | None
    subject: str | None
    language: str | None
    requirements: Any
    agent_id: str | None
    team_id: str | None
    disposition: str | None
    is_callback: bool
    external_ref: str | None
    created_at: datetime
    queued_at: datetime
    offered_at: datetime | None
    answered_at: datetime | None
    ended_at: datetime | None
    wrapped_at: datetime | None
    abandoned_at: datetime | None

    @classmethod
    def of(cls, row: Any) -> StoredContact:
        """The row's columns, by name."""
        return cls(**_columns(row))


def _columns(row: Any) -> dict[str, Any]:
    return {f.name: getattr(row, f.name) for f in fields(StoredContact)}


@dataclass(frozen=True, slots=True)
class ContactPage:
    """Newest first; `next_cursor` asks for the page after it."""

    items: list[StoredContact]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class ContactFilter:
    """Which contacts a page lists (all given filters at once)."""

    status: str | None = None
    queue_id: str | None = None
    channel: str | None = None
    agent_id: str | None = None
    customer_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def scoped(query: Any, scope: Scope, who: Viewer) -> Any:
    """Narrows a contacts query to what the caller's scope lets them see."""
    if scope is Scope.OWN:
        return query.where(contacts.c.agent_id == (who.agent_id or ""))
    if scope is Scope.TEAM:
        return query.where(
            or_(contacts.c.team_id.in_(who.led_teams), contacts.c.agent_id == (who.agent_id or ""))
        )
    return query


def load_contact(
    conn: Connection, tenant_id: str, contact_id: str, scope: Scope, who: Viewer
) -> Any:
    """The contact's row if the caller may see it, or NotFound."""
    query = select(contacts).where(
        contacts.c.tenant_id == tenant_id, contacts.c.contact_id == contact_id
    )
    row = conn.execute(scoped(query, scope, who)).first()
    if row is None:
        raise NotFound(f"no contact {contact_id!r} in tenant {tenant_id!r}")
    return row


def list_contacts(
    conn: Connection,
    tenant_id: str,
    scope: Scope,
    who: Viewer,
    where: ContactFilter,
    limit: int,
    cursor: str | None,
) -> ContactPage:
    """One page of the contacts the caller may see, newest first."""
    query = scoped(select(contacts).where(contacts.c.tenant_id == tenant_id), scope, who)
    for name in ("status", "queue_id", "agent_id", "customer_id", "channel"):
        value = getattr(where, name)
        if value is not None:
            query = query.where(contacts.c[name] == value)
    for bound in (where.since, where.until):
        if bound is not None and bound.tzinfo is None:
            raise Invalid("give since and until with a time zone, e.g. 2026-12-01T08:00:00Z")
    if where.since is not None:
        query = query.where(contacts.c.created_at >= where.since)
    if where.until is not None:
        query = query.where(contacts.c.created_at < where.until)
    if cursor:
        query = _after(query, cursor)
    query = query.order_by(contacts.c.created_at.desc(), contacts.c.contact_id.desc())
    rows = conn.execute(query.limit(limit + 1)).all()
    page = rows[:limit]
    return ContactPage(
        [StoredContact.of(r) for r in page], _cursor(page[-1]) if len(rows) > limit else None
    )


def _cursor(row: Any) -> str:
    raw = json.dumps([row.created_at.isoformat(), row.contact_id]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _after(query: Select[Any], cursor: str) -> Select[Any]:
    try:
        created_text, last = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        created, last_id = datetime.fromisoformat(created_text), str(last)
    except (ValueError, TypeError) as error:
        raise Invalid("the cursor is not one this API gave out; start without it") from error
    return query.where(
        or_(
            contacts.c.created_at < created,
            and_(contacts.c.created_at == created, contacts.c.contact_id < last_id),
        )
    )


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One event of the contact's stream."""

    seq: int
    type: str
    occurred_at: datetime
    actor: str | None
    data: Any


@dataclass(frozen=True, slots=True)
class ContactNote:
    """A note as shown with its contact."""

    note_id: str
    author_user_id: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ContactDetail(StoredContact):
    """The contact with its event timeline and notes."""

    timeline: list[TimelineEntry]
    notes: list[ContactNote]


def contact_detail(
    conn: Connection,
    event_log: SqlEventLog,
    tenant_id: str,
    contact_id: str,
    scope: Scope,
    who: Viewer,
) -> ContactDetail:
    """The contact the caller may see, with its timeline and notes in order."""
    row = load_contact(conn, tenant_id, contact_id, scope, who)
    note_rows = conn.execute(
        select(notes)
        .where(notes.c.tenant_id == tenant_id, notes.c.contact_id == contact_id)
        .order_by(notes.c.created_at)
    ).all()
    timeline = [
        TimelineEntry(e.seq, e.type, e.occurred_at, e.actor, e.payload)
        for e in event_log.read_stream(f"contact:{contact_id}")
    ]
    found = [ContactNote(n.note_id, n.author_user_id, n.text, n.created_at) for n in note_rows]
    return ContactDetail(**_columns(row), timeline=timeline, notes=found)


async def read_contact(
    services: Services, tenant_id: str, contact_id: str, who: Caller
) -> ContactDetail:
    """One contact for a caller allowed to read contacts (`contact_detail`); the read is
    recorded in the audit trail before it is answered (a refused read records nothing)."""
    scope = who.check(tenant_id, Permission.CONTACT_READ)

    def read() -> ContactDetail:
        with services.reader.connect() as conn:
            log = services.host.event_log
            return contact_detail(conn, log, tenant_id, contact_id, scope, who)

    detail = await asyncio.to_thread(read)
    kind = AuditEventType.CONTACT_VIEWED
    await record_read(services.host, tenant_id, kind, who.actor, contact_id=contact_id)
    return detail
