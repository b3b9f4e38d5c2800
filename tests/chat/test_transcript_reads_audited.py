"""Reading a chat's transcript is reading personal data: every read leaves an audit row."""

from __future__ import annotations

from tests.chat.conftest import ChatCenter, finish, start_chat
from tests.service.conftest import ok


def test_a_supervisor_reading_a_transcript_is_in_the_audit_trail(chat: ChatCenter) -> None:
    customer = start_chat(chat)
    message = {"text": "My parcel is late.", "client_message_id": "m-1"}
    ok(customer.post("/messages", json=message), 201)
    url = f"/api/v1/tenants/alpha/chats/{customer.chat_id}"
    transcript = ok(chat.supervisor.get(url))
    assert [m["text"] for m in transcript["messages"] if m.get("text")][-1] == "My parcel is late."

    audit = ok(chat.center.admin.get("/api/v1/tenants/alpha/audit", params={"limit": 1000}))
    reads = [i for i in audit["items"] if i["type"] == "audit.chat_transcript_viewed"]
    supervisor_id = chat.center.tenants["alpha"].users["supervisor"][2]
    assert reads[-1]["actor"] == f"user:{supervisor_id}"
    assert reads[-1]["data"] == {"contact_id": customer.chat_id, "after": 0}
    finish(chat, customer)
