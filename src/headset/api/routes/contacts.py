"""Contacts: the API channel, queries with filters and a timeline, notes."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission
from headset.api import idempotency
from headset.api.deps import Caller, Rt, reading
from headset.api.read_audit import CONTACT_VIEWED, audit_read
from headset.api.routes.customers import CustomerIn
from headset.contacts.start import ClaimedCustomer, StartContact, requirements_of
from headset.core.errors import Invalid, NotFound
from headset.core.ids import new_id
from headset.customers.matching import Claim, Source
from headset.handling import notes
from headset.handling.notes import Note
from headset.routing.model import Channel, Direction
from headset.routing.records import ContactStatus
from headset.service import contact_reads
from headset.service.contact_reads import ContactDetail, ContactFilter, ContactPage

# other routes still import these two from here (explicit re-exports); their home is
# service/contact_reads.py, where those routes' new homes should take them from
from headset.service.contact_reads import load_contact as load_contact
from headset.service.contact_reads import scoped as scoped
from headset.service.contacts import Alongside, start_contact

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


class ContactAnswer(BaseModel):
    """A contact started over the API: where it waits and its status now."""

    contact_id: str
    queue_id: str
    status: str


@router.post("", status_code=201)
async def create_contact(
    tenant_id: str,
    body: ContactIn,
    who: Caller,
    rt: Rt,
    idempotency_key: Annotated[str | None, Header(min_length=1, max_length=200)] = None,
) -> ContactAnswer:
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
    return ContactAnswer(contact_id=contact_id, queue_id=body.queue_id, status=started.status)


def _contact_answer(rt: Any, contact_id: str, queue_id: str) -> ContactAnswer:
    live = rt.host.engine.state.contacts.get(contact_id)
    status = live.status if live else ContactStatus.WAITING
    return ContactAnswer(contact_id=contact_id, queue_id=queue_id, status=status)


def _first_answer(rt: Any, keyed: idempotency.IdempotentRequest) -> dict[str, Any] | None:
    with reading(rt) as conn:
        return idempotency.first_answer(conn, keyed)


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
) -> ContactPage:
    """Newest first; pass `next_cursor` back as `cursor` for the next page."""
    scope = who.check(tenant_id, Permission.CONTACT_READ)
    kind = channel.value if channel else None
    where = ContactFilter(status, queue_id, kind, agent_id, customer_id, since, until)
    with reading(rt) as conn:
        return contact_reads.list_contacts(conn, tenant_id, scope, who, where, limit, cursor)


@router.get("/{contact_id}")
async def get_contact(tenant_id: str, contact_id: str, who: Caller, rt: Rt) -> ContactDetail:
    """The contact with its event timeline and notes; the read is audited."""
    scope = who.check(tenant_id, Permission.CONTACT_READ)

    def read() -> ContactDetail:
        with reading(rt) as conn:
            log = rt.host.event_log
            return contact_reads.contact_detail(conn, log, tenant_id, contact_id, scope, who)

    detail = await run_in_threadpool(read)
    await audit_read(rt, who, tenant_id, CONTACT_VIEWED, contact_id=contact_id)
    return detail


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=10_000)


@router.post("/{contact_id}/notes", status_code=201)
async def add_note(tenant_id: str, contact_id: str, body: NoteIn, who: Caller, rt: Rt) -> Note:
    return await notes.add_note(rt.host, who, tenant_id, contact_id, body.text)
