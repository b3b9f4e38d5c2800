"""Contacts: the API channel, queries with filters and a timeline, notes."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query
from pydantic import BaseModel, ConfigDict, Field

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt, reading
from headset.customers.matching import Claim
from headset.handling import notes
from headset.handling.notes import Note
from headset.routing.model import Channel, Direction
from headset.service import api_contacts, contact_reads, idempotency
from headset.service.api_contacts import ContactAnswer, ContactRequest
from headset.service.contact_reads import ContactDetail, ContactFilter, ContactPage
from headset.service.customer_changes import CustomerIn

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
    key = None
    if idempotency_key is not None:
        sent = body.model_dump_json()
        key = idempotency.keyed(tenant_id, who.actor, "create_contact", idempotency_key, sent)
    customer = body.customer
    request = ContactRequest(
        **body.model_dump(exclude={"customer"}),
        tenant_id=tenant_id,
        customer=Claim(**customer.model_dump(exclude_none=True)) if customer else None,
    )
    voice = rt.settings.is_voice_enabled
    answer = await api_contacts.create_contact(
        rt.host, rt.reader, request, actor=who.actor, is_voice_enabled=voice, key=key
    )
    # the writer publishes (offer included) before it answers: this is the service's share
    rt.metrics.contact_to_offer.observe(time.perf_counter() - started_at)
    return answer


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
    return await contact_reads.read_contact(rt, tenant_id, contact_id, who)


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=10_000)


@router.post("/{contact_id}/notes", status_code=201)
async def add_note(tenant_id: str, contact_id: str, body: NoteIn, who: Caller, rt: Rt) -> Note:
    return await notes.add_note(rt.host, who, tenant_id, contact_id, body.text)
