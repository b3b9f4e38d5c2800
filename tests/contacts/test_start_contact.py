"""`start_contact` through a real engine host on SQLite: every channel's start, one rule."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import Connection, insert, select

from headset.contacts.start import (
    ClaimedCustomer,
    KnownCustomer,
    StartContact,
    requirements_of,
)
from headset.core.clock import FakeClock
from headset.core.errors import Conflict
from headset.customers.matching import Claim, Source
from headset.routing.commands import ConfigureQueue, RequestCallback
from headset.routing.model import Channel, Direction, QueueConfig
from headset.routing.records import ContactStatus
from headset.service.contacts import (
    Alongside,
    StartedContact,
    queue_after_ivr,
    start_contact,
    start_operation,
)
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.database import make_engine
from headset.storage.event_log import NewEvent, SqlEventLog
from headset.storage.migrate import upgrade
from headset.storage.tables import contacts, customers, tenants

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
QUEUE_PRIORITY = 4


@pytest_asyncio.fixture
async def host(tmp_path: Path) -> AsyncIterator[EngineHost]:
    url = f"sqlite:///{tmp_path}/contacts.db"
    upgrade(url)
    db = make_engine(url)
    with db.begin() as conn:
        conn.execute(insert(tenants).values(tenant_id="t1", name="T1", created_at=NOW))
    engine_host = EngineHost(db, SqlEventLog(db), FakeClock(NOW))
    engine_host.boot()
    await engine_host.start()
    for queue_id in ("sales", "billing"):
        config = QueueConfig(queue_id, priority=QUEUE_PRIORITY, tenant_id="t1")
        await engine_host.submit(_configure(config))
    try:
        yield engine_host
    finally:
        await engine_host.stop()
        db.dispose()


def _configure(config: QueueConfig) -> Operation:
    return Operation(commands=[ConfigureQueue(config)])


def _row(host: EngineHost, contact_id: str) -> Any:
    with host.db.connect() as conn:
        return conn.execute(select(contacts).where(contacts.c.contact_id == contact_id)).one()


def _customer(host: EngineHost, customer_id: str | None) -> Any:
    with host.db.connect() as conn:
        return conn.execute(select(customers).where(customers.c.customer_id == customer_id)).one()


def assert_started_by_the_one_rule(host: EngineHost, start: StartContact, started: Any) -> Any:
    """The fields every channel's contact gets alike; returns the row for the channel's own."""
    row = _row(host, start.contact_id)
    live = host.engine.state.contacts[start.contact_id]
    assert row.status == ContactStatus.WAITING == live.status == started.status
    assert row.queue_id == live.queue_id == start.queue_id
    assert (row.channel, row.direction) == (start.channel, start.direction)
    priority = QUEUE_PRIORITY if start.priority is None else start.priority
    assert row.priority == live.priority == priority
    assert row.requirements == live.requirements == {r.skill: r.minimum for r in start.requirements}
    assert row.language == live.language == start.language
    assert row.created_at == row.queued_at == live.queued_at == NOW
    assert row.customer_id == started.customer_id
    return row


@pytest.mark.asyncio
async def test_an_integrations_contact_brings_its_verified_customer_up_to_date(
    host: EngineHost,
) -> None:
    start = StartContact(
        "t1", "c_api", "sales", Channel.CHAT, requirements=requirements_of({"billing": 3}),
        language="en", subject="Refund", external_ref="crm-17",
        customer=ClaimedCustomer(Claim(name="Bob", external_id="b1"), Source.VERIFIED),
    )  # fmt: skip
    started = await start_contact(host, start, actor="token:crm")
    again = await start_contact(
        host,
        replace(start, contact_id="c_api2", customer=ClaimedCustomer(
            Claim(name="Bob Builder", external_id="b1"), Source.VERIFIED)),
        actor="token:crm",
    )  # fmt: skip

    row = assert_started_by_the_one_rule(host, start, started)
    assert (row.subject, row.external_ref) == ("Refund", "crm-17")
    assert again.customer_id == started.customer_id
    assert _customer(host, started.customer_id).name == "Bob Builder"


@pytest.mark.asyncio
async def test_an_integrations_contact_without_a_customer_may_give_its_own_priority(
    host: EngineHost,
) -> None:
    start = StartContact("t1", "c_plain", "sales", Channel.EMAIL, priority=-2)
    started = await start_contact(host, start, actor="token:crm")

    row = assert_started_by_the_one_rule(host, start, started)
    assert row.priority == -2
    assert row.customer_id is None
    assert row.subject is None


@pytest.mark.asyncio
async def test_a_chat_gets_a_customer_of_its_own_and_its_rows_in_the_same_transaction(
    host: EngineHost,
) -> None:
    await start_contact(
        host,
        StartContact("t1", "c_known", "sales", Channel.CHAT, customer=ClaimedCustomer(
            Claim(name="Vera", email="vera@example.com"), Source.VERIFIED)),
        actor="token:crm",
    )  # fmt: skip
    seen: list[str | None] = []

    def session(conn: Connection, customer_id: str | None) -> str:
        seen.append(customer_id)
        return "session stored"

    event = NewEvent("contact:c_chat", "chat.started", {"contact_id": "c_chat"}, NOW, "t1",
                     "customer")  # fmt: skip
    start = StartContact(
        "t1", "c_chat", "sales", Channel.CHAT, requirements=requirements_of({"spanish": 2}),
        language="es", subject="Orders",
        customer=ClaimedCustomer(Claim(name="Vera?", email="vera@example.com", language="es"),
                                 Source.UNVERIFIED),
    )  # fmt: skip
    started = await start_contact(
        host, start, actor="customer", alongside=Alongside(write=session, events=(event,))
    )

    row = assert_started_by_the_one_rule(host, start, started)
    assert seen == [started.customer_id]
    assert started.written == "session stored"
    customer = _customer(host, started.customer_id)
    assert customer.name == "Vera?"  # the visitor's claim changed nobody's profile
    assert customer.possible_match_id is not None
    assert row.subject == "Orders"
    assert [e.type for e in host.event_log.read_stream("contact:c_chat")][-1] == "chat.started"


@pytest.mark.asyncio
async def test_a_left_message_is_a_chat_contact_queued_as_a_callback(host: EngineHost) -> None:
    start = StartContact(
        "t1", "c_left", "sales", Channel.CHAT, language="en", subject="Orders",
        customer=ClaimedCustomer(Claim(name="Ann", email="ann@example.com"), Source.UNVERIFIED),
    )  # fmt: skip
    started = await start_contact(
        host, start, actor="customer", alongside=Alongside(commands=(RequestCallback("c_left"),))
    )

    row = assert_started_by_the_one_rule(host, start, started)
    assert row.is_callback
    assert host.engine.state.contacts["c_left"].is_callback


@pytest.mark.asyncio
async def test_a_web_call_starts_in_its_ivr_and_is_queued_by_the_same_rule(
    host: EngineHost,
) -> None:
    ivr = StartContact(
        "t1", "c_call", "sales", Channel.VOICE, language="de", subject="Sales",
        requirements=requirements_of({"german": 1}), is_in_ivr=True,
        customer=ClaimedCustomer(Claim(name="Uwe", phone="+49 30 1234"), Source.UNVERIFIED),
    )  # fmt: skip
    started = await start_contact(host, ivr, actor="customer")
    in_ivr = _row(host, "c_call")

    assert started.status == in_ivr.status == ContactStatus.IVR
    assert in_ivr.priority == 0
    assert "c_call" not in host.engine.state.contacts

    chosen = replace(ivr, queue_id="billing", subject="Billing", requirements=(), is_in_ivr=False)
    await host.submit(queue_after_ivr(host, chosen))
    queued = StartedContact("c_call", "billing", ContactStatus.WAITING, started.customer_id)
    assert_started_by_the_one_rule(host, chosen, queued)
    assert _row(host, "c_call").subject == "Billing"


@pytest.mark.asyncio
async def test_a_consultation_is_an_outbound_call_with_its_queues_priority(
    host: EngineHost,
) -> None:
    start = StartContact(
        "t1", "c_consult", "sales", Channel.VOICE, Direction.OUTBOUND, subject="Consultation",
        external_ref="consultation:c_call",
    )  # fmt: skip
    # the switchboard submits it together with the call's hold step
    outcome = await host.submit(start_operation(host, start, actor="user:ann"))
    consulting = StartedContact("c_consult", "sales", ContactStatus.WAITING, None)

    row = assert_started_by_the_one_rule(host, start, consulting)
    assert outcome.stored[0].type == "routing.contact_queued"
    assert row.external_ref == "consultation:c_call"


@pytest.mark.asyncio
async def test_an_email_keeps_its_conversations_customer(host: EngineHost) -> None:
    first = await start_contact(
        host,
        StartContact("t1", "c_mail1", "sales", Channel.EMAIL, subject="Invoice",
                     customer=ClaimedCustomer(Claim(email="eve@example.com"), Source.UNVERIFIED)),
        actor="mail:support",
    )  # fmt: skip
    assert first.customer_id is not None
    start = StartContact(
        "t1", "c_mail2", "sales", Channel.EMAIL, subject="(no subject)",
        customer=KnownCustomer(first.customer_id),
    )  # fmt: skip
    started = await start_contact(host, start, actor="mail:support")

    assert_started_by_the_one_rule(host, start, started)
    assert started.customer_id == first.customer_id


@pytest.mark.asyncio
async def test_a_start_the_channel_refuses_stores_nothing(host: EngineHost) -> None:
    def refuse(conn: Connection, customer_id: str | None) -> None:
        raise Conflict("a request with this key was just answered")

    start = StartContact(
        "t1", "c_refused", "sales", Channel.CHAT,
        customer=ClaimedCustomer(Claim(name="Zed", email="zed@example.com"), Source.UNVERIFIED),
    )  # fmt: skip
    with pytest.raises(Conflict):
        await start_contact(host, start, actor="token:crm", alongside=Alongside(write=refuse))

    assert "c_refused" not in host.engine.state.contacts
    with host.db.connect() as conn:
        assert conn.execute(select(contacts.c.contact_id)).all() == []
        assert conn.execute(select(customers.c.customer_id)).all() == []
