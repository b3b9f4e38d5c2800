"""The wallboard in a real browser: live queue figures, agents' states, and acting on them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.service.conftest import Center, ok

BASE = "/api/v1/tenants/alpha"


@pytest.fixture(scope="module", autouse=True)
def support_queue(center: Center) -> None:
    """A second queue nobody answers, to reassign a waiting contact to; an away reason."""
    ok(
        center.admin.put(
            f"{BASE}/queues/alpha-support", json={"queue_id": "alpha-support", "name": "Support"}
        )
    )
    ok(center.admin.put(f"{BASE}/away-reasons/lunch", json={"code": "lunch", "label": "Lunch"}))


def open_wallboard(page: Page, center: Center) -> None:
    username, password, _ = center.tenants["alpha"].users["supervisor"]
    sign_in(page, username, password)
    expect(page).to_have_url(re.compile("/wallboard$"))
    expect(page.locator("#live-status")).to_have_text("Live")


def test_new_waiting_contact_and_agent_state_show_within_a_second(
    page: Page, center: Center
) -> None:
    open_wallboard(page, center)
    sales = page.locator('[data-queues] tr[data-queue="alpha-sales"]')
    expect(sales.locator("th")).to_have_text("Sales")
    expect(sales.locator("td").first).to_have_text("0")
    agent_id = center.tenants["alpha"].agents["agent"]
    agent_row = page.locator(f'[data-agents] tr[data-agent="{agent_id}"]')
    expect(agent_row.locator("td.state")).to_have_text("Offline")

    body = {"queue_id": "alpha-sales", "subject": "Where is my parcel"}
    contact_id = ok(center.admin.post(f"{BASE}/contacts", json=body), 201)["contact_id"]
    # stats reach the wallboard every second: a second, plus a little for a loaded machine
    expect(sales.locator("td").first).to_have_text("1", timeout=1500)
    waiting = page.locator(f'[data-waiting] tr[data-contact="{contact_id}"]')
    expect(waiting).to_contain_text("Where is my parcel")

    waiting.get_by_label(f"Reassign {contact_id} to").select_option(label="Support")
    waiting.get_by_role("button", name="Move").click()
    expect(waiting.locator("td").first).to_have_text("Support")
    expect(sales.locator("td").first).to_have_text("0", timeout=1500)
    support = page.locator('[data-queues] tr[data-queue="alpha-support"]')
    expect(support.locator("td").first).to_have_text("1", timeout=1500)

    agent = center.as_user("alpha", "agent")
    ok(agent.post(f"{BASE}/agents/{agent_id}/state", json={"state": "available"}))
    expect(agent_row.locator("td.state")).to_have_text("Available", timeout=1500)
    assert page.js_errors == []  # type: ignore[attr-defined]
    ok(center.admin.post(f"{BASE}/contacts/{contact_id}/abandon"))


def test_supervisor_sets_an_agent_away(page: Page, center: Center) -> None:
    open_wallboard(page, center)
    agent_id = center.tenants["alpha"].agents["agent"]
    row = page.locator(f'[data-agents] tr[data-agent="{agent_id}"]')
    row.get_by_label(f"New state for {agent_id}").select_option(label="Away: Lunch")
    row.get_by_role("button", name=f"Set the state of {agent_id}").click()
    expect(row.locator("td.state")).to_have_text("Away (Lunch)")
    found = ok(center.admin.get(f"{BASE}/agents/{agent_id}"))
    assert (found["state"], found["reason"]) == ("away", "lunch")
    expect(page.locator('[data-chart="volume"] svg')).to_have_attribute(
        "aria-label", re.compile(r"^\d+ contacts offered today$")
    )
    assert page.js_errors == []  # type: ignore[attr-defined]
