"""A chat visitor who types a known customer's address neither becomes nor renames that
customer: the chat gets a customer of its own with a masked possible match, and the agent
sees the known customer's earlier contacts only after confirming the match (audited)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.chat.conftest import GENEROUS, ChatCenter, shop_widget
from tests.service.conftest import ok, start_center

A = "/api/v1/tenants/alpha"
VERA = {"name": "Vera Victim", "email": "vera@example.com", "external_id": "crm-vera"}


@pytest.fixture(scope="module")
def claims(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatCenter]:
    center = start_center(tmp_path_factory.mktemp("claims"), visitor_rates=GENEROUS)
    try:
        key = shop_widget(center)
        agent = center.as_user("alpha", "agent")
        yield ChatCenter(center, key, agent, center.as_user("alpha", "supervisor"))
    finally:
        center.close()
        center.served.stop()


def _agent_id(chat: ChatCenter) -> str:
    return chat.center.tenants["alpha"].agents["agent"]


def _accept_next(chat: ChatCenter) -> None:
    rows = ok(chat.agent.get(f"{A}/stats/agents"))
    (row,) = [r for r in rows if r["agent_id"] == _agent_id(chat)]
    (offer_id,) = row["offers"]
    ok(chat.agent.post(f"{A}/offers/{offer_id}/accept"))


def _earlier_contact_of_vera(chat: ChatCenter) -> tuple[str, str]:
    """Vera, known to the CRM, had a contact the agent handled: (customer id, contact id)."""
    ok(chat.agent.post(f"{A}/agents/{_agent_id(chat)}/state", json={"state": "available"}))
    body = {"queue_id": "alpha-sales", "subject": "Her loan", "customer": VERA}
    contact_id = ok(chat.center.admin.post(f"{A}/contacts", json=body), 201)["contact_id"]
    _accept_next(chat)
    ok(chat.agent.post(f"{A}/contacts/{contact_id}/end"))
    ok(chat.agent.post(f"{A}/contacts/{contact_id}/wrap-up", json={}))
    customer_id = ok(chat.center.admin.get(f"{A}/contacts/{contact_id}"))["customer_id"]
    return str(customer_id), str(contact_id)


def _audit(chat: ChatCenter, kind: str) -> list[dict[str, Any]]:
    items = ok(chat.center.admin.get(f"{A}/audit", params={"limit": 1000}))["items"]
    return [i["data"] for i in items if i["type"] == f"audit.{kind}"]


def test_a_visitor_claiming_a_known_address_gets_a_customer_of_their_own(
    claims: ChatCenter,
) -> None:
    vera_id, earlier = _earlier_contact_of_vera(claims)
    form = {"name": "Mallory", "email": "vera@example.com", "topic_id": "sales"}
    chat_id = ok(httpx.post(f"{claims.center.url}{claims.public}/chats", json=form), 201)["chat_id"]
    _accept_next(claims)

    # the known customer is neither claimed nor renamed
    claimed_id = ok(claims.agent.get(f"{A}/contacts/{chat_id}"))["customer_id"]
    assert claimed_id != vera_id
    vera = ok(claims.center.admin.get(f"{A}/customers/{vera_id}"))
    assert (vera["name"], vera["email"], vera["possible_match"]) == (
        "Vera Victim",
        "vera@example.com",
        None,
    )

    # the card: what the visitor typed, unverified, possibly Vera (masked)
    card = ok(claims.agent.get(f"{A}/customers/{claimed_id}"))
    assert (card["name"], card["email"]) == ("Mallory", "vera@example.com")
    assert card["possible_match"] == {
        "customer_id": vera_id,
        "hint": "V*** V***, v***@e***.com",
        "is_verified": False,
    }
    # and none of Vera's earlier contacts, nor Vera herself
    history = ok(claims.agent.get(f"{A}/customers/{claimed_id}/contacts"))["items"]
    assert [c["contact_id"] for c in history] == [chat_id]
    assert claims.agent.get(f"{A}/customers/{vera_id}").status_code == 404
    assert claims.agent.get(f"{A}/customers/{vera_id}/contacts").status_code == 404

    # a left message with her address claims nothing either
    left = {**form, "name": "Mallory again", "message": "Call me"}
    contact = ok(httpx.post(f"{claims.center.url}{claims.public}/left-messages", json=left), 201)
    left_customer = ok(claims.center.admin.get(f"{A}/contacts/{contact['contact_id']}"))
    assert left_customer["customer_id"] not in {vera_id, claimed_id}
    assert ok(claims.center.admin.get(f"{A}/customers/{vera_id}"))["name"] == "Vera Victim"

    # the agent checks who they talk to, and confirms: the card becomes Vera's
    confirmed = ok(claims.agent.post(f"{A}/customers/{claimed_id}/confirm-match"))
    assert confirmed == {
        "customer_id": claimed_id,
        "merged_into_id": vera_id,
        "contact_ids": [chat_id],
    }
    assert ok(claims.agent.get(f"{A}/contacts/{chat_id}"))["customer_id"] == vera_id
    history = ok(claims.agent.get(f"{A}/customers/{vera_id}/contacts"))["items"]
    assert {c["contact_id"] for c in history} == {chat_id, earlier}
    assert ok(claims.agent.get(f"{A}/customers/{vera_id}"))["name"] == "Vera Victim"
    assert _audit(claims, "customer_match_confirmed") == [
        {
            "customer_ids": [claimed_id, vera_id],
            "customer_id": claimed_id,
            "merged_into_id": vera_id,
            "for_contact_id": chat_id,
        }
    ]
    again = claims.agent.post(f"{A}/customers/{claimed_id}/confirm-match")
    assert again.status_code == 404  # no longer a customer of a contact the agent holds
    late = claims.supervisor.post(f"{A}/customers/{claimed_id}/confirm-match")
    assert late.status_code == 409
    assert late.json()["code"] == "no_possible_match"


def test_only_someone_who_may_see_the_customer_confirms(claims: ChatCenter) -> None:
    form = {"name": "Mallory", "email": "vera@example.com", "topic_id": "sales"}
    left = {**form, "message": "hello"}
    contact = ok(httpx.post(f"{claims.center.url}{claims.public}/left-messages", json=left), 201)
    customer_id = ok(claims.center.admin.get(f"{A}/contacts/{contact['contact_id']}"))[
        "customer_id"
    ]
    # the agent does not hold this contact: as if the customer did not exist
    refused = claims.agent.post(f"{A}/customers/{customer_id}/confirm-match")
    assert refused.status_code == 404
    assert ok(claims.center.admin.get(f"{A}/customers/{customer_id}"))["possible_match"]
