"""Storing who a contact's customer is (the rule is customers/matching.py), and an agent's
confirmation that a customer made from unverified input is the existing one it named.

Both run inside the writer's transaction: `save_customer` from the operation that creates the
contact (chat, web call, e-mail, API), `confirm_match` as an operation of its own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from headset.core.errors import Conflict
from headset.core.ids import new_id
from headset.customers.matching import Claim, Source, decide, lookup_key, masked
from headset.storage.tables import contacts, customers, mail_threads


def save_customer(
    conn: Connection, tenant_id: str, claim: Claim, source: Source, now: datetime
) -> str:
    """The customer for a new contact: an existing one (verified input only, brought up to
    date), or a new one carrying the claim, tentatively linked to the customer it names."""
    key = lookup_key(claim, source)
    found = _existing(conn, tenant_id, *key) if key is not None else None
    decision = decide(source, found)
    if decision.update_id is not None:
        if claim.values():
            conn.execute(
                update(customers)
                .where(
                    customers.c.tenant_id == tenant_id,
                    customers.c.customer_id == decision.update_id,
                )
                .values(**claim.values())
            )
        return decision.update_id
    customer_id = new_id("cu")
    conn.execute(
        insert(customers).values(
            tenant_id=tenant_id,
            customer_id=customer_id,
            created_at=now,
            possible_match_id=decision.possible_match_id,
            **claim.values(),
        )
    )
    return customer_id


def _existing(conn: Connection, tenant_id: str, column: str, value: str) -> str | None:
    """The oldest customer with `column` = `value` that is itself settled: neither a tentative
    match of another nor merged into one (a match always names the customer of record)."""
    found = conn.execute(
        select(customers.c.customer_id)
        .where(
            customers.c.tenant_id == tenant_id,
            customers.c[column] == value,
            customers.c.possible_match_id.is_(None),
            customers.c.merged_into_id.is_(None),
        )
        .order_by(customers.c.created_at, customers.c.customer_id)
        .limit(1)
    ).first()
    return str(found.customer_id) if found is not None else None


def confirm_match(conn: Connection, tenant_id: str, customer_id: str) -> dict[str, Any]:
    """Merges `customer_id` into its possible match: its contacts and e-mail conversations
    move there (so the card and the history show the customer of record). The customer of
    record is not changed; the merged row keeps the identity as it was claimed."""
    row = conn.execute(
        select(customers.c.possible_match_id, customers.c.merged_into_id).where(
            customers.c.tenant_id == tenant_id, customers.c.customer_id == customer_id
        )
    ).one()
    match_id = row.possible_match_id
    if match_id is None:
        raise Conflict(
            f"customer {customer_id!r} has no possible match to confirm"
            + (f"; it was merged into {row.merged_into_id!r}" if row.merged_into_id else ""),
            code="no_possible_match",
        )
    moved = [
        r.contact_id
        for r in conn.execute(
            select(contacts.c.contact_id).where(
                contacts.c.tenant_id == tenant_id, contacts.c.customer_id == customer_id
            )
        )
    ]
    for table in (contacts, mail_threads):
        conn.execute(
            update(table)
            .where(table.c.tenant_id == tenant_id, table.c.customer_id == customer_id)
            .values(customer_id=match_id)
        )
    conn.execute(
        update(customers)
        .where(customers.c.tenant_id == tenant_id, customers.c.customer_id == customer_id)
        .values(possible_match_id=None, merged_into_id=match_id)
    )
    return {"customer_id": customer_id, "merged_into_id": match_id, "contact_ids": moved}


def match_hint(conn: Connection, tenant_id: str, row: Any) -> dict[str, Any] | None:
    """For a customer with a possible match: that customer's id and a masked hint at who
    they are (never their name or address); None for any other customer."""
    if row.possible_match_id is None:
        return None
    match = conn.execute(
        select(customers.c.name, customers.c.email, customers.c.phone).where(
            customers.c.tenant_id == tenant_id, customers.c.customer_id == row.possible_match_id
        )
    ).one()
    return {
        "customer_id": row.possible_match_id,
        "hint": masked(match.name, match.email, match.phone),
        "is_verified": False,
    }
