"""Starting a contact: the one action every channel calls (the rule is contacts/start.py).

`start_contact` submits one operation through the engine host: the contact's row, its
customer (matched by customers/matching.py through service/customers.py), the engine's
`QueueContact`, and the channel's own part (`Alongside`: a chat's session and first message,
a callback request, an e-mail's thread, an idempotency answer), all committed or none.
The switchboard submits the operation with a call step of its own (`start_operation`), and
queues a call that leaves its IVR with `queue_after_ivr`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, update

from headset.contacts.start import (
    QUEUED_COLUMNS,
    ClaimedCustomer,
    Decision,
    KnownCustomer,
    StartContact,
    decide,
)
from headset.core.messages import Command
from headset.routing.records import ContactStatus
from headset.service.customers import save_customer
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.event_log import NewEvent
from headset.storage.tables import contacts

#: The channel's SQL work in the contact's transaction, given the contact's customer id.
ChannelWrite = Callable[[Connection, str | None], Any]


@dataclass(frozen=True, slots=True)
class Alongside:
    """The channel's own part of the operation that starts a contact."""

    #: Engine commands after the contact is queued (a callback, a transfer to an agent).
    commands: tuple[Command, ...] = ()
    #: Rows and checks of the channel, run after the contact's row is written.
    write: ChannelWrite | None = None
    events: tuple[NewEvent, ...] = ()


@dataclass(frozen=True, slots=True)
class StartedContact:
    """A contact once it is durable."""

    contact_id: str
    queue_id: str
    #: Its status right after the start (an auto-answered contact may be connected already).
    status: ContactStatus
    customer_id: str | None
    #: What the channel's write returned.
    written: Any = None


@dataclass(frozen=True, slots=True)
class _Written:
    customer_id: str | None
    written: Any


def start_operation(
    host: EngineHost,
    start: StartContact,
    *,
    actor: str,
    alongside: Alongside | None = None,
    now: datetime | None = None,
) -> Operation:
    """The operation that starts the contact, for a caller that submits it with work of its
    own (a call step); everyone else calls `start_contact`."""
    alongside = alongside or Alongside()
    at = host.clock.now() if now is None else now
    decision = _decide(host, start, at)
    commands: list[Command] = [decision.command] if decision.command is not None else []
    commands += alongside.commands
    if start.customer is None and alongside.write is None:
        # the API's usual contact: its row is batched with the other operations' rows
        return Operation(
            commands=commands,
            inserts=[(contacts, {**decision.row, "customer_id": None})],
            events=alongside.events,
            tenant_id=start.tenant_id,
            actor=actor,
        )
    customer, extra = start.customer, alongside.write

    def write(conn: Connection) -> _Written:
        customer_id = _customer_id(conn, start.tenant_id, customer, at)
        conn.execute(insert(contacts).values(**decision.row, customer_id=customer_id))
        return _Written(customer_id, extra(conn, customer_id) if extra is not None else None)

    return Operation(
        commands=commands,
        write=write,
        events=alongside.events,
        tenant_id=start.tenant_id,
        actor=actor,
    )


async def start_contact(
    host: EngineHost,
    start: StartContact,
    *,
    actor: str,
    alongside: Alongside | None = None,
    now: datetime | None = None,
) -> StartedContact:
    """Starts the contact; returns once it is durable (and, unless it is in its IVR, queued
    and possibly offered), or raises why not (nothing stored)."""
    outcome = await host.submit(
        start_operation(host, start, actor=actor, alongside=alongside, now=now)
    )
    done = outcome.written if isinstance(outcome.written, _Written) else _Written(None, None)
    return StartedContact(
        start.contact_id,
        start.queue_id,
        status_now(host, start),
        done.customer_id,
        done.written,
    )


def status_now(host: EngineHost, start: StartContact) -> ContactStatus:
    """The contact's status as the engine holds it; as it was stored while the engine does
    not hold it (a call in its IVR)."""
    live = host.engine.state.contacts.get(start.contact_id)
    if live is not None:
        return live.status
    return ContactStatus.IVR if start.is_in_ivr else ContactStatus.WAITING


def queue_after_ivr(host: EngineHost, start: StartContact) -> Operation:
    """The operation that queues a contact started in its IVR, in the queue its IVR chose:
    its row takes the status, queue, priority, requirements and subject (and the time in
    line from now) that a contact started there and then would have."""
    decision = _decide(host, replace(start, is_in_ivr=False), host.clock.now())
    values = {column: decision.row[column] for column in QUEUED_COLUMNS}

    def write(conn: Connection) -> None:
        conn.execute(
            update(contacts)
            .where(
                contacts.c.tenant_id == start.tenant_id,
                contacts.c.contact_id == start.contact_id,
            )
            .values(**values)
        )

    commands = [decision.command] if decision.command is not None else []
    return Operation(commands=commands, write=write, tenant_id=start.tenant_id)


def _decide(host: EngineHost, start: StartContact, now: datetime) -> Decision:
    queue = host.engine.state.queues.get(start.queue_id)
    return decide(start, queue.priority if queue is not None else None, now)


def _customer_id(
    conn: Connection,
    tenant_id: str,
    customer: ClaimedCustomer | KnownCustomer | None,
    now: datetime,
) -> str | None:
    if isinstance(customer, ClaimedCustomer):
        return save_customer(conn, tenant_id, customer.claim, customer.source, now)
    if isinstance(customer, KnownCustomer):
        return customer.customer_id
    return None
