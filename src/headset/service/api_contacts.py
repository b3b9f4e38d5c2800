"""The API channel: an integration starts a contact, once per `Idempotency-Key`
(service/idempotency.py), through the one `start_contact` every channel uses."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import Engine as SqlEngine

from headset.contacts.start import ClaimedCustomer, StartContact, requirements_of
from headset.core.errors import Invalid, NotFound
from headset.core.ids import new_id
from headset.customers.matching import Claim, Source
from headset.routing.model import Channel, Direction
from headset.routing.records import ContactStatus
from headset.service import idempotency
from headset.service.contacts import Alongside, start_contact
from headset.service.host import EngineHost
from headset.service.idempotency import IdempotentRequest


@dataclass(frozen=True, slots=True)
class ContactRequest:
    """A contact an integration asks for: which queue, what it needs, who the customer is."""

    tenant_id: str
    queue_id: str
    channel: Channel = Channel.CHAT
    direction: Direction = Direction.INBOUND
    priority: int | None = None
    #: Required skills with their minimum proficiency (1-10).
    skills: Mapping[str, int] = field(default_factory=dict)
    language: str | None = None
    subject: str | None = None
    external_ref: str | None = None
    customer: Claim | None = None


@dataclass(frozen=True, slots=True)
class ContactAnswer:
    """A contact started over the API: where it waits and its status now."""

    contact_id: str
    queue_id: str
    status: str


async def create_contact(
    host: EngineHost,
    reader: SqlEngine,
    request: ContactRequest,
    *,
    actor: str,
    is_voice_enabled: bool,
    key: IdempotentRequest | None = None,
) -> ContactAnswer:
    """Queues the contact (durable, and offered if an agent is free, before it returns); with
    a key sent before, answers the first contact instead of making another."""
    if key is not None:
        earlier = await asyncio.to_thread(_first_answer, reader, key)
        if earlier is not None:
            return _answer_now(host, earlier["contact_id"], earlier["queue_id"])
    _check(host, request, is_voice_enabled)
    contact_id = new_id("c")
    customer = None
    if request.customer is not None:  # a caller with a token knows its customer
        customer = ClaimedCustomer(request.customer, Source.VERIFIED)
    start = StartContact(
        request.tenant_id,
        contact_id,
        request.queue_id,
        request.channel,
        request.direction,
        request.priority,
        requirements_of(request.skills),
        request.language,
        request.subject,
        request.external_ref,
        customer,
    )
    also = None
    if key is not None:
        answer = {"contact_id": contact_id, "queue_id": request.queue_id}
        also = Alongside(
            write=lambda conn, _customer_id: idempotency.check_unanswered(conn, key),
            events=(idempotency.answered(key, answer, host.clock.now(), actor),),
        )
    started = await start_contact(host, start, actor=actor, alongside=also)
    return ContactAnswer(contact_id, request.queue_id, started.status.value)


def _check(host: EngineHost, request: ContactRequest, is_voice_enabled: bool) -> None:
    if host.tenancy.queues.get(request.queue_id) != request.tenant_id:
        raise NotFound(f"no queue {request.queue_id!r} in tenant {request.tenant_id!r}")
    if any(not 1 <= m <= 10 for m in request.skills.values()):
        raise Invalid("skill minimums are 1-10")
    if request.channel is Channel.VOICE and is_voice_enabled:
        # with calls on, agents answer voice contacts on the softphone: a contact without a
        # caller on the media hub would ring it with nobody on the line
        raise Invalid(
            "with calls on, a voice contact starts with a call (POST /api/v1/voice/{widget_key}"
            "/calls); create contacts of other channels here",
            field="channel",
            code="voice_needs_a_call",
        )


def _first_answer(reader: SqlEngine, key: IdempotentRequest) -> dict[str, str] | None:
    with reader.connect() as conn:
        return idempotency.first_answer(conn, key)


def _answer_now(host: EngineHost, contact_id: str, queue_id: str) -> ContactAnswer:
    live = host.engine.state.contacts.get(contact_id)
    status = live.status if live else ContactStatus.WAITING
    return ContactAnswer(contact_id, queue_id, status.value)
