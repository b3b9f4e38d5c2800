"""Ingestion through a real engine host on SQLite: once per Message-ID, threads, contacts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import func, insert, select

from headset.access.rate_limits import Rate
from headset.core.clock import FakeClock
from headset.mailroom.ingest import Ingest
from headset.mailroom.limits import Deferred, MailLimits, MailRates
from headset.mailroom.mailboxes import Mailbox
from headset.routing.commands import AbandonContact, ConfigureQueue
from headset.routing.model import QueueConfig
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.database import make_engine
from headset.storage.event_log import SqlEventLog
from headset.storage.migrate import upgrade
from headset.storage.tables import contacts, mail_messages, mail_threads, tenants
from tests.mail.messages import dsn, plain

MAILBOX = Mailbox(
    "t1", "support", "support@t1.example.com", "T1", "t1-queue", "smtp", None, None, None, None,
    "INBOX", "none", None, None, None, None, "none", "Thanks; ref {reference}", None, 100_000,
    True,
)  # fmt: skip


@pytest_asyncio.fixture
async def ingest(tmp_path: Path) -> AsyncIterator[Ingest]:
    url = f"sqlite:///{tmp_path}/ingest.db"
    upgrade(url)
    db = make_engine(url)
    with db.begin() as conn:
        conn.execute(insert(tenants).values(tenant_id="t1", name="T1", created_at=_now()))
    host = EngineHost(db, SqlEventLog(db), FakeClock(_now()))
    host.boot()
    await host.start()
    await host.submit(Operation(commands=[ConfigureQueue(QueueConfig("t1-queue", tenant_id="t1"))]))
    try:
        yield Ingest(host, db)
    finally:
        await host.stop()
        db.dispose()


def _now() -> datetime:
    return datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _count(ingest: Ingest, table: Any, *where: Any) -> int:
    with ingest.reader.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


@pytest.mark.asyncio
async def test_the_same_message_twice_is_stored_once(ingest: Ingest) -> None:
    first = await ingest.deliver(MAILBOX, plain())
    again = await ingest.deliver(MAILBOX, plain())

    assert first.outcome == "new"
    assert first.wants_acknowledgement
    assert again.outcome == "duplicate"
    assert again.contact_id == first.contact_id
    assert _count(ingest, mail_messages) == 1
    assert _count(ingest, contacts, contacts.c.channel == "email") == 1
    assert first.contact_id in ingest.host.engine.state.contacts  # queued through the engine


@pytest.mark.asyncio
async def test_answers_join_by_headers_or_by_reference(ingest: Ingest) -> None:
    first = await ingest.deliver(MAILBOX, plain(message_id="<a1@x>"))
    by_header = await ingest.deliver(MAILBOX, plain("more", message_id="<a2@x>",
                                                    In_Reply_To="<a1@x>"))  # fmt: skip
    with ingest.reader.connect() as conn:
        reference = conn.execute(select(mail_threads.c.reference)).scalar_one()
    by_reference = await ingest.deliver(
        MAILBOX, plain("pasted", message_id="<a3@x>", subject=f"Re: [#{reference}]")
    )
    stranger = await ingest.deliver(MAILBOX, plain("new", message_id="<a4@x>", subject="Other"))

    assert by_header.outcome == by_reference.outcome == "joined"
    assert by_header.contact_id == by_reference.contact_id == first.contact_id
    assert not by_header.wants_acknowledgement
    assert stranger.outcome == "new"
    assert stranger.thread_id != first.thread_id


@pytest.mark.asyncio
async def test_an_answer_after_the_contact_is_over_queues_a_new_contact_in_the_thread(
    ingest: Ingest,
) -> None:
    first = await ingest.deliver(MAILBOX, plain(message_id="<b1@x>"))
    assert first.contact_id is not None
    await ingest.host.submit(Operation(commands=[AbandonContact(first.contact_id)]))
    later = await ingest.deliver(MAILBOX, plain("again", message_id="<b2@x>",
                                                References="<b1@x>"))  # fmt: skip

    assert later.outcome == "joined"
    assert later.thread_id == first.thread_id
    assert later.contact_id not in (None, first.contact_id)
    with ingest.reader.connect() as conn:
        current = conn.execute(select(mail_threads.c.contact_id)).scalar_one()
    assert current == later.contact_id


@pytest.mark.asyncio
async def test_machines_never_start_conversations_but_bounces_join_theirs(ingest: Ingest) -> None:
    robot = await ingest.deliver(MAILBOX, plain(message_id="<r1@x>", Precedence="bulk"))
    first = await ingest.deliver(MAILBOX, plain(message_id="<c1@x>"))
    bounce = await ingest.deliver(MAILBOX, dsn("<c1@x>"))

    assert robot.outcome == "held"
    assert robot.contact_id is None
    assert bounce.outcome == "joined"
    assert bounce.contact_id == first.contact_id
    assert not bounce.wants_acknowledgement
    assert _count(ingest, contacts) == 1


@pytest.mark.asyncio
async def test_a_sender_past_the_rate_limit_starts_no_more_conversations(ingest: Ingest) -> None:
    ingest.limits = MailLimits(MailRates(conversations_per_sender=Rate(3, 1 / 60)))
    outcomes = [
        (await ingest.deliver(MAILBOX, plain(message_id=f"<f{n}@x>", subject=f"n{n}"))).outcome
        for n in range(5)
    ]

    assert outcomes == ["new", "new", "new", "held", "held"]
    assert _count(ingest, contacts) == 3
    assert _count(ingest, mail_messages) == 5  # held mail is kept, not routed


@pytest.mark.asyncio
async def test_a_flood_from_one_sender_is_deferred_before_anything_is_stored(
    ingest: Ingest,
) -> None:
    ingest.limits = MailLimits(MailRates(inbound_per_sender=Rate(3, 6)))
    for n in range(3):
        await ingest.deliver(MAILBOX, plain(message_id=f"<s{n}@x>", subject=f"s{n}"))
    with pytest.raises(Deferred) as later:
        await ingest.deliver(MAILBOX, plain(message_id="<s3@x>", subject="s3"))
    other = await ingest.deliver(
        MAILBOX, plain(message_id="<o1@x>", sender="Olga <olga@example.com>")
    )

    assert not later.value.is_mailbox
    assert later.value.retry_after_seconds == pytest.approx(10.0)
    assert other.outcome == "new"  # another sender is not held up
    assert _count(ingest, mail_messages, mail_messages.c.message_id == "<s3@x>") == 0
    assert isinstance(ingest.host.clock, FakeClock)
    ingest.host.clock.advance(timedelta(seconds=10))
    again = await ingest.deliver(MAILBOX, plain(message_id="<s3@x>", subject="s3"))
    assert again.outcome == "new"  # the sender's server tried again later: nothing lost


@pytest.mark.asyncio
async def test_rotating_senders_meet_the_mailbox_limit(ingest: Ingest) -> None:
    ingest.limits = MailLimits(MailRates(inbound_per_mailbox=Rate(5, 60)))
    for n in range(5):
        await ingest.deliver(MAILBOX, plain(message_id=f"<r{n}@x>", sender=f"x{n}@example.com"))
    with pytest.raises(Deferred) as later:
        await ingest.deliver(MAILBOX, plain(message_id="<r5@x>", sender="x5@example.com"))

    assert later.value.is_mailbox
    assert _count(ingest, mail_messages) == 5


@pytest.mark.asyncio
async def test_only_the_trusted_servers_dmarc_pass_verifies_the_sender(ingest: Ingest) -> None:
    passed = "mx.t1.example; spf=pass smtp.mailfrom=example.com; dmarc=pass header.from=example.com"
    ingest.authserv_id = "mx.t1.example"
    trusted = await ingest.deliver(
        MAILBOX, plain(message_id="<v1@x>", Authentication_Results=passed)
    )
    forged = await ingest.deliver(
        MAILBOX,
        plain(message_id="<v2@x>", subject="b", Authentication_Results="mx.evil; dmarc=pass "
              "header.from=example.com"),
    )  # fmt: skip
    failed = await ingest.deliver(
        MAILBOX,
        plain(message_id="<v3@x>", subject="c",
              Authentication_Results="mx.t1.example; dmarc=fail header.from=example.com"),
    )  # fmt: skip

    assert trusted.is_sender_verified
    assert not forged.is_sender_verified
    assert not failed.is_sender_verified
