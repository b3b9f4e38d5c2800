"""Automatic acknowledgements and inbound limits, through the mailroom's own SMTP receiver.

The mailroom runs on a real engine host on SQLite with a fake clock; its acknowledgements
leave for an SMTP sink on loopback, which keeps what arrives. Anyone can write in another's
name: an acknowledgement must not carry the writer's words to the person named, and a flood
in many forged names must not become a flood of answers.
"""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import func, insert, select

from headset.access.rate_limits import Rate
from headset.access.secret_box import KeyedSecretBox
from headset.core.clock import FakeClock
from headset.mailroom.limits import MailLimits, MailRates
from headset.mailroom.room import Mailroom
from headset.mailroom.servers import ServerAccess
from headset.routing.commands import ConfigureQueue
from headset.routing.model import QueueConfig
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.database import make_engine
from headset.storage.event_log import SqlEventLog
from headset.storage.migrate import upgrade
from headset.storage.tables import contacts, mail_messages, mailboxes, tenants
from tests.mail.messages import plain

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
MTA = "mx.t1.example"
PHISH = "Your account is locked: sign in at http://evil.example/login"


@dataclass
class Sink:
    """An SMTP server standing in for the customers' providers: keeps every message."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        self.messages.append(message_from_bytes(raw, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"


@dataclass
class Setting:
    room: Mailroom
    sink: Sink
    clock: FakeClock
    reader: Any

    def count(self, *where: Any) -> int:
        with self.reader.connect() as conn:
            query = select(func.count()).select_from(mail_messages).where(*where)
            return int(conn.execute(query).scalar_one())

    async def send(self, raws: list[bytes], to: str = "support@t1.example.com") -> None:
        """A provider hands the messages to the receiver, over one connection."""
        port = self.room.receiver_port
        assert port is not None

        def hand_over() -> None:
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
                for raw in raws:
                    client.sendmail("bounce@provider.example", [to], raw)

        await asyncio.to_thread(hand_over)

    async def acknowledgements(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        """The acknowledgements the sink has once `count` arrived (and a moment after)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.sink.messages) < count:
            assert asyncio.get_running_loop().time() < deadline, len(self.sink.messages)
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # nothing more is on its way
        return list(self.sink.messages)


@pytest_asyncio.fixture
async def setting(tmp_path: Path) -> AsyncIterator[Setting]:
    url = f"sqlite:///{tmp_path}/acks.db"
    upgrade(url)
    db = make_engine(url)
    sink = Sink()
    sink_server = await asyncio.get_running_loop().create_server(
        lambda: SMTP(sink, hostname="sink"), "127.0.0.1", 0
    )
    sink_port = int(sink_server.sockets[0].getsockname()[1])
    with db.begin() as conn:
        conn.execute(insert(tenants).values(tenant_id="t1", name="T1", created_at=NOW))
        for mailbox_id in ("support", "sales"):
            conn.execute(insert(mailboxes).values(
                tenant_id="t1", mailbox_id=mailbox_id, address=f"{mailbox_id}@t1.example.com",
                display_name=f"T1 {mailbox_id.title()}", queue_id="t1-queue", inbound="smtp",
                smtp_host="127.0.0.1", smtp_port=sink_port, smtp_security="none",
                acknowledgement="We have your message; your reference is {reference}.",
                max_message_bytes=100_000, is_active=True, updated_at=NOW,
            ))  # fmt: skip
    clock = FakeClock(NOW)
    host = EngineHost(db, SqlEventLog(db), clock)
    host.boot()
    await host.start()
    await host.submit(Operation(commands=[ConfigureQueue(QueueConfig("t1-queue", tenant_id="t1"))]))
    # the sink is on loopback: the operator's allowance of internal mail hosts
    access = ServerAccess(KeyedSecretBox("acknowledgement-test-key"), allows_internal_hosts=True)
    room = Mailroom(host, db, access, authserv_id=MTA)
    await room.start("127.0.0.1:0")
    try:
        yield Setting(room, sink, clock, db)
    finally:
        await room.stop()
        await host.stop()
        sink_server.close()
        db.dispose()


@pytest.mark.asyncio
async def test_a_forged_senders_acknowledgement_carries_none_of_the_forgers_words(
    setting: Setting,
) -> None:
    forged = plain("Click the link.", sender="Alpha Bank <victim@example.com>", subject=PHISH,
                   to="support@t1.example.com", message_id="<phish-1@evil.example>")  # fmt: skip
    await setting.send([forged])

    [ack] = await setting.acknowledgements(1)
    raw = ack.as_bytes()
    assert ack["To"] == "victim@example.com"
    assert str(ack["Subject"]).startswith("Your message to T1 Support [#")
    for forgers_words in (b"evil.example", b"locked", b"Click"):
        assert forgers_words not in raw
    assert ack["In-Reply-To"] is None
    assert ack["References"] is None
    assert "We have your message" in ack.get_content()


@pytest.mark.asyncio
async def test_a_sender_the_mta_verified_sees_their_own_subject(setting: Setting) -> None:
    verified = plain(
        to="support@t1.example.com", message_id="<v1@example.com>",
        Authentication_Results=f"{MTA}; spf=pass smtp.mailfrom=example.com; "
        "dmarc=pass (p=reject) header.from=example.com",
    )  # fmt: skip
    await setting.send([verified])

    [ack] = await setting.acknowledgements(1)
    assert str(ack["Subject"]).startswith("Re: Where is my order? [#")
    assert ack["In-Reply-To"] == "<v1@example.com>"


@pytest.mark.asyncio
async def test_fifteen_forged_senders_in_a_second_get_at_most_ten_acknowledgements(
    setting: Setting,
) -> None:
    flood = [
        plain(sender=f"person{n}@example.net", subject=PHISH, to="support@t1.example.com",
              message_id=f"<flood-{n}@evil.example>")
        for n in range(15)
    ]  # fmt: skip
    await setting.send(flood)

    assert len(await setting.acknowledgements(10)) == 10  # the mailbox's limit
    # every message is kept and routed: only the answers are limited
    assert setting.count(mail_messages.c.direction == "inbound") == 15
    with setting.reader.connect() as conn:
        routed = conn.execute(select(func.count()).select_from(contacts)).scalar_one()
    assert routed == 15
    setting.clock.advance(timedelta(minutes=1))  # tokens come back with time
    await setting.send([plain(sender="late@example.net", to="support@t1.example.com",
                              message_id="<late@example.net>")])  # fmt: skip
    assert len(await setting.acknowledgements(11)) == 11


@pytest.mark.asyncio
async def test_the_tenant_has_a_limit_of_acknowledgements_across_its_mailboxes(
    setting: Setting,
) -> None:
    setting.room.ingest.limits = MailLimits(MailRates(acknowledgements_per_tenant=Rate(12, 1)))
    for to in ("support@t1.example.com", "sales@t1.example.com"):
        await setting.send([
            plain(sender=f"p{n}@example.net", to=to, message_id=f"<{to}-{n}@example.net>")
            for n in range(8)
        ], to)  # fmt: skip

    assert len(await setting.acknowledgements(12)) == 12


@pytest.mark.asyncio
async def test_a_flooding_sender_is_told_to_try_again_later_and_loses_nothing(
    setting: Setting,
) -> None:
    setting.room.ingest.limits = MailLimits(MailRates(inbound_per_sender=Rate(3, 6)))
    burst = [plain(subject=f"n{n}", to="support@t1.example.com", message_id=f"<b{n}@example.com>")
             for n in range(5)]  # fmt: skip
    await setting.send(burst[:3])
    with pytest.raises(smtplib.SMTPDataError) as refused:
        await setting.send(burst[3:4])

    assert refused.value.smtp_code == 451  # a temporary failure: the provider keeps it
    assert b"4.7.1" in refused.value.smtp_error
    assert setting.count(mail_messages.c.message_id == "<b3@example.com>") == 0
    setting.clock.advance(timedelta(seconds=20))  # the provider's next attempt
    await setting.send(burst[3:])
    assert setting.count(mail_messages.c.direction == "inbound") == 5
