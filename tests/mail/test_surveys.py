"""The survey link by e-mail, on real servers: after an e-mail contact of a mailbox that
sends it is wrapped up, the link arrives in the customer's IMAP mailbox in the
conversation's thread, opens the survey page, and the answer is stored once."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from headset.storage.tables import survey_answers
from tests.mail.conftest import MailServers, mail_bodies_smtp, mail_center, wait_connected
from tests.mail.messages import plain
from tests.service.conftest import Center, live, next_event, ok

BASE = "/api/v1/tenants/alpha"


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory, servers: MailServers) -> Iterator[Center]:
    c = mail_center(Path(tmp_path_factory.mktemp("surveys")), servers)
    try:
        support = {**mail_bodies_smtp(servers)["support"], "send_survey": True}
        ok(c.admin.put(f"{BASE}/mailboxes/support", json=support))
        wait_connected(c)
        yield c
    finally:
        c.close()
        c.served.stop()


def test_the_survey_link_arrives_threaded_and_is_answered_once(
    center: Center, servers: MailServers
) -> None:
    agent = center.as_user("alpha", "agent")
    agent_id = center.tenants["alpha"].agents["agent"]
    ok(agent.post(f"{BASE}/agents/{agent_id}/state", json={"state": "available"}))
    with live(center.ws_url, agent) as ws:
        servers.send(plain("Can I pay in parts?", sender="Vera <vera@example.com>",
                           to="support@example.com", message_id="<v1@example.com>"),
                     "support@example.com", "vera@example.com")  # fmt: skip
        offer = next_event(ws, "routing.contact_offered", 20)["data"]
    contact_id = offer["contact_id"]
    ok(agent.post(f"{BASE}/offers/{offer['offer_id']}/accept"))
    reference = ok(agent.get(f"{BASE}/contacts/{contact_id}/mail"))["reference"]
    ok(agent.post(f"{BASE}/contacts/{contact_id}/mail/replies", json={"text": "Yes."}), 201)
    ok(agent.post(f"{BASE}/contacts/{contact_id}/end"))
    assert not [m for m in servers.inbox("vera") if "/survey/" in m.get_body().get_content()]
    ok(agent.post(f"{BASE}/contacts/{contact_id}/wrap-up", json={}))

    invitation = servers.wait_for(
        "vera", lambda m: "/survey/" in (m.get_body(("plain",)) or m).get_content()
    )
    assert invitation["Auto-Submitted"] == "auto-generated"
    assert invitation["In-Reply-To"] == "<v1@example.com>"
    assert f"[#{reference}]" in str(invitation["Subject"])
    link = re.search(r"(https?://\S+/survey/\S+)", invitation.get_body().get_content())
    assert link is not None
    path = "/survey/" + link.group(1).split("/survey/", 1)[1]
    assert link.group(1).startswith("http://127.0.0.1:")  # no HEADSET_PUBLIC_URL: host:port

    page = httpx.get(center.url + path)
    assert page.status_code == 200
    assert "How did we do?" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    missing = httpx.post(center.url + path, data={"comment": "no rating"})
    assert missing.status_code == 422
    assert "Choose a rating from 1 to 5." in missing.text
    answered = httpx.post(center.url + path, data={"rating": "5", "comment": "Quick!"})
    assert answered.status_code == 200
    assert "Thank you for your answer." in answered.text
    again = httpx.post(center.url + path, data={"rating": "1"})
    assert "already answered" in again.text
    with center.app.state.runtime.reader.connect() as conn:
        rows = conn.execute(
            select(survey_answers.c.rating, survey_answers.c.comment).where(
                survey_answers.c.contact_id == contact_id
            )
        ).all()
    assert [tuple(r) for r in rows] == [(5, "Quick!")]
    # only once per contact, and a forged or altered token opens nothing
    assert len([m for m in servers.inbox("vera") if "/survey/" in str(m)]) == 1
    forged = path[:-3] + ("aaa" if not path.endswith("aaa") else "bbb")
    assert httpx.get(center.url + forged).status_code == 404
    assert httpx.get(center.url + "/survey/alpha.c_other.xyz").status_code == 404


def test_a_survey_link_lost_to_a_stop_after_the_wrap_up_is_sent_at_the_next_start(
    center: Center, servers: MailServers
) -> None:
    room = center.services.mailroom
    agent = center.as_user("alpha", "agent")
    agent_id = center.tenants["alpha"].agents["agent"]
    ok(agent.post(f"{BASE}/agents/{agent_id}/state", json={"state": "available"}))
    with live(center.ws_url, agent) as ws:
        servers.send(plain("Is the shop open on Sunday?", sender="Wim <wim@example.com>",
                           to="support@example.com", message_id="<w1@example.com>"),
                     "support@example.com", "wim@example.com")  # fmt: skip
        offer = next_event(ws, "routing.contact_offered", 20)["data"]
    contact_id = offer["contact_id"]
    ok(agent.post(f"{BASE}/offers/{offer['offer_id']}/accept"))
    ok(agent.post(f"{BASE}/contacts/{contact_id}/end"))
    # the process "stops" between the wrap-up's commit and the link: nobody hears the commit
    center.app.state.runtime.host.listeners.remove(room._on_events)
    try:
        ok(agent.post(f"{BASE}/contacts/{contact_id}/wrap-up", json={}))
    finally:
        center.app.state.runtime.host.listeners.append(room._on_events)
    assert not [m for m in servers.inbox("wim") if "/survey/" in str(m)]

    # what the next start runs: the wrapped-up contact without a survey gets it, once
    loop = room._loop
    assert loop is not None
    sent = asyncio.run_coroutine_threadsafe(room.send_missed_surveys(), loop).result(30)
    assert sent == 1
    servers.wait_for("wim", lambda m: "/survey/" in (m.get_body(("plain",)) or m).get_content())
    again = asyncio.run_coroutine_threadsafe(room.send_missed_surveys(), loop).result(30)
    assert again == 0  # every wrapped-up contact has had its survey now
    assert len([m for m in servers.inbox("wim") if "/survey/" in str(m)]) == 1
