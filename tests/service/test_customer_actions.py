"""The customers' actions and reads on the engine host over SQLite with a fake clock,
without HTTP: a verified customer saved by external id, a possible match confirmed by
someone who may see the customer, every read recorded in the audit trail."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import insert, select

from headset.access.permissions import Permission
from headset.access.roles import Role
from headset.api.principal import Principal
from headset.bootstrap import Services
from headset.contacts.start import ClaimedCustomer, StartContact
from headset.core.errors import NotFound
from headset.customers.matching import Claim, Source
from headset.routing.commands import ConfigureQueue
from headset.routing.model import Channel, QueueConfig
from headset.service.contacts import start_contact
from headset.service.customer_changes import CustomerIn, confirm_customer_match, create_customer
from headset.service.customer_reads import find_customers
from headset.service.operations import Operation
from headset.storage.tables import contacts, tenants
from tests.services_on_sqlite import services_on_sqlite

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
TENANT = "t1"
SUPERVISOR = Principal(Role.SUPERVISOR, frozenset({TENANT}), user_id="u3")
AGENT = Principal(Role.AGENT, frozenset({TENANT}), user_id="u1", agent_id="a1")


@pytest_asyncio.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    async with services_on_sqlite(tmp_path, NOW) as services:
        with services.db.begin() as conn:
            conn.execute(insert(tenants).values(tenant_id=TENANT, name="T1", created_at=NOW))
        queue = ConfigureQueue(QueueConfig("t1-chat", tenant_id=TENANT))
        await services.host.submit(Operation(commands=[queue], tenant_id=TENANT))
        yield services


def _events(services: Services, stream_id: str) -> list[tuple[str, dict[str, Any]]]:
    return [(e.type, dict(e.payload)) for e in services.host.event_log.read_stream(stream_id)]


@pytest.mark.asyncio
async def test_a_verified_customer_is_found_again_by_its_external_id(services: Services) -> None:
    first = await create_customer(
        services.host, TENANT, CustomerIn(name="Carla", external_id="crm-1"), "user:u3"
    )
    again = await create_customer(
        services.host, TENANT, CustomerIn(name="Carla Cruz", external_id="crm-1"), "user:u3"
    )

    assert again.customer_id == first.customer_id
    assert again.name == "Carla Cruz"
    saved = ("directory.customer_saved", {"external_id": "crm-1"})
    assert _events(services, f"customers:{TENANT}") == [saved, saved]


async def _claimed_customer(services: Services) -> tuple[str, str]:
    """A customer of record, and a chat whose visitor claimed that customer's address."""
    record = await create_customer(
        services.host, TENANT, CustomerIn(email="carla@example.com", external_id="crm-1"), "t"
    )
    claim = ClaimedCustomer(Claim(email="carla@example.com"), Source.UNVERIFIED)
    start = StartContact(TENANT, "k1", "t1-chat", Channel.CHAT, customer=claim)
    started = await start_contact(services.host, start, actor="customer")
    assert started.customer_id is not None
    assert started.customer_id != record.customer_id
    return record.customer_id, started.customer_id


@pytest.mark.asyncio
async def test_a_confirmed_match_moves_the_contacts_to_the_customer_of_record(
    services: Services,
) -> None:
    record_id, claimed_id = await _claimed_customer(services)
    scope = SUPERVISOR.check(TENANT, Permission.CUSTOMER_READ)

    confirmed = await confirm_customer_match(services, SUPERVISOR, TENANT, claimed_id, scope)

    assert (confirmed.merged_into_id, confirmed.contact_ids) == (record_id, ["k1"])
    with services.reader.connect() as conn:
        owner = conn.execute(select(contacts.c.customer_id).where(contacts.c.contact_id == "k1"))
        assert owner.scalar_one() == record_id
    assert _events(services, f"audit:{TENANT}") == [
        (
            "audit.customer_match_confirmed",
            {
                "customer_ids": [claimed_id, record_id],
                "customer_id": claimed_id,
                "merged_into_id": record_id,
            },
        )
    ]


@pytest.mark.asyncio
async def test_an_agent_not_handling_the_customer_cannot_confirm(services: Services) -> None:
    _, claimed_id = await _claimed_customer(services)
    scope = AGENT.check(TENANT, Permission.CUSTOMER_READ)

    with pytest.raises(NotFound):
        await confirm_customer_match(services, AGENT, TENANT, claimed_id, scope)

    assert _events(services, f"audit:{TENANT}") == []


@pytest.mark.asyncio
async def test_reading_customers_is_recorded_before_the_answer(services: Services) -> None:
    record_id, claimed_id = await _claimed_customer(services)
    scope = SUPERVISOR.check(TENANT, Permission.CUSTOMER_READ)

    found = await find_customers(services, SUPERVISOR, TENANT, scope, "carla", 10)

    assert {c.customer_id for c in found} == {record_id, claimed_id}
    [(kind, detail)] = _events(services, f"audit:{TENANT}")
    assert kind == "audit.customers_viewed"
    assert sorted(detail["customer_ids"]) == sorted([record_id, claimed_id])
