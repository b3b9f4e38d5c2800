"""Reading an e-mail conversation is reading personal data: every read leaves an audit row."""

from __future__ import annotations

import smtplib

import httpx

from tests.mail.conftest import receiver_port
from tests.mail.messages import plain
from tests.service.conftest import Center, live, next_event, ok

BASE = "/api/v1/tenants/alpha"


def test_reading_an_email_conversation_is_in_the_audit_trail(
    center: Center, agent: httpx.Client
) -> None:
    sender = "audit-reader@example.com"
    with live(center.ws_url, agent) as ws:
        with smtplib.SMTP("127.0.0.1", receiver_port(center), timeout=10) as smtp:
            raw = plain("Is my order here?", sender=sender, to="direct@alpha.example.com",
                        message_id="<audit-1@ex>")  # fmt: skip
            assert smtp.sendmail(sender, ["direct@alpha.example.com"], raw) == {}
        contact_id = next_event(ws, "routing.contact_offered", 20)["data"]["contact_id"]
    manager = center.as_user("alpha", "manager")
    conversation = ok(manager.get(f"{BASE}/contacts/{contact_id}/mail"))
    assert conversation["messages"]

    audit = ok(center.admin.get(f"{BASE}/audit", params={"limit": 1000}))["items"]
    reads = [i for i in audit if i["type"] == "audit.mail_conversation_viewed"]
    manager_id = center.tenants["alpha"].users["manager"][2]
    assert [r["actor"] for r in reads if r["data"] == {"contact_id": contact_id}] == [
        f"user:{manager_id}"
    ]
