"""The desktop's customer card shows a colleague's earlier contact with the customer, and the
transfer form lists the tenant's agents with their state: A picks B, B gets the offer."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.service.conftest import Center, live, login, next_event, ok

BASE = "/api/v1/tenants/alpha"
CUSTOMER = {"name": "Olga Example", "email": "olga@example.com", "external_id": "crm-olga"}


@pytest.fixture(scope="module")
def bea(center: Center) -> httpx.Client:
    """A colleague of the seeded agent, in the same team and queue, signed in over the API."""
    password = "pw-bea-alpha-2026-long"
    body = {"username": "alpha-bea", "display_name": "Bea", "role": "agent", "password": password}
    user = ok(center.admin.post(f"{BASE}/users", json=body), 201)
    alpha = center.tenants["alpha"]
    agent = {
        "agent_id": "alpha-bea",
        "display_name": "Bea Colleague",
        "user_id": user["user_id"],
        "team_id": alpha.team_id,
        "queues": [{"queue_id": alpha.queue_id}],
    }
    ok(center.admin.put(f"{BASE}/agents/alpha-bea", json=agent))
    disposition = {"code": "resolved", "label": "Resolved"}
    ok(center.admin.put(f"{BASE}/dispositions/resolved", json=disposition))
    client = login(center.url, "alpha-bea", password)
    center.clients.append(client)
    return client


def new_contact(center: Center, subject: str) -> str:
    body = {"queue_id": center.tenants["alpha"].queue_id, "subject": subject, "customer": CUSTOMER}
    return str(ok(center.admin.post(f"{BASE}/contacts", json=body), 201)["contact_id"])


def offer_of(client: httpx.Client, agent_id: str) -> str:
    (row,) = [r for r in ok(client.get(f"{BASE}/stats/agents")) if r["agent_id"] == agent_id]
    (offer_id,) = row["offers"]
    return str(offer_id)


def state(client: httpx.Client, agent_id: str, value: str) -> None:
    ok(client.post(f"{BASE}/agents/{agent_id}/state", json={"state": value}))


def test_card_shows_a_colleagues_contact_and_the_transfer_goes_to_a_listed_agent(
    page: Page, center: Center, bea: httpx.Client
) -> None:
    # Bea handled the customer before
    state(bea, "alpha-bea", "available")
    earlier = new_contact(center, "Broken zip")
    ok(bea.post(f"{BASE}/offers/{offer_of(bea, 'alpha-bea')}/accept"))
    ok(bea.post(f"{BASE}/contacts/{earlier}/end"))
    ok(bea.post(f"{BASE}/contacts/{earlier}/wrap-up", json={"disposition": "resolved"}))
    state(bea, "alpha-bea", "offline")

    username, password, _ = center.tenants["alpha"].users["agent"]
    sign_in(page, username, password)
    expect(page).to_have_url(re.compile("/desktop$"))
    expect(page.locator("#live-status")).to_have_text("Live")
    page.get_by_label("Set your state").select_option("available")
    expect(page.locator("#state-now")).to_have_text("Available")
    contact_id = new_contact(center, "Zip broke again")
    page.get_by_role("alertdialog").get_by_role("button", name="Accept").click()

    panel = page.get_by_role("tabpanel")
    expect(page.get_by_role("tab", name="Olga Example")).to_be_visible()
    history = panel.locator("[data-history]")
    expect(history).to_contain_text("Broken zip")
    expect(history).to_contain_text("Resolved")  # the disposition's label, not its code
    expect(history).not_to_contain_text("Zip broke again")  # the contact in hand is not "earlier"
    expect(history).not_to_contain_text("handled by you")

    # Bea is back: the list, read when the agent goes to the form, shows her state
    state(bea, "alpha-bea", "available")
    with live(center.ws_url, bea) as stream:
        picker = panel.get_by_label("Or to an agent")
        picker.focus()
        bea_option = picker.locator('option[value="alpha-bea"]')
        expect(bea_option).to_have_text("Bea Colleague (Available, can take it now)")
        agent_id = center.tenants["alpha"].agents["agent"]
        expect(picker.locator(f'option[value="{agent_id}"]')).to_have_count(0)  # not oneself
        expect(picker.locator("option", has_text="alpha-team-leader (Offline)")).to_have_count(1)

        panel.get_by_label("To a queue").select_option(label="Sales")
        picker.select_option("alpha-bea")
        panel.get_by_role("button", name="Transfer", exact=True).click()
        expect(panel.locator("[data-action-error]")).to_have_text(
            "Choose a queue or an agent, not both."
        )
        panel.get_by_label("To a queue").select_option("")
        panel.get_by_role("button", name="Transfer", exact=True).click()
        expect(page.get_by_role("tab")).to_have_count(0)  # it left this agent

        offered = next_event(stream, "routing.contact_offered", timeout=10)
        assert offered["data"]["agent_id"] == "alpha-bea"
        assert offered["data"]["contact_id"] == contact_id
    ok(bea.post(f"{BASE}/offers/{offered['data']['offer_id']}/accept"))
    ok(bea.post(f"{BASE}/contacts/{contact_id}/end"))
    ok(bea.post(f"{BASE}/contacts/{contact_id}/wrap-up", json={}))
    state(bea, "alpha-bea", "offline")
    assert page.js_errors == []  # type: ignore[attr-defined]
