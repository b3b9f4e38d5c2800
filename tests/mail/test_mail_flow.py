"""End to end on real servers: Exim and Dovecot on loopback, Headset served in a thread."""

from __future__ import annotations

import smtplib
import time
from datetime import UTC, datetime
from email import policy
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, insert, select

from headset.access.rate_limits import Rate
from headset.mail.replies import Sender, build_reply
from headset.mailroom.limits import MailLimits, MailRates
from headset.storage.database import make_engine
from headset.storage.tables import mail_messages
from tests.mail.conftest import MailServers, mail_center, receiver_port, wait_connected
from tests.mail.messages import answer_to, dsn, plain
from tests.service.conftest import Center, live, next_event, ok

BASE = "/api/v1/tenants/alpha"


def _offered(ws: Any, timeout: float = 20) -> tuple[str, str]:
    """The next offer on the agent's stream: its offer id and contact id."""
    event = next_event(ws, "routing.contact_offered", timeout)
    return str(event["data"]["offer_id"]), str(event["data"]["contact_id"])


def _received(ws: Any, contact_id: str, timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        event = next_event(ws, "mail.received", max(0.1, deadline - time.monotonic()))
        if event["data"]["contact_id"] == contact_id:
            return dict(event["data"])


def _conversation(client: httpx.Client, contact_id: str) -> dict[str, Any]:
    return dict(ok(client.get(f"{BASE}/contacts/{contact_id}/mail")))


def test_a_customers_mail_is_offered_answered_and_the_answer_joins_the_conversation(
    center: Center, servers: MailServers, agent: httpx.Client
) -> None:
    first = plain("My order 7 has not arrived.", to="support@example.com", message_id="<c1@ex>")
    with live(center.ws_url, agent) as ws:
        servers.send(first, "support@example.com")
        offer_id, contact_id = _offered(ws)
        ok(agent.post(f"{BASE}/offers/{offer_id}/accept"))

        conversation = _conversation(agent, contact_id)
        reference = conversation["reference"]
        inbound = [m for m in conversation["messages"] if m["direction"] == "inbound"]
        assert [m["message_id"] for m in inbound] == ["<c1@ex>"]
        assert inbound[0]["text"] == "My order 7 has not arrived."
        contact = ok(agent.get(f"{BASE}/contacts/{contact_id}"))
        assert contact["channel"] == "email"
        assert contact["status"] == "connected"

        # the automatic acknowledgement carries the reference and says it is automatic
        ack = servers.wait_for(
            "carla",
            lambda m: m["Auto-Submitted"] == "auto-replied" and reference in str(m["Subject"]),
        )
        assert f"[#{reference}]" in str(ack["Subject"])
        assert reference in ack.get_content()

        sent = ok(agent.post(f"{BASE}/contacts/{contact_id}/mail/replies",
                             json={"text": "It ships today."}), 201)  # fmt: skip
        assert sent["status"] == "sent", sent["error"]
        reply = servers.wait_for("carla", lambda m: m["Message-ID"] == sent["message_id"])
        assert reply["In-Reply-To"] == "<c1@ex>"
        assert str(reply["References"]).split() == ["<c1@ex>"]
        assert str(reply["Subject"]) == f"Re: Where is my order? [#{reference}]"
        assert "It ships today." in reply.get_content()

        answer = answer_to(reply.as_bytes(), "Thanks, and the invoice?", "<c2@ex>")
        servers.send(answer, "support@example.com")
        joined = _received(ws, contact_id)
        assert joined["kind"] == "message"

        # a bounce of our reply is attached to the same conversation
        servers.send(dsn(sent["message_id"]), "support@example.com", "")
        bounced = _received(ws, contact_id)
        assert bounced["kind"] == "bounce"

    messages = _conversation(agent, contact_id)["messages"]
    kinds = [(m["direction"], m["kind"]) for m in messages]
    assert kinds == [
        ("inbound", "message"),
        ("outbound", "acknowledgement"),
        ("outbound", "reply"),
        ("inbound", "message"),
        ("inbound", "bounce"),
    ]
    assert messages[3]["in_reply_to"] == sent["message_id"]
    assert messages[4]["bounce"]["recipient"] == "gone@example.com"
    assert {m["contact_id"] for m in messages} == {contact_id}


def test_only_the_agent_holding_the_contact_replies(
    center: Center, servers: MailServers, agent: httpx.Client
) -> None:
    with live(center.ws_url, agent) as ws:
        servers.send(plain("Hello?", to="support@example.com", message_id="<w1@ex>",
                           subject="Opening hours"), "support@example.com")  # fmt: skip
        offer_id, contact_id = _offered(ws)
        leader = center.as_user("alpha", "team_leader")
        early = leader.post(f"{BASE}/contacts/{contact_id}/mail/replies", json={"text": "x"})
        assert early.status_code == 409
        assert "accept it first" in early.json()["detail"]
        ok(agent.post(f"{BASE}/offers/{offer_id}/accept"))
        for other in (leader, center.as_user("alpha", "supervisor")):
            refused = other.post(f"{BASE}/contacts/{contact_id}/mail/replies", json={"text": "x"})
            assert refused.status_code == 409
            assert "is answering" in refused.json()["detail"]
        hidden = center.as_user("beta", "agent").get(f"{BASE}/contacts/{contact_id}/mail")
        assert hidden.status_code == 404
        # nothing was sent for them
        messages = _conversation(agent, contact_id)["messages"]
        assert {m["kind"] for m in messages if m["direction"] == "outbound"} <= {"acknowledgement"}
        # the agent's e-mail slot is free again for the next test
        ok(agent.post(f"{BASE}/contacts/{contact_id}/end"))
        ok(agent.post(f"{BASE}/contacts/{contact_id}/wrap-up", json={}))


def test_direct_delivery_threads_by_reference_refuses_strangers_and_duplicates(
    center: Center, agent: httpx.Client
) -> None:
    port = receiver_port(center)
    with live(center.ws_url, agent) as ws, smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        first = plain("Direct hello", to="direct@alpha.example.com", message_id="<d1@ex>")
        assert smtp.sendmail("carla@example.com", ["direct@alpha.example.com"], first) == {}
        offer_id, contact_id = _offered(ws)
        ok(agent.post(f"{BASE}/offers/{offer_id}/accept"))  # an agent reads what they hold
        reference = _conversation(agent, contact_id)["reference"]

        # the same message again (a retry after a lost 250): accepted, stored once
        assert smtp.sendmail("carla@example.com", ["direct@alpha.example.com"], first) == {}

        # a new message without threading headers finds the conversation by its reference
        pasted = plain("About my ticket", to="direct@alpha.example.com", message_id="<d2@ex>",
                       subject=f"Ticket [#{reference}]")  # fmt: skip
        smtp.sendmail("carla@example.com", ["direct@alpha.example.com"], pasted)

        with pytest.raises(smtplib.SMTPRecipientsRefused):
            smtp.sendmail("carla@example.com", ["nobody@alpha.example.com"], first)
        big = plain(("x" * 70 + "\n") * 900, to="direct@alpha.example.com", message_id="<d3@ex>")
        with pytest.raises(smtplib.SMTPDataError) as too_large:
            smtp.sendmail("carla@example.com", ["direct@alpha.example.com"], big)
        assert too_large.value.smtp_code == 552

        # an auto-reply with nothing to join starts no conversation
        robot = plain("I am out of office", to="direct@alpha.example.com", message_id="<d4@ex>",
                      Auto_Submitted="auto-replied")  # fmt: skip
        smtp.sendmail("ooo@example.com", ["direct@alpha.example.com"], robot)

    ids = [m["message_id"] for m in _conversation(agent, contact_id)["messages"]]
    assert ids == ["<d1@ex>", "<d2@ex>"]
    db = center.app.state.runtime.reader
    with db.connect() as conn:
        robot_row = conn.execute(
            select(mail_messages.c.kind, mail_messages.c.contact_id).where(
                mail_messages.c.message_id == "<d4@ex>"
            )
        ).one()
    assert tuple(robot_row) == ("automatic", None)
    _finish(agent, None, contact_id)


def test_the_imap_watcher_reconnects_and_nothing_is_lost_when_dovecot_restarts(
    center: Center, servers: MailServers, agent: httpx.Client
) -> None:
    watcher = center.services.mailroom.watchers[("alpha", "support")]
    failures = watcher.failures
    servers.dovecot.stop()
    _wait_until(lambda: not watcher.connected.is_set())
    with live(center.ws_url, agent) as ws:
        # Exim cannot hand the message to Dovecot now: it keeps it and tries again
        servers.send(plain("Anyone there?", to="support@example.com", message_id="<x1@ex>",
                           subject="After the outage"), "support@example.com")  # fmt: skip
        time.sleep(1)
        servers.dovecot.start()
        offer_id, contact_id = _offered(ws, timeout=40)
    ok(agent.post(f"{BASE}/offers/{offer_id}/accept"))
    assert watcher.failures > failures
    inbound = [
        m for m in _conversation(agent, contact_id)["messages"] if m["direction"] == "inbound"
    ]
    assert [m["message_id"] for m in inbound] == ["<x1@ex>"]
    _finish(agent, None, contact_id)


def _finish(agent: httpx.Client, offer_id: str | None, contact_id: str) -> None:
    """Accepts (if offered), ends and wraps up: the agent's e-mail slot is free again."""
    if offer_id is not None:
        ok(agent.post(f"{BASE}/offers/{offer_id}/accept"))
    ok(agent.post(f"{BASE}/contacts/{contact_id}/end"))
    ok(agent.post(f"{BASE}/contacts/{contact_id}/wrap-up", json={}))


def test_a_restart_mid_delivery_loses_and_duplicates_nothing(
    tmp_path: Path, servers: MailServers
) -> None:
    """Mail arrives while Headset is down, then Headset "crashes" after committing but
    before marking the messages seen: every message is stored exactly once."""
    center = mail_center(tmp_path, servers, imap_user="restart")
    try:
        wait_connected(center)
        settings = center.app.state.runtime.settings
        center.served.stop()
        for n in range(3):
            raw = plain(f"Message {n}", to="restart@example.com", message_id=f"<r{n}@ex>",
                        subject=f"Question {n}")  # fmt: skip
            servers.send(raw, "restart@example.com")
        servers.wait_for("restart", lambda m: m["Message-ID"] == "<r2@ex>")

        center = _restarted(center, settings)
        _wait_until(lambda: servers.unseen("restart") == 0)
        assert _stored(center) == {"<r0@ex>": 1, "<r1@ex>": 1, "<r2@ex>": 1}

        # as if Headset had died after each commit and before each \Seen
        client = servers.dovecot.imap("restart")
        client.select("INBOX")
        client.store("1:*", "-FLAGS", r"(\Seen)")
        client.logout()
        center = _restarted(center, settings)
        _wait_until(lambda: servers.unseen("restart") == 0)
        assert _stored(center) == {"<r0@ex>": 1, "<r1@ex>": 1, "<r2@ex>": 1}
        contacts = ok(center.admin.get(f"{BASE}/contacts", params={"channel": "email"}))
        assert len(contacts["items"]) == 3
    finally:
        center.close()
        center.served.stop()


def test_imap_mail_over_the_limits_waits_unseen_on_the_server_and_none_is_lost(
    tmp_path: Path, servers: MailServers
) -> None:
    """A flood from one sender, then from many: what is over the limits stays unseen on the
    IMAP server and is fetched once the buckets refill; every message is stored once."""
    center = mail_center(tmp_path, servers, imap_user="flood")
    try:
        wait_connected(center)
        room = center.services.mailroom
        watcher = room.watchers[("alpha", "support")]
        # two at once, then one every two seconds for one sender; then one a second for the
        # whole mailbox
        room.ingest.limits = MailLimits(MailRates(inbound_per_sender=Rate(2, 30)))
        for n in range(5):
            servers.send(plain(f"Again {n}", to="flood@example.com", message_id=f"<one{n}@ex>",
                               subject=f"Again {n}"), "flood@example.com")  # fmt: skip
        _wait_until(lambda: bool(watcher.later))  # the sender's next messages wait, unseen
        assert servers.unseen("flood") > 0
        _wait_until(lambda: len(_stored(center)) == 5)

        room.ingest.limits = MailLimits(MailRates(inbound_per_mailbox=Rate(2, 60)))
        for n in range(5):
            servers.send(plain(f"Hello {n}", sender=f"p{n}@example.com", to="flood@example.com",
                               message_id=f"<many{n}@ex>"), "flood@example.com")  # fmt: skip
        _wait_until(lambda: len(_stored(center)) >= 7)
        _wait_until(lambda: len(_stored(center)) == 10)
        _wait_until(lambda: servers.unseen("flood") == 0)
        assert set(_stored(center).values()) == {1}
        assert watcher.paused_until > 0  # the mailbox had to wait at least once
    finally:
        center.close()
        center.served.stop()


def test_a_reply_left_sending_by_a_stopped_process_is_sent_after_the_restart(
    tmp_path: Path, servers: MailServers
) -> None:
    center = mail_center(tmp_path, servers, imap_user="resend")
    try:
        settings = center.app.state.runtime.settings
        center.served.stop()
        # as if Headset had stopped after storing the reply and before the server's answer
        reply = build_reply(
            Sender("resend@example.com", "Alpha"), "late@example.com", "Question", "K7Q2MX",
            "Sorry for the wait.", "<late1@example.com>", [], datetime.now(UTC),
        )  # fmt: skip
        _store_unsent(settings.database_url, reply)

        center = _restarted(center, settings)
        arrived = servers.wait_for("late", lambda m: m["Message-ID"] == reply["Message-ID"])
        assert arrived["In-Reply-To"] == "<late1@example.com>"
        _wait_until(lambda: _status(center, str(reply["Message-ID"])) == "sent")
    finally:
        center.close()
        center.served.stop()


def _store_unsent(database_url: str, reply: Any) -> None:
    db = make_engine(database_url)
    try:
        with db.begin() as conn:
            conn.execute(
                insert(mail_messages).values(
                    tenant_id="alpha", mail_id="ml_unsent", mailbox_id="support",
                    thread_id=None, contact_id=None, direction="outbound", kind="reply",
                    message_id=str(reply["Message-ID"]), references=[],
                    from_address="resend@example.com", from_name="Alpha",
                    to_addresses=["late@example.com"], subject=str(reply["Subject"]),
                    text="Sorry for the wait.", headers={}, refused_attachments=[],
                    status="sending", created_at=datetime.now(UTC),
                    raw=reply.as_bytes(policy=policy.SMTP),
                )
            )  # fmt: skip
    finally:
        db.dispose()


def _status(center: Center, message_id: str) -> str:
    with center.app.state.runtime.reader.connect() as conn:
        return str(
            conn.execute(
                select(mail_messages.c.status).where(mail_messages.c.message_id == message_id)
            ).scalar_one()
        )


def _restarted(center: Center, settings: Any) -> Center:
    from headset.access.passwords import FAST_FOR_TESTS
    from headset.api.app import create_app
    from tests.service.conftest import ADMIN_PASSWORD, ADMIN_USER, Served, login

    center.served.stop()
    center.close()
    app = create_app(settings, clock=center.clock, passwords=FAST_FOR_TESTS)
    served = Served(app)
    admin = login(served.url, ADMIN_USER, ADMIN_PASSWORD)
    restarted = Center(served, admin, center.tenants, center.clock)
    wait_connected(restarted)
    return restarted


def _stored(center: Center) -> dict[str, int]:
    with center.app.state.runtime.reader.connect() as conn:
        rows = conn.execute(
            select(mail_messages.c.message_id, func.count())
            .where(mail_messages.c.direction == "inbound")
            .group_by(mail_messages.c.message_id)
        ).all()
    return {r[0]: r[1] for r in rows}


def _wait_until(test: Any, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not test():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
