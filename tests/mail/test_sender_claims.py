"""A From line proves nothing: mail from a known customer's address gets a customer of its own,
tentatively linked to the known one, who is neither claimed nor changed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select

from headset.mailroom.ingest import Ingest
from headset.storage.tables import contacts, customers, mail_threads
from tests.mail.messages import plain
from tests.mail.test_ingest import MAILBOX
from tests.mail.test_ingest import ingest as ingest  # the fixture: a host on SQLite


def _customer(ingest: Ingest, customer_id: str) -> dict[str, object]:
    with ingest.reader.connect() as conn:
        row = conn.execute(select(customers).where(customers.c.customer_id == customer_id)).one()
    return dict(row._mapping)


def _customer_of(ingest: Ingest, contact_id: str | None) -> str:
    with ingest.reader.connect() as conn:
        return str(
            conn.execute(
                select(contacts.c.customer_id).where(contacts.c.contact_id == contact_id)
            ).scalar_one()
        )


@pytest.mark.asyncio
async def test_mail_from_a_known_address_claims_nobody(ingest: Ingest) -> None:
    with ingest.reader.begin() as conn:  # the fixture reads and writes one SQLite file
        conn.execute(
            insert(customers).values(
                tenant_id="t1",
                customer_id="cu_vera",
                name="Vera Victim",
                email="vera@example.com",
                created_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )
    first = await ingest.deliver(
        MAILBOX, plain(sender="Mallory <vera@example.com>", message_id="<s1@x>")
    )

    claimed = _customer_of(ingest, first.contact_id)
    assert claimed != "cu_vera"
    assert _customer(ingest, claimed)["name"] == "Mallory"
    assert _customer(ingest, claimed)["email"] == "vera@example.com"
    assert _customer(ingest, claimed)["possible_match_id"] == "cu_vera"
    vera = _customer(ingest, "cu_vera")
    assert (vera["name"], vera["possible_match_id"]) == ("Vera Victim", None)

    # the same sender going on in the conversation stays the conversation's customer
    await ingest.deliver(
        MAILBOX,
        plain("more", sender="Mallory <vera@example.com>", message_id="<s2@x>",
              In_Reply_To="<s1@x>"),
    )  # fmt: skip
    with ingest.reader.connect() as conn:
        made = conn.execute(select(customers.c.customer_id)).scalars().all()
        thread_customer = conn.execute(select(mail_threads.c.customer_id)).scalar_one()
    assert sorted(made) == sorted(["cu_vera", claimed])
    assert thread_customer == claimed
