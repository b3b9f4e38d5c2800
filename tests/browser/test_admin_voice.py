"""Administration of calls in the browser: IVR flows as JSON with errors at their step, prompt
uploads, a widget's calls and flow, a queue's recording policy and announcements."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.test_admin import as_manager, field
from tests.browser.test_call import write_tone
from tests.service.conftest import Center, ok

BASE = "/api/v1/tenants/alpha"


def _flow(queue_id: str, menu_target: str) -> list[dict[str, object]]:
    return [
        {"id": "welcome", "type": "play", "text": "Welcome to Alpha.", "next": "menu"},
        {
            "id": "menu",
            "type": "menu",
            "text": "For sales, press 1.",
            "options": {"1": menu_target},
            "on_timeout": "sales",
        },
        {"id": "sales", "type": "queue", "queue_id": queue_id},
    ]


def test_an_ivr_flow_is_written_as_json_and_its_errors_point_at_the_step(
    page: Page, center: Center
) -> None:
    sales = center.tenants["alpha"].queue_id
    as_manager(page, center)
    page.get_by_role("link", name="IVR flows").click()
    expect(page).to_have_url(re.compile("/admin/t/alpha/ivr-flows$"))
    page.get_by_role("link", name=re.compile("^New")).click()
    steps = field(page, "Steps (JSON)")
    # the form starts from an example that shows every common step
    assert [s["type"] for s in json.loads(steps.input_value())] == [
        "play",
        "menu",
        "queue",
        "voicemail",
    ]
    field(page, "Id").fill("main")
    field(page, "Name").fill("Main menu")

    # text that is not JSON is refused at the field, and nothing is sent
    steps.fill('[{"id": "welcome", "type": "play",')
    page.get_by_role("button", name="Save").click()
    expect(steps).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-steps-error")).to_contain_text("This is not valid JSON")
    assert ok(center.admin.get(f"{BASE}/ivr-flows")) == []

    # a menu key naming no step: the API's error is shown as the step and its field
    steps.fill(json.dumps(_flow(sales, "nowhere"), indent=2))
    page.get_by_role("button", name="Save").click()
    error = page.locator("#f-steps-error")
    expect(error).to_have_text("Step 2 (menu) · options · 1: names no step of this flow: 'nowhere'")
    expect(steps).to_be_focused()
    assert ok(center.admin.get(f"{BASE}/ivr-flows")) == []

    steps.fill(json.dumps(_flow(sales, "sales"), indent=2))
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/admin/t/alpha/ivr-flows\?saved=main"))
    row = page.get_by_role("row", name=re.compile("main"))
    expect(row).to_contain_text("Main menu")
    expect(row.locator("td.num")).to_have_text("3")
    stored = ok(center.admin.get(f"{BASE}/ivr-flows/main"))
    assert (stored["name"], stored["steps"]) == ("Main menu", _flow(sales, "sales"))

    # editing shows the stored steps again, as JSON
    row.get_by_role("link", name=re.compile("^Edit")).click()
    assert json.loads(field(page, "Steps (JSON)").input_value()) == _flow(sales, "sales")


def test_a_prompt_is_uploaded_and_a_widget_and_a_queue_get_their_call_settings(
    page: Page, center: Center, tmp_path: Path
) -> None:
    sales = center.tenants["alpha"].queue_id
    if not ok(center.admin.get(f"{BASE}/ivr-flows")):
        flow = {"name": "Main menu", "steps": _flow(sales, "sales")}
        ok(center.admin.put(f"{BASE}/ivr-flows/main", json=flow))
    as_manager(page, center)

    # a prompt: a WAV file uploaded as it is
    page.get_by_role("link", name="Prompts").click()
    page.get_by_role("link", name=re.compile("^New")).click()
    field(page, "Id").fill("welcome")
    field(page, "Name").fill("Welcome message")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#f-file-error")).to_have_text("Choose a file.")
    field(page, "Recording (WAV)").set_input_files(str(write_tone(tmp_path / "w.wav", 440, 1.5)))
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/admin/t/alpha/prompts\?saved=welcome"))
    expect(page.get_by_role("row", name=re.compile("welcome"))).to_contain_text("Welcome message")
    (prompt,) = ok(center.admin.get(f"{BASE}/prompts"))
    assert (prompt["prompt_id"], prompt["name"]) == ("welcome", "Welcome message")
    assert abs(prompt["duration_s"] - 1.5) < 0.01

    # a widget's calls run the flow
    widget = {
        "display_name": "Alpha Phone",
        "topics": [{"topic_id": "sales", "label": "Sales", "queue_id": sales}],
        "voice_enabled": False,
    }
    ok(center.admin.put(f"{BASE}/widgets/phone", json=widget))
    page.goto("/admin/t/alpha/widgets/phone/edit")
    calls = field(page, "Calls (the Call us button)")
    expect(calls).not_to_be_checked()
    calls.check()
    field(page, "IVR flow for calls").select_option(label="Main menu")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/admin/t/alpha/widgets\?saved=phone"))
    stored = ok(center.admin.get(f"{BASE}/widgets/phone"))
    assert (stored["voice_enabled"], stored["ivr_flow_id"]) == (True, "main")

    # a queue records on demand and announces the place in line every 20 s
    page.goto(f"/admin/t/alpha/queues/{sales}/edit")
    field(page, "Call recording").select_option("on_demand")
    field(page, "Tell waiting callers their place every (seconds)").fill("2")
    page.get_by_role("button", name="Save").click()
    expect(field(page, "Tell waiting callers their place every (seconds)")).to_have_attribute(
        "aria-invalid", "true"
    )
    field(page, "Tell waiting callers their place every (seconds)").fill("20")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/admin/t/alpha/queues\?saved="))
    queue = ok(center.admin.get(f"{BASE}/queues/{sales}"))
    assert (queue["recording"], queue["announce_every_s"]) == ("on_demand", 20)
    assert page.js_errors == []  # type: ignore[attr-defined]
