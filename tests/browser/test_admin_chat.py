"""Administration of web chat in the browser: canned responses, chat widgets, team targets."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, sign_in
from tests.browser.test_admin import as_manager, field
from tests.browser.test_layout import overflow
from tests.service.conftest import Center, ok


def test_a_manager_creates_a_canned_response_after_a_bad_shortcut_is_explained(
    page: Page, center: Center
) -> None:
    as_manager(page, center)
    page.get_by_role("link", name="Canned responses").click()
    expect(page).to_have_url(re.compile("/admin/t/alpha/canned-responses$"))
    page.get_by_role("link", name=re.compile("^New")).click()
    field(page, "Shortcut").fill("Thanks You!")
    field(page, "Title").fill("Thanks for waiting")
    field(page, "Text").fill("Thank you for waiting.\nI am looking into it now.")
    field(page, "Language").fill("en")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_have_text("Please correct the fields marked below.")
    shortcut = field(page, "Shortcut")
    expect(shortcut).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-shortcut-error")).to_be_visible()
    expect(shortcut).to_be_focused()
    # nothing typed is lost, the lines of the text included
    expect(shortcut).to_have_value("Thanks You!")
    expect(field(page, "Title")).to_have_value("Thanks for waiting")
    expect(field(page, "Text")).to_have_value("Thank you for waiting.\nI am looking into it now.")
    assert page.url.endswith("/canned-responses/new")

    shortcut.fill("thanks-wait")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/admin/t/alpha/canned-responses\?saved=cr_"))
    expect(page.locator("#list-status")).to_have_text("Saved: thanks-wait")
    row = page.get_by_role("row", name=re.compile("thanks-wait"))
    expect(row).to_contain_text("Thanks for waiting")
    stored = ok(center.admin.get("/api/v1/tenants/alpha/canned-responses?prefix=thanks-w"))
    assert [(c["shortcut"], c["body"], c["language"]) for c in stored] == [
        ("thanks-wait", "Thank you for waiting.\nI am looking into it now.", "en")
    ]
    # the shortcut is taken now: a second one is refused with the API's reason, input kept
    page.get_by_role("link", name=re.compile("^New")).click()
    field(page, "Shortcut").fill("thanks-wait")
    field(page, "Title").fill("Again")
    field(page, "Text").fill("Again.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("taken")
    expect(field(page, "Title")).to_have_value("Again")


def _topic(page: Page, index: int) -> dict[str, object]:
    row = page.locator("[data-row]").nth(index)
    return {
        "topic_id": row.get_by_label("Topic id"),
        "label": row.get_by_label("Shown as"),
        "queue_id": row.get_by_label("Queue"),
        "skills": row.get_by_label("Skills, as french=5"),
    }


def test_a_manager_creates_a_widget_with_two_topics_and_the_hosted_page_offers_them(
    page: Page, center: Center
) -> None:
    alpha = center.tenants["alpha"]
    ok(
        center.admin.put(
            "/api/v1/tenants/alpha/queues/alpha-billing",
            json={"queue_id": "alpha-billing", "name": "Billing"},
        )
    )
    as_manager(page, center)
    page.get_by_role("link", name="Chat widgets").click()
    page.get_by_role("link", name=re.compile("^New")).click()
    field(page, "Id").fill("alpha-site")
    field(page, "Name shown to customers").fill("Alpha help")
    field(page, "Greeting").fill("Hello! How can we help?")
    field(page, "Colour").fill("blue")
    for _ in range(2):
        page.get_by_role("button", name="Add a row").click()
    first, second = _topic(page, 0), _topic(page, 1)
    first["topic_id"].fill("buying")  # type: ignore[attr-defined]
    first["label"].fill("Buying a plan")  # type: ignore[attr-defined]
    first["queue_id"].select_option(alpha.queue_id)  # type: ignore[attr-defined]
    second["topic_id"].fill("bills")  # type: ignore[attr-defined]
    second["label"].fill("My bill")  # type: ignore[attr-defined]
    second["queue_id"].select_option("alpha-billing")  # type: ignore[attr-defined]
    second["skills"].fill(f"{alpha.skill_id}=3")  # type: ignore[attr-defined]
    field(page, "Sites that may show the widget").fill("https://www.alpha.example")
    page.get_by_role("button", name="Save").click()
    # a colour that is not #rrggbb is explained at the field; the topics stay as typed
    expect(page.locator("#f-colour-error")).to_be_visible()
    expect(field(page, "Colour")).to_have_attribute("aria-invalid", "true")
    expect(second["label"]).to_have_value("My bill")  # type: ignore[arg-type]
    expect(second["skills"]).to_have_value(f"{alpha.skill_id}=3")  # type: ignore[arg-type]
    expect(field(page, "Greeting")).to_have_value("Hello! How can we help?")

    field(page, "Colour").fill("#0b5cad")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/admin/t/alpha/widgets\?saved=alpha-site$"))
    stored = ok(center.admin.get("/api/v1/tenants/alpha/widgets/alpha-site"))
    key = stored["widget_key"]
    assert [(t["topic_id"], t["queue_id"], t["skills"]) for t in stored["topics"]] == [
        ("buying", alpha.queue_id, {}),
        ("bills", "alpha-billing", {alpha.skill_id: 3}),
    ]
    assert stored["allowed_origins"] == ["https://www.alpha.example"]
    assert stored["offline_message"] == ""  # left empty: sent as no text, not as null
    # the saved widget's key and the one tag to paste
    expect(page.get_by_role("row", name=re.compile("alpha-site"))).to_contain_text(key)
    tag = page.get_by_label(re.compile("^Paste this tag"))
    expect(tag).to_have_value(
        f'<script src="{center.url}/widget.js" data-widget="{key}" async></script>'
    )
    hosted = page.get_by_role("link", name="Open the hosted chat page")
    expect(hosted).to_have_attribute("href", f"/chat/{key}")
    # the edit page shows them too, with the topics as saved
    page.get_by_role("link", name="Edit Alpha help").click()
    expect(page.get_by_label(re.compile("^Paste this tag"))).to_have_value(re.compile(key))
    expect(_topic(page, 1)["label"]).to_have_value("My bill")  # type: ignore[arg-type]
    # the long tag wraps: on a phone neither the form nor the list scrolls sideways
    page.set_viewport_size(PHONE)
    for path in (
        "/admin/t/alpha/widgets/alpha-site/edit",
        "/admin/t/alpha/widgets?saved=alpha-site",
    ):
        page.goto(path)
        assert overflow(page) <= 0, f"{path} scrolls sideways at {PHONE['width']} px"

    # the hosted page offers exactly those topics
    page.goto(f"/chat/{key}")
    topics = page.locator("#prechat-topic_id option")
    expect(topics).to_have_text([re.compile("^Buying a plan"), re.compile("^My bill")])
    expect(page.get_by_text("Hello! How can we help?")).to_be_visible()


def test_an_agent_sees_the_team_target_beside_contacts_per_hour(page: Page, center: Center) -> None:
    alpha = center.tenants["alpha"]
    as_manager(page, center)
    page.goto(f"/admin/t/alpha/teams/{alpha.team_id}/edit")
    target = field(page, "Target contacts per hour")
    target.fill("2000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#f-contacts_per_hour_target-error")).to_contain_text(
        re.compile(r"1\W?000")
    )
    expect(target).to_have_value("2000")
    target.fill("8")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(rf"/teams\?saved={alpha.team_id}$"))
    expect(page.get_by_role("row", name=re.compile(alpha.team_id))).to_contain_text("8")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile("/sign-in$"))

    username, password, _ = alpha.users["agent"]
    sign_in(page, username, password)
    expect(page).to_have_url(re.compile("/desktop$"))
    expect(page.locator("#figure-cph-target")).to_have_text("/ target 8")
    # no contact handled yet: no figure to compare, so no verdict either
    expect(page.locator("#figure-cph-mark")).to_be_hidden()
