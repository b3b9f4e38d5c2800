"""The customer card's need to know: an agent reads a customer and their history only while
handling one of their contacts, every read is audited, and tenants stay apart. Also the
transfer targets the desktop's transfer form lists."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.service.conftest import Center, login, ok

A = "/api/v1/tenants/alpha"
B = "/api/v1/tenants/beta"


@pytest.fixture(scope="module")
def colleague(center: Center) -> tuple[httpx.Client, str]:
    """A second agent of alpha's team ("agent B"), signed in, and their agent id."""
    password = "pw-colleague-alpha-2026"
    body = {"username": "alpha-bea", "display_name": "Bea", "role": "agent", "password": password}
    user = ok(center.admin.post(f"{A}/users", json=body), 201)
    alpha = center.tenants["alpha"]
    agent = {
        "agent_id": "alpha-bea",
        "display_name": "Bea Colleague",
        "user_id": user["user_id"],
        "team_id": alpha.team_id,
        "queues": [{"queue_id": alpha.queue_id}],
    }
    ok(center.admin.put(f"{A}/agents/alpha-bea", json=agent))
    ok(center.admin.put(f"{A}/dispositions/resolved", json={"code": "resolved", "label": "Done"}))
    client = login(center.url, "alpha-bea", password)
    center.clients.append(client)
    return client, "alpha-bea"


def set_state(client: httpx.Client, base: str, agent_id: str, state: str) -> None:
    ok(client.post(f"{base}/agents/{agent_id}/state", json={"state": state}))


def new_contact(center: Center, base: str, tenant: str, subject: str) -> str:
    body = {
        "queue_id": center.tenants[tenant].queue_id,
        "subject": subject,
        "customer": {"name": "Xena Customer", "email": "x@example.com", "external_id": "crm-x"},
    }
    return str(ok(center.admin.post(f"{base}/contacts", json=body), 201)["contact_id"])


def the_offer(client: httpx.Client, base: str, agent_id: str) -> str:
    rows = ok(client.get(f"{base}/stats/agents"))
    (row,) = [r for r in rows if r["agent_id"] == agent_id]
    (offer_id,) = row["offers"]
    return str(offer_id)


def handle_and_wrap_up(client: httpx.Client, base: str, agent_id: str, contact_id: str) -> None:
    ok(client.post(f"{base}/offers/{the_offer(client, base, agent_id)}/accept"))
    ok(client.post(f"{base}/contacts/{contact_id}/notes", json={"text": "private to B"}), 201)
    ok(client.post(f"{base}/contacts/{contact_id}/end"))
    ok(client.post(f"{base}/contacts/{contact_id}/wrap-up", json={"disposition": "resolved"}))


def audit_of(center: Center, kind: str) -> list[dict[str, Any]]:
    items = ok(center.admin.get(f"{A}/audit", params={"limit": 1000}))["items"]
    return [i for i in items if i["type"] == f"audit.{kind}"]


def test_the_handling_agent_reads_the_customer_and_colleagues_earlier_contacts(
    center: Center, colleague: tuple[httpx.Client, str]
) -> None:
    bea, bea_id = colleague
    agent = center.as_user("alpha", "agent")
    agent_id = center.tenants["alpha"].agents["agent"]
    agent_user = center.tenants["alpha"].users["agent"][2]

    set_state(bea, A, bea_id, "available")
    earlier = new_contact(center, A, "alpha", "Broken zip")
    handle_and_wrap_up(bea, A, bea_id, earlier)
    set_state(bea, A, bea_id, "offline")
    customer_id = ok(center.admin.get(f"{A}/contacts/{earlier}"))["customer_id"]

    # before any contact of the customer: 404, as for a customer that does not exist
    for path in (f"{A}/customers/{customer_id}", f"{A}/customers/{customer_id}/contacts"):
        refused = agent.get(path)
        assert refused.status_code == 404, refused.text
        assert "while handling one of their contacts" in refused.json()["detail"]
    assert ok(agent.get(f"{A}/customers")) == []

    set_state(agent, A, agent_id, "available")
    current = new_contact(center, A, "alpha", "Zip again")
    offer_id = the_offer(agent, A, agent_id)
    # an offer not yet accepted is no need to know yet
    assert agent.get(f"{A}/customers/{customer_id}").status_code == 404
    ok(agent.post(f"{A}/offers/{offer_id}/accept"))

    profile = ok(agent.get(f"{A}/customers/{customer_id}"))
    assert profile["name"] == "Xena Customer"
    assert [c["customer_id"] for c in ok(agent.get(f"{A}/customers"))] == [customer_id]
    history = ok(agent.get(f"{A}/customers/{customer_id}/contacts"))
    assert history["for_contact_id"] == current
    by_id = {item["contact_id"]: item for item in history["items"]}
    assert list(by_id) == [current, earlier]  # newest first
    assert by_id[earlier]["subject"] == "Broken zip"
    assert by_id[earlier]["disposition"] == "resolved"
    assert by_id[earlier]["status"] == "completed"
    assert by_id[earlier]["channel"] == "chat"
    assert by_id[earlier]["handled_by_you"] is False
    assert by_id[current]["handled_by_you"] is True
    # a summary: neither notes nor who the other agent was
    assert {"notes", "agent_id", "timeline"}.isdisjoint(by_id[earlier])
    # the earlier contact itself stays out of an agent's own contact.read scope
    assert agent.get(f"{A}/contacts/{earlier}").status_code == 404

    viewed = audit_of(center, "customer_history_viewed")
    assert viewed[-1]["actor"] == f"user:{agent_user}"
    assert viewed[-1]["data"] == {
        "customer_ids": [customer_id],
        "contact_ids": [current, earlier],
        "for_contact_id": current,
    }
    profile_reads = audit_of(center, "customers_viewed")
    assert {"customer_ids": [customer_id], "for_contact_id": current} in [
        r["data"] for r in profile_reads if r["actor"] == f"user:{agent_user}"
    ]

    # in wrap-up the agent still needs the card
    ok(agent.post(f"{A}/contacts/{current}/end"))
    ok(agent.get(f"{A}/customers/{customer_id}/contacts"))
    ok(agent.post(f"{A}/contacts/{current}/wrap-up", json={"disposition": "resolved"}))
    set_state(agent, A, agent_id, "offline")
    # once the contact is completed the right is gone
    assert agent.get(f"{A}/customers/{customer_id}").status_code == 404
    assert agent.get(f"{A}/customers/{customer_id}/contacts").status_code == 404
    assert ok(agent.get(f"{A}/customers")) == []

    # a supervisor keeps the tenant scope without handling anything
    supervisor = center.as_user("alpha", "supervisor")
    seen = ok(supervisor.get(f"{A}/customers/{customer_id}/contacts"))
    assert seen["for_contact_id"] is None
    assert [i["contact_id"] for i in seen["items"]] == [current, earlier]
    assert "for_contact_id" not in audit_of(center, "customer_history_viewed")[-1]["data"]


def test_an_agent_of_beta_never_sees_alphas_customer(center: Center) -> None:
    alpha_contact = new_contact(center, A, "alpha", "Alpha only")
    customer_id = ok(center.admin.get(f"{A}/contacts/{alpha_contact}"))["customer_id"]
    beta = center.as_user("beta", "agent")
    beta_agent = center.tenants["beta"].agents["agent"]
    set_state(beta, B, beta_agent, "available")
    beta_contact = new_contact(center, B, "beta", "Beta's own")
    ok(beta.post(f"{B}/offers/{the_offer(beta, B, beta_agent)}/accept"))
    try:
        # even while handling a contact of beta's customer of the same external id
        beta_customer = ok(center.admin.get(f"{B}/contacts/{beta_contact}"))["customer_id"]
        assert beta_customer != customer_id
        ok(beta.get(f"{B}/customers/{beta_customer}/contacts"))
        for path in (f"{A}/customers/{customer_id}", f"{A}/customers/{customer_id}/contacts"):
            assert beta.get(path).status_code == 404  # alpha is not a tenant of theirs
        for path in (f"{B}/customers/{customer_id}", f"{B}/customers/{customer_id}/contacts"):
            assert beta.get(path).status_code == 404  # no such customer in beta
        history = ok(beta.get(f"{B}/customers/{beta_customer}/contacts"))
        assert [i["contact_id"] for i in history["items"]] == [beta_contact]
    finally:
        ok(center.admin.post(f"{A}/contacts/{alpha_contact}/abandon"))  # nobody takes it
        ok(beta.post(f"{B}/contacts/{beta_contact}/end"))
        ok(beta.post(f"{B}/contacts/{beta_contact}/wrap-up", json={}))
        set_state(beta, B, beta_agent, "offline")


def test_transfer_targets_list_the_tenants_queues_and_agents_with_their_state(
    center: Center, colleague: tuple[httpx.Client, str]
) -> None:
    bea, bea_id = colleague
    agent = center.as_user("alpha", "agent")
    agent_id = center.tenants["alpha"].agents["agent"]
    set_state(bea, A, bea_id, "available")
    try:
        targets = ok(agent.get(f"{A}/transfer-targets"))
        assert [q["queue_id"] for q in targets["queues"]] == [center.tenants["alpha"].queue_id]
        assert targets["queues"][0]["name"] == "Sales"
        by_id = {a["agent_id"]: a for a in targets["agents"]}
        assert set(by_id) == {agent_id, bea_id, center.tenants["alpha"].agents["team_leader"]}
        assert by_id[bea_id] == {
            "agent_id": bea_id,
            "display_name": "Bea Colleague",
            "state": "available",
            "can_take_now": True,
            "is_you": False,
        }
        assert by_id[agent_id]["state"] == "offline"
        assert by_id[agent_id]["can_take_now"] is False
        assert by_id[agent_id]["is_you"] is True

        # for a given contact: its holder cannot take it again
        set_state(agent, A, agent_id, "available")
        set_state(bea, A, bea_id, "offline")
        contact_id = new_contact(center, A, "alpha", "Pass me on")
        ok(agent.post(f"{A}/offers/{the_offer(agent, A, agent_id)}/accept"))
        set_state(bea, A, bea_id, "available")
        mine = ok(agent.get(f"{A}/transfer-targets", params={"contact_id": contact_id}))
        flags = {a["agent_id"]: (a["state"], a["can_take_now"]) for a in mine["agents"]}
        assert flags[agent_id] == ("busy", False)
        assert flags[bea_id] == ("available", True)
        ok(agent.post(f"{A}/contacts/{contact_id}/transfer", json={"agent_id": bea_id}))
        ok(bea.post(f"{A}/offers/{the_offer(bea, A, bea_id)}/accept"))
        ok(bea.post(f"{A}/contacts/{contact_id}/end"))
        ok(bea.post(f"{A}/contacts/{contact_id}/wrap-up", json={}))
    finally:
        set_state(bea, A, bea_id, "offline")
        set_state(agent, A, agent_id, "offline")

    # another tenant's contact, and a role that may not transfer
    assert agent.get(f"{A}/transfer-targets", params={"contact_id": "c_nope"}).status_code == 404
    assert center.as_user("beta", "agent").get(f"{A}/transfer-targets").status_code == 404
    refused = center.as_user("alpha", "qa").get(f"{A}/transfer-targets")
    assert refused.status_code == 403, refused.text
    beta_targets = ok(center.as_user("beta", "agent").get(f"{B}/transfer-targets"))
    assert all(a["agent_id"].startswith("beta-") for a in beta_targets["agents"])
