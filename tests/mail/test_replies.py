"""Replies on real servers: idempotency keys, attachments and their rules, the outbox's
retries (automatic with back-off, by the agent, after a restart) and the timers."""

from __future__ import annotations

import base64
import smtplib
import socket
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from headset.mailroom import room as room_module
from headset.mailroom.sending import RETRY_DELAYS
from tests.mail.conftest import MailServers, mail_bodies_smtp, mail_center, receiver_port
from tests.mail.messages import plain
from tests.service.conftest import Center, live, next_event, ok

BASE = "/api/v1/tenants/alpha"


def _new_contact(center: Center, agent: httpx.Client, sender: str, message_id: str) -> str:
    """A customer writes to the direct mailbox; the agent accepts the offer."""
    with live(center.ws_url, agent) as ws:
        with smtplib.SMTP("127.0.0.1", receiver_port(center), timeout=10) as smtp:
            raw = plain("Where is it?", sender=sender, to="direct@alpha.example.com",
                        message_id=message_id)  # fmt: skip
            assert smtp.sendmail(sender, ["direct@alpha.example.com"], raw) == {}
        offer = next_event(ws, "routing.contact_offered", 20)["data"]
    ok(agent.post(f"{BASE}/offers/{offer['offer_id']}/accept"))
    return str(offer["contact_id"])


def _finish(agent: httpx.Client, contact_id: str) -> None:
    ok(agent.post(f"{BASE}/contacts/{contact_id}/end"))
    ok(agent.post(f"{BASE}/contacts/{contact_id}/wrap-up", json={}))


def _file(name: str, content: bytes, media_type: str = "text/plain") -> dict[str, str]:
    return {"name": name, "media_type": media_type, "content": base64.b64encode(content).decode()}


def test_an_idempotency_key_sends_a_reply_once_with_its_file(
    center: Center, servers: MailServers, agent: httpx.Client
) -> None:
    contact_id = _new_contact(center, agent, "dora@example.com", "<i1@ex>")
    url = f"{BASE}/contacts/{contact_id}/mail/replies"
    body = {"text": "Here is the invoice.", "files": [_file("invoice.txt", b"total: 12 EUR\n")]}
    first = ok(agent.post(url, json=body, headers={"Idempotency-Key": "k-1"}), 201)
    again = ok(agent.post(url, json=body, headers={"Idempotency-Key": "k-1"}), 201)
    assert first["status"] == "sent", first["error"]
    assert again["mail_id"] == first["mail_id"]
    assert [f["name"] for f in first["attachments"]] == ["invoice.txt"]
    # the same through the body's client_id
    by_body = ok(agent.post(url, json={"text": "Also this.", "client_id": "c-1"}), 201)
    assert (
        ok(agent.post(url, json={"text": "Also this.", "client_id": "c-1"}), 201)["mail_id"]
        == by_body["mail_id"]
    )

    arrived = servers.wait_for("dora", lambda m: m["Message-ID"] == first["message_id"])
    files = [(p.get_filename(), p.get_content()) for p in arrived.iter_attachments()]
    assert files == [("invoice.txt", "total: 12 EUR\n")]
    servers.wait_for("dora", lambda m: m["Message-ID"] == by_body["message_id"])
    time.sleep(0.5)  # time for a second copy to arrive, if one had been sent
    ids = [str(m["Message-ID"]) for m in servers.inbox("dora")]
    assert ids.count(first["message_id"]) == 1
    assert ids.count(by_body["message_id"]) == 1

    conversation = ok(agent.get(f"{BASE}/contacts/{contact_id}/mail"))
    replies = [m for m in conversation["messages"] if m["kind"] == "reply"]
    assert [m["mail_id"] for m in replies] == [first["mail_id"], by_body["mail_id"]]
    # the first response stopped at the first sent reply; the resolution still runs
    timers = conversation["timers"]
    assert timers["first_response"]["is_running"] is False
    assert timers["resolution"]["is_running"] is True
    assert conversation["signature"] is None
    # the direct mailbox takes 50,000-byte messages: files of 37,500 bytes in base64
    assert conversation["reply_files_max_bytes"] == 37_500
    # the same timers for many contacts at once, in the caller's scope
    listed = ok(center.admin.get(f"{BASE}/stats/mail-timers", params={"open": "true"}))
    mine = [i for i in listed["items"] if i["contact_id"] == contact_id]
    assert mine[0]["timers"]["first_response"]["is_running"] is False
    assert mine[0]["timers"]["resolution"]["is_running"] is True
    _finish(agent, contact_id)
    done = ok(agent.get(f"{BASE}/contacts/{contact_id}/mail"))
    assert done["timers"]["resolution"]["is_running"] is False
    still_open = ok(center.admin.get(f"{BASE}/stats/mail-timers", params={"open": "true"}))
    assert contact_id not in {i["contact_id"] for i in still_open["items"]}
    every = ok(center.admin.get(f"{BASE}/stats/mail-timers"))["items"]
    assert contact_id in {i["contact_id"] for i in every}
    # tenant beta sees none of alpha's: the route is the tenant's own
    assert center.as_user("beta", "manager").get(f"{BASE}/stats/mail-timers").status_code in (
        403,
        404,
    )


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("setup.exe", b"MZ\x90\x00", "the file type .exe can run programs"),
        ("notes.txt", b"#!/bin/sh\nrm -rf /\n", "the file is a script"),
        ("big.txt", b"x" * 70_000, "the files weigh more than 37500 bytes together"),
    ],
)
def test_dangerous_or_too_large_files_are_refused_and_nothing_is_sent(
    center: Center, agent: httpx.Client, name: str, content: bytes, reason: str
) -> None:
    contact_id = _new_contact(center, agent, "erik@example.com", f"<r-{name}@ex>")
    url = f"{BASE}/contacts/{contact_id}/mail/replies"
    refused = agent.post(url, json={"text": "See attached.", "files": [_file(name, content)]})
    assert refused.status_code == 422
    assert reason in refused.json()["detail"]
    assert refused.json()["errors"][0]["field"] == "files.0"
    conversation = ok(agent.get(f"{BASE}/contacts/{contact_id}/mail"))
    assert [m for m in conversation["messages"] if m["kind"] == "reply"] == []
    _finish(agent, contact_id)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(test: Any, timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = test()
        if found:
            return found
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_failed_reply_is_retried_by_the_agent_and_with_back_off_after_a_restart(
    tmp_path: Path, servers: MailServers, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.mail.test_mail_flow import _restarted

    monkeypatch.setattr(room_module, "RETRY_INTERVAL_SECONDS", 0.2)
    center = mail_center(tmp_path, servers, imap_user="retry")
    try:
        direct = mail_bodies_smtp(servers)["direct"]
        broken = {**direct, "smtp": {**direct["smtp"], "port": _closed_port()}}
        ok(center.admin.put(f"{BASE}/mailboxes/direct", json=broken))
        agent = center.as_user("alpha", "agent")
        agent_id = center.tenants["alpha"].agents["agent"]
        ok(agent.post(f"{BASE}/agents/{agent_id}/state", json={"state": "available"}))
        contact_id = _new_contact(center, agent, "fred@example.com", "<f1@ex>")
        url = f"{BASE}/contacts/{contact_id}/mail/replies"

        failed = ok(agent.post(url, json={"text": "On its way."}), 201)
        assert failed["status"] == "failed"
        assert "Connection refused" in failed["error"] or "Errno" in failed["error"]
        assert failed["attempts"] == 1
        assert failed["next_attempt_at"] is not None

        again = ok(agent.post(f"{url}/{failed['mail_id']}/retry"))
        assert again["status"] == "failed"
        assert again["attempts"] == 2

        # the server works again; Headset restarts before the next attempt is due
        ok(center.admin.put(f"{BASE}/mailboxes/direct", json=direct))
        settings = center.app.state.runtime.settings
        center = _restarted(center, settings)
        agent = center.as_user("alpha", "agent")
        time.sleep(0.5)
        still = ok(agent.get(f"{BASE}/contacts/{contact_id}/mail"))["messages"]
        assert [m["status"] for m in still if m["kind"] == "reply"] == ["failed"]
        center.clock.offset += RETRY_DELAYS[1] + timedelta(seconds=1)

        def sent() -> Any:
            rows = ok(agent.get(f"{BASE}/contacts/{contact_id}/mail"))["messages"]
            return [m for m in rows if m["kind"] == "reply" and m["status"] == "sent"]

        done = _wait_for(sent)[0]
        assert done["attempts"] == 3
        assert done["error"] is None
        arrived = servers.wait_for("fred", lambda m: m["Message-ID"] == failed["message_id"])
        assert "On its way." in arrived.get_content()
        # a sent reply cannot be retried
        refused = agent.post(f"{url}/{failed['mail_id']}/retry")
        assert refused.status_code == 409
    finally:
        center.close()
        center.served.stop()
