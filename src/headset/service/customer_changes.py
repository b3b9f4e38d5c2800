"""Changing customers: an authenticated caller's customer saved, a possible match confirmed.

Both are operations of their own through the engine host; the rule of who a customer is
lives in customers/matching.py, the SQL in service/customers.py.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field
from sqlalchemy import Connection, select

from headset.access.caller import Caller
from headset.access.permissions import Scope
from headset.customers.matching import Claim, Source
from headset.directory.events import DirectoryChanged, DirectoryEventType
from headset.service import customers as customer_store
from headset.service.audit_trail import Audited, AuditEventType
from headset.service.customer_views import (
    CustomerOut,
    customer_out,
    customers_of,
    handled_contacts,
    refuse_unseen,
)
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.tables import customers

if TYPE_CHECKING:
    from headset.bootstrap import Services


class CustomerIn(BaseModel):
    """A customer as an authenticated caller gives it (verified input)."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 ()./-]{3,40}$")
    email: EmailStr | None = None
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    external_id: str | None = Field(default=None, max_length=200)

    def claim(self) -> Claim:
        """What the caller says about the customer, as the matching rule takes it."""
        return Claim(**self.model_dump(exclude_none=True))


class MatchConfirmed(BaseModel):
    """A customer merged into its customer of record, and the contacts that moved."""

    customer_id: str
    merged_into_id: str
    contact_ids: list[str]


def save_customer(conn: Connection, tenant_id: str, body: CustomerIn, now: datetime) -> str:
    """An authenticated caller's customer (verified input, customers/matching.py): the one with
    the same external id brought up to date with what was sent, or a new one."""
    return customer_store.save_customer(conn, tenant_id, body.claim(), Source.VERIFIED, now)


async def create_customer(
    host: EngineHost, tenant_id: str, body: CustomerIn, actor: str
) -> CustomerOut:
    """Saves the customer (the same external id: brought up to date) and returns it."""
    now = host.clock.now()

    def write(conn: Connection) -> CustomerOut:
        customer_id = save_customer(conn, tenant_id, body, now)
        row = conn.execute(
            select(customers).where(
                customers.c.tenant_id == tenant_id, customers.c.customer_id == customer_id
            )
        ).one()
        return customer_out(row)

    event = DirectoryChanged(
        DirectoryEventType.CUSTOMER_SAVED, tenant_id, f"customers:{tenant_id}",
        {"external_id": body.external_id}, actor, now,
    ).new_event()  # fmt: skip
    outcome = await host.submit(Operation(write=write, events=[event], actor=actor))
    assert isinstance(outcome.written, CustomerOut)
    return outcome.written


async def confirm_customer_match(
    services: Services, who: Caller, tenant_id: str, customer_id: str, scope: Scope
) -> MatchConfirmed:
    """Someone who checked the customer's identity (an agent handling their contact, or a
    role that sees every customer) confirms the possible match: the customer's contacts move
    to the customer of record, whose profile stays as it was. Audited."""
    held = handled_contacts(services.host, who.agent_id, tenant_id)

    def read() -> tuple[Any, str | None]:
        with services.reader.connect() as conn:
            row = conn.execute(
                select(customers.c.possible_match_id).where(
                    customers.c.tenant_id == tenant_id, customers.c.customer_id == customer_id
                )
            ).first()
            return row, customers_of(conn, tenant_id, held).get(customer_id)

    row, for_contact = await asyncio.to_thread(read)
    refuse_unseen(
        row is None or (scope is Scope.OWN and for_contact is None), tenant_id, customer_id
    )
    detail = {
        "customer_ids": [customer_id, row.possible_match_id],
        "customer_id": customer_id,
        "merged_into_id": row.possible_match_id,
        **({"for_contact_id": for_contact} if for_contact else {}),
    }
    event = Audited(
        AuditEventType.CUSTOMER_MATCH_CONFIRMED, tenant_id, detail, who.actor, services.now()
    ).new_event()

    def write(conn: Connection) -> MatchConfirmed:
        return MatchConfirmed(**customer_store.confirm_match(conn, tenant_id, customer_id))

    outcome = await services.host.submit(
        Operation(write=write, events=[event], tenant_id=tenant_id, actor=who.actor)
    )
    assert isinstance(outcome.written, MatchConfirmed)
    return outcome.written
