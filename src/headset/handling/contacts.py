"""Ending, wrapping up, transferring, escalating a live contact; a callback asked for or a
customer gone before an answer (the API channel reports those)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from headset.access.caller import Caller
from headset.access.permissions import Permission
from headset.core.errors import Conflict, Invalid, NotFound
from headset.core.messages import Command
from headset.handling.caller import check_holds, check_may_reassign, live_contact
from headset.handling.notes import new_note, write_note
from headset.routing.commands import (
    AbandonContact,
    EndContact,
    EscalateContact,
    FinishWrapUp,
    RequestCallback,
    TransferContact,
)
from headset.routing.records import ContactStatus
from headset.service.host import EngineHost
from headset.service.operations import Operation, Write
from headset.storage.tables import dispositions


@dataclass(frozen=True, slots=True)
class ContactMoved:
    """A contact's status once the action is durable."""

    contact_id: str
    status: str


@dataclass(frozen=True, slots=True)
class WrappedUp:
    """A contact whose after-contact work is done."""

    contact_id: str
    status: str
    disposition: str | None


@dataclass(frozen=True, slots=True)
class Transferred:
    """A contact sent to another queue or agent."""

    contact_id: str
    status: str
    queue_id: str | None
    agent_id: str | None


@dataclass(frozen=True, slots=True)
class Escalated:
    """A contact raised to a team's leaders."""

    contact_id: str
    status: str
    team_id: str


@dataclass(frozen=True, slots=True)
class CallbackAsked:
    """A waiting contact that keeps its place and will be called back."""

    contact_id: str
    is_callback: bool


async def _run(
    host: EngineHost, who: Caller, tenant_id: str, command: Command, write: Write | None = None
) -> None:
    await host.submit(
        Operation(commands=[command], write=write, tenant_id=tenant_id, actor=who.actor)
    )


async def end_contact(
    host: EngineHost, who: Caller, tenant_id: str, contact_id: str
) -> ContactMoved:
    """The conversation is over; wrap-up starts."""
    scope = who.check(tenant_id, Permission.CONTACT_HANDLE)
    check_holds(host, who, scope, live_contact(host, tenant_id, contact_id))
    await _run(host, who, tenant_id, EndContact(contact_id))
    return ContactMoved(contact_id, ContactStatus.WRAP_UP.value)


async def wrap_up(
    host: EngineHost,
    who: Caller,
    tenant_id: str,
    contact_id: str,
    disposition: str | None,
    notes: str | None,
) -> WrappedUp:
    """Finishes after-contact work with a disposition (one of the tenant's) and notes."""
    scope = who.check(tenant_id, Permission.CONTACT_HANDLE)
    contact = live_contact(host, tenant_id, contact_id)
    check_holds(host, who, scope, contact)
    if contact.status is not ContactStatus.WRAP_UP:
        raise Conflict(f"contact {contact_id!r} is {contact.status.value}; end it first")
    note = new_note(who, contact_id, notes, host.clock.now()) if notes else None

    def write(conn: Connection) -> None:
        if disposition is not None and not _is_disposition(conn, tenant_id, disposition):
            raise Invalid(f"unknown disposition {disposition!r}; pick one of the list")
        if note is not None:
            write_note(conn, tenant_id, note)

    await _run(host, who, tenant_id, FinishWrapUp(contact_id, disposition), write)
    return WrappedUp(contact_id, ContactStatus.COMPLETED.value, disposition)


def _is_disposition(conn: Connection, tenant_id: str, code: str) -> bool:
    query = select(dispositions.c.code).where(
        dispositions.c.tenant_id == tenant_id, dispositions.c.code == code
    )
    return conn.execute(query).first() is not None


async def transfer(
    host: EngineHost,
    who: Caller,
    tenant_id: str,
    contact_id: str,
    queue_id: str | None,
    agent_id: str | None,
) -> Transferred:
    """To another queue or agent of the tenant; a waiting contact is reassigned."""
    contact = live_contact(host, tenant_id, contact_id)
    if contact.is_in_line:
        scope = who.check(tenant_id, Permission.CONTACT_REASSIGN)
        check_may_reassign(host, who, scope, contact)
    else:
        scope = who.check(tenant_id, Permission.CONTACT_TRANSFER)
        check_holds(host, who, scope, contact)
    if queue_id is not None and host.tenancy.queues.get(queue_id) != tenant_id:
        raise NotFound(f"no queue {queue_id!r} in tenant {tenant_id!r}")
    if agent_id is not None:
        place = host.tenancy.agents.get(agent_id)
        if place is None or place[0] != tenant_id:
            raise NotFound(f"no agent {agent_id!r} in tenant {tenant_id!r}")
    await _run(host, who, tenant_id, TransferContact(contact_id, queue_id, agent_id))
    return Transferred(contact_id, ContactStatus.WAITING.value, queue_id, agent_id)


async def escalate(
    host: EngineHost, who: Caller, tenant_id: str, contact_id: str, team_id: str | None
) -> Escalated:
    """Raises the contact to the team leaders of the agent's team (or of `team_id`)."""
    scope = who.check(tenant_id, Permission.CONTACT_ESCALATE)
    contact = live_contact(host, tenant_id, contact_id)
    check_holds(host, who, scope, contact)
    if team_id is None:
        place = host.tenancy.agents.get(contact.agent_id or "")
        team_id = place[1] if place else None
    if team_id is None:
        raise Invalid("the agent has no team; name the team_id to escalate to")
    leaders = host.engine.state.leaders.get(team_id, set())
    if not any(host.tenancy.agents.get(a, ("",))[0] == tenant_id for a in leaders):
        raise NotFound(f"team {team_id!r} of tenant {tenant_id!r} has no team leader to ask")
    await _run(host, who, tenant_id, EscalateContact(contact_id, team_id))
    return Escalated(contact_id, ContactStatus.WAITING.value, team_id)


async def request_callback(
    host: EngineHost, who: Caller, tenant_id: str, contact_id: str
) -> CallbackAsked:
    """The waiting customer asks to be called back; the contact keeps its place."""
    who.check(tenant_id, Permission.CONTACT_CALLBACK)
    live_contact(host, tenant_id, contact_id)
    await _run(host, who, tenant_id, RequestCallback(contact_id))
    return CallbackAsked(contact_id, is_callback=True)


async def abandon(host: EngineHost, who: Caller, tenant_id: str, contact_id: str) -> ContactMoved:
    """The customer left before an answer (the API channel reports it)."""
    who.check(tenant_id, Permission.CONTACT_CREATE)
    live_contact(host, tenant_id, contact_id)
    await _run(host, who, tenant_id, AbandonContact(contact_id))
    return ContactMoved(contact_id, ContactStatus.ABANDONED.value)
