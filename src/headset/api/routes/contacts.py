"""Contacts: the API channel, queries with filters and a timeline, notes."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, and_, insert, or_, select
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission, Scope
from headset.api import idempotency
from headset.api.deps import Caller, Rt, reading
from headset.api.principal import Principal
from headset.api.read_audit import CONTACT_VIEWED, audit_read
from headset.api.routes.customers import CustomerIn
from headset.contacts.start import ClaimedCustomer, StartContact, requirements_of
from headset.core.errors import Invalid, NotFound
from headset.core.ids import new_id
from headset.customers.matching import Claim, Source
from headset.routing.model import Channel, Direction
from headset.routing.records import ContactStatus
from headset.service.contacts import Alongside, start_contact
from headset.service.operations import Operation
from headset.storage.event_log import NewEvent
from headset.storage.tables import contacts, notes

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/contacts", tags=["contacts"])


class ContactIn(BaseModel):
    """A contact from an integration: which queue, what it needs, who the customer is."""

    model_config = ConfigDict(extra="forbid")
    queue_id: str
    channel: Channel = Channel.CHAT
    direction: Direction = Direction.INBOUND
    priority: int | None = Field(default=None, ge=-100, le=100)
    #: Required skills with their minimum proficiency (1-10).
    skills: dict[str, int] = Field(default={}, max_length=20)
    language: str | None = Field(default=None, max_length=10)
    subject: str | None = Field(default=None, max_length=500)
    customer: CustomerIn | None = None
    external_ref: str | None = Field(default=None, max_length=200)


def contact_body(row: Any) -> dict[str, Any]:
    body = {c: getattr(row, c) for c in [col.name for col in contacts.c]}
    return body


@router.post("", status_code=201)
async def create_contact(
    tenant_id: str,
    body: ContactIn,
    who: Caller,
    rt: Rt,
    idempotency_key: Annotated[str | None, Header(min_length=1, max_length=200)] = None,
) -> dict[str, Any]:
    """Queues a new inbound contact; it is durable before this answers. Sent again with the
    same `Idempotency-Key`, it answers the first contact instead of making another."""
    started_at = time.perf_counter()
    who.check(tenant_id, Permission.CONTACT_CREATE)
    keyed = None
    if idempotency_key is not None:
        keyed = idempotency.keyed(tenant_id, who, "create_contact", idempotency_key, body)
        earlier = await run_in_threadpool(_first_answer, rt, keyed)
        if earlier is not None:
            return _contact_answer(rt, earlier["contact_id"], earlier["queue_id"])
    if rt.host.tenancy.queues.get(body.queue_id) != tenant_id:
        raise NotFound(f"no queue {body.queue_id!r} in tenant {tenant_id!r}")
    if any(not 1 <= m <= 10 for m in body.skills.values()):
        raise Invalid("skill minimums are 1-10")
    if body.channel is Channel.VOICE and rt.settings.is_voice_enabled:
        # with calls on, agents answer voice contacts on the softphone: a contact without a
        # caller on the media hub would ring it with nobody on the line
        raise Invalid(
            "with calls on, a voice contact starts with a call (POST /api/v1/voice/{widget_key}"
            "/calls); create contacts of other channels here",
            field="channel",
            code="voice_needs_a_call",
        )
    contact_id = new_id("c")
    customer = None
    if body.customer is not None:
        claim = Claim(**body.customer.model_dump(exclude_none=True))
        customer = ClaimedCustomer(claim, Source.VERIFIED)  # a caller with a token knows
    start = StartContact(
        tenant_id,
        contact_id,
        body.queue_id,
        body.channel,
        body.direction,
        body.priority,
        requirements_of(body.skills),
        body.language,
        body.subject,
        body.external_ref,
        customer,
    )
    also = None
    if keyed is not None:
        request = keyed
        answer = {"contact_id": contact_id, "queue_id": body.queue_id}
        also = Alongside(
            write=lambda conn, _customer_id: idempotency.check_unanswered(conn, request),
            events=(idempotency.answered(keyed, answer, rt.now(), who.actor),),
        )
    started = await start_contact(rt.host, start, actor=who.actor, alongside=also)
    # the writer publishes (offer included) before it answers: this is the service's share
    rt.metrics.contact_to_offer.observe(time.perf_counter() - started_at)
    return {"contact_id": contact_id, "queue_id": body.queue_id, "status": started.status.value}


def _contact_answer(rt: Any, contact_id: str, queue_id: str) -> dict[str, Any]:
    live = rt.host.engine.state.contacts.get(contact_id)
    status = live.status if live else ContactStatus.WAITING
    return {"contact_id": contact_id, "queue_id": queue_id, "status": status.value}


def _first_answer(rt: Any, keyed: idempotency.IdempotentRequest) -> dict[str, Any] | None:
    with reading(rt) as conn:
        return idempotency.first_answer(conn, keyed)


def scoped(query: Any, scope: Scope, who: Principal) -> Any:
    """Narrows a contacts query to what the caller's scope lets them see."""
    if scope is Scope.OWN:
        return query.where(contacts.c.agent_id == (who.agent_id or ""))
    if scope is Scope.TEAM:
        return query.where(
            or_(contacts.c.team_id.in_(who.led_teams), contacts.c.agent_id == (who.agent_id or ""))
        )
    return query


def _cursor(row: Any) -> str:
    raw = json.dumps([row.created_at.isoformat(), row.contact_id]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _after(cursor: str) -> tuple[datetime, str]:
    try:
        created, contact_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(created), str(contact_id)
    except (ValueError, TypeError) as error:
        raise Invalid("the cursor is not one this API gave out; start without it") from error


@router.get("")
def list_contacts(
    tenant_id: str,
    who: Caller,
    rt: Rt,
    status: str | None = Query(default=None, max_length=20),
    queue_id: str | None = Query(default=None, max_length=64),
    channel: Channel | None = None,
    agent_id: str | None = Query(default=None, max_length=64),
    customer_id: str | None = Query(default=None, max_length=64),
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = Query(default=50, ge=1, le=500),
    cursor: str | None = Query(default=None, max_length=500),
) -> dict[str, Any]:
    """Newest first; pass `next_cursor` back as `cursor` for the next page."""
    scope = who.check(tenant_id, Permission.CONTACT_READ)
    query = scoped(select(contacts).where(contacts.c.tenant_id == tenant_id), scope, who)
    for column, value in (
        ("status", status),
        ("queue_id", queue_id),
        ("agent_id", agent_id),
        ("customer_id", customer_id),
        ("channel", channel.value if channel else None),
    ):
        if value is not None:
            query = query.where(contacts.c[column] == value)
    for bound in (since, until):
        if bound is not None and bound.tzinfo is None:
            raise Invalid("give since and until with a time zone, e.g. 2026-12-01T08:00:00Z")
    if since is not None:
        query = query.where(contacts.c.created_at >= since)
    if until is not None:
        query = query.where(contacts.c.created_at < until)
    if cursor:
        created, last_id = _after(cursor)
        query = query.where(
            or_(
                contacts.c.created_at < created,
                and_(contacts.c.created_at == created, contacts.c.contact_id < last_id),
            )
        )
    query = query.order_by(contacts.c.created_at.desc(), contacts.c.contact_id.desc())
    with reading(rt) as conn:
        rows = conn.execute(query.limit(limit + 1)).all()
    page = rows[:limit]
    return {
        "items": [contact_body(r) for r in page],
        "next_cursor": _cursor(page[-1]) if len(rows) > limit else None,
    }


def load_contact(
    conn: Connection, tenant_id: str, contact_id: str, scope: Scope, who: Principal
) -> Any:
    query = select(contacts).where(
        contacts.c.tenant_id == tenant_id, contacts.c.contact_id == contact_id
    )
    row = conn.execute(scoped(query, scope, who)).first()
    if row is None:
        raise NotFound(f"no contact {contact_id!r} in tenant {tenant_id!r}")
    return row


@router.get("/{contact_id}")
async def get_contact(tenant_id: str, contact_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    """The contact with its event timeline and notes; the read is audited."""
    scope = who.check(tenant_id, Permission.CONTACT_READ)

    def read() -> tuple[Any, Sequence[Any], list[Any]]:
        with reading(rt) as conn:
            row = load_contact(conn, tenant_id, contact_id, scope, who)
            note_rows = conn.execute(
                select(notes)
                .where(notes.c.tenant_id == tenant_id, notes.c.contact_id == contact_id)
                .order_by(notes.c.created_at)
            ).all()
        return row, note_rows, rt.host.event_log.read_stream(f"contact:{contact_id}")

    row, note_rows, timeline = await run_in_threadpool(read)
    await audit_read(rt, who, tenant_id, CONTACT_VIEWED, contact_id=contact_id)
    return {
        **contact_body(row),
        "timeline": [
            {
                "seq": e.seq,
                "type": e.type,
                "occurred_at": e.occurred_at,
                "actor": e.actor,
                "data": e.payload,
            }
            for e in timeline
        ],
        "notes": [
            {
                "note_id": n.note_id,
                "author_user_id": n.author_user_id,
                "text": n.text,
                "created_at": n.created_at,
            }
            for n in note_rows
        ],
    }


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=10_000)


@router.post("/{contact_id}/notes", status_code=201)
async def add_note(
    tenant_id: str, contact_id: str, body: NoteIn, who: Caller, rt: Rt
) -> dict[str, Any]:
    scope = who.check(tenant_id, Permission.NOTE_WRITE)
    note_id = new_id("n")
    now = rt.now()

    def write(conn: Connection) -> dict[str, Any]:
        load_contact(conn, tenant_id, contact_id, scope, who)
        values = {
            "tenant_id": tenant_id,
            "note_id": note_id,
            "contact_id": contact_id,
            "author_user_id": who.user_id or who.actor,
            "text": body.text,
            "created_at": now,
        }
        conn.execute(insert(notes).values(**values))
        return values

    event = NewEvent(
        stream_id=f"contact:{contact_id}",
        type="contact.note_added",
        payload={"note_id": note_id},
        occurred_at=now,
        tenant_id=tenant_id,
        actor=who.actor,
    )
    outcome = await rt.host.submit(Operation(write=write, events=[event], actor=who.actor))
    return {k: v for k, v in outcome.written.items() if k != "tenant_id"}
