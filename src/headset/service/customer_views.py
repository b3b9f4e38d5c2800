"""What the API shows of customers, and what an agent's right to see one rests on.

An agent's scope is `own`: the customers of the live contacts they are connected to or
wrapping up (`handled_contacts`), for as long as they hold them. Everyone else sees what
their scope of the permission reaches.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, select

from headset.core.errors import NotFound
from headset.service.host import EngineHost
from headset.storage.tables import contacts


class CustomerOut(BaseModel):
    """A customer's profile (personal data)."""

    customer_id: str
    name: str | None
    phone: str | None
    email: str | None
    language: str | None
    external_id: str | None
    created_at: str
    #: Made from unverified input that named this existing customer, until confirmed.
    possible_match_id: str | None
    #: The customer someone confirmed this one to be: its contacts moved there.
    merged_into_id: str | None


class PossibleMatch(BaseModel):
    """Who an unverified customer may be: a masked hint, never their name or address."""

    customer_id: str
    hint: str
    is_verified: bool


class CustomerCard(CustomerOut):
    """A customer's profile with the possible match an agent may confirm."""

    possible_match: PossibleMatch | None


def customer_out(row: Any) -> CustomerOut:
    """A stored customer as the API shows it."""
    fields = {name: getattr(row, name) for name in CustomerOut.model_fields}
    return CustomerOut(**{**fields, "created_at": row.created_at.isoformat()})


def handled_contacts(host: EngineHost, agent_id: str | None, tenant_id: str) -> list[str]:
    """The live contacts of `tenant_id` the agent is connected to or wrapping up: what gives
    an agent a need to know their customer. An offer not yet accepted does not."""
    record = host.engine.state.agents.get(agent_id) if agent_id else None
    if record is None:
        return []
    held = record.connected | record.wrapping
    return sorted(c for c in held if host.tenancy.contacts.get(c) == tenant_id)


def customers_of(conn: Connection, tenant_id: str, contact_ids: list[str]) -> dict[str, str]:
    """customer id -> the first of `contact_ids` that belongs to that customer."""
    if not contact_ids:
        return {}
    rows = conn.execute(
        select(contacts.c.customer_id, contacts.c.contact_id)
        .where(contacts.c.tenant_id == tenant_id, contacts.c.contact_id.in_(contact_ids))
        .order_by(contacts.c.contact_id)
    )
    found: dict[str, str] = {}
    for row in rows:
        if row.customer_id is not None:
            found.setdefault(row.customer_id, row.contact_id)
    return found


def refuse_unseen(unseen: bool, tenant_id: str, customer_id: str) -> None:
    """404 for a customer that does not exist and for one the caller may not see (an agent
    not handling a contact of theirs): like contacts out of scope, the answer does not tell
    whether the customer exists."""
    if unseen:
        raise NotFound(
            f"no customer {customer_id!r} in tenant {tenant_id!r} among those you may see; "
            "an agent sees a customer while handling one of their contacts"
        )
