"""Administration in the browser: forms validate through the API and keep what was typed."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import sign_in
from tests.service.conftest import Center, ok


def field(page: Page, label: str) -> Locator:
    """The control labelled exactly `label` (required ones say so after it)."""
    return page.get_by_label(re.compile("^" + re.escape(label) + r"( \(required\))?$"))


def as_manager(page: Page, center: Center) -> None:
    username, password, _ = center.tenants["alpha"].users["manager"]
    sign_in(page, username, password)
    expect(page).to_have_url(re.compile("/admin/t/alpha/queues$"))


def test_queue_form_rejects_bad_input_next_to_the_field_and_keeps_it(
    page: Page, center: Center
) -> None:
    as_manager(page, center)
    page.goto("/admin/t/alpha/queues/new")
    field(page, "Id").fill("Not A Slug!")
    field(page, "Name").fill("Complaints")
    field(page, "Service-level target, percent").fill("150")
    field(page, "Monday").fill("08:00-17:00")
    page.get_by_role("button", name="Save").click()
    status = page.get_by_role("alert")
    expect(status).to_have_text("Please correct the fields marked below.")
    queue_id = field(page, "Id")
    expect(queue_id).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-queue_id-error")).to_contain_text("pattern")
    expect(page.locator("#f-service_level_percent-error")).to_contain_text("100")
    # what was typed stays, also in the fields that were fine
    expect(queue_id).to_have_value("Not A Slug!")
    expect(field(page, "Service-level target, percent")).to_have_value("150")
    expect(field(page, "Name")).to_have_value("Complaints")
    expect(field(page, "Monday")).to_have_value("08:00-17:00")
    expect(queue_id).to_be_focused()  # the first wrong field, for keyboard users
    assert page.url.endswith("/queues/new")


def test_badly_written_hours_are_explained_at_their_day(page: Page, center: Center) -> None:
    as_manager(page, center)
    page.goto("/admin/t/alpha/queues/new")
    field(page, "Id").fill("alpha-hours")
    field(page, "Name").fill("Hours")
    field(page, "Tuesday").fill("9 till 5")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#f-business_hours-tue-error")).to_be_visible()
    expect(field(page, "Tuesday")).to_have_value("9 till 5")


def test_creating_a_queue_shows_it_in_the_list(page: Page, center: Center) -> None:
    as_manager(page, center)
    page.get_by_role("link", name=re.compile("^New")).click()
    field(page, "Id").fill("alpha-complaints")
    field(page, "Name").fill("Complaints")
    field(page, "Routing strategy").select_option("round_robin")
    field(page, "Service-level target, percent").fill("90")
    field(page, "Answered within (seconds)").fill("30")
    field(page, "Monday").fill("08:00-12:00, 13:00-17:00")
    field(page, "Holidays").fill("2026-12-25\n2026-12-26")
    page.get_by_role("button", name="Add a row").click()
    field(page, "After (seconds)").fill("60")
    field(page, "Then").select_option("add_team_leaders")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/admin/t/alpha/queues\?saved=alpha-complaints$"))
    row = page.get_by_role("row", name=re.compile("alpha-complaints"))
    expect(row).to_contain_text("Complaints")
    expect(row).to_contain_text("Round robin")
    expect(row).to_contain_text("90%")
    expect(row).to_contain_text("Dec 25, 2026")
    stored = ok(center.admin.get("/api/v1/tenants/alpha/queues/alpha-complaints"))
    assert stored["business_hours"] == {"mon": [["08:00:00", "12:00:00"], ["13:00:00", "17:00:00"]]}
    assert stored["holidays"] == ["2026-12-25", "2026-12-26"]
    assert stored["overflow"][0]["action"] == "add_team_leaders"
    assert stored["overflow"][0]["after_seconds"] == 60
    # and the edit form shows what was saved
    page.get_by_role("link", name="Edit Complaints").click()
    expect(field(page, "Monday")).to_have_value("08:00-12:00, 13:00-17:00")
    expect(field(page, "Id")).to_have_attribute("readonly", "")


def test_removing_a_skill_reloads_the_list_in_place(page: Page, center: Center) -> None:
    ok(
        center.admin.put(
            "/api/v1/tenants/alpha/skills/alpha-german",
            json={"skill_id": "alpha-german", "name": "German"},
        )
    )
    as_manager(page, center)
    page.goto("/admin/t/alpha/skills")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove German").click()
    expect(page.get_by_role("status")).to_contain_text("German was removed.")
    expect(page.get_by_role("row", name=re.compile("alpha-german"))).to_have_count(0)
    expect(page.get_by_role("row", name=re.compile("alpha-french"))).to_have_count(1)


def test_user_form_explains_a_refused_password(page: Page, center: Center) -> None:
    as_manager(page, center)
    page.goto("/admin/t/alpha/users/new")
    field(page, "Username").fill("new-agent")
    field(page, "Name").fill("New Agent")
    field(page, "Password").fill("short")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#f-password-error")).to_contain_text("password")
    expect(field(page, "Username")).to_have_value("new-agent")


def test_admin_manages_tenants_and_a_manager_may_not(page: Page, center: Center) -> None:
    sign_in(page, "admin", "correct horse battery")
    expect(page).to_have_url(re.compile("/admin/tenants$"))
    page.get_by_role("link", name=re.compile("^New")).click()
    field(page, "Id").fill("gamma")
    field(page, "Name").fill("Gamma Energy")
    field(page, "Time zone").fill("Mars/Olympus")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#f-time_zone-error")).to_contain_text("Unknown time zone")
    field(page, "Time zone").fill("Europe/Riga")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("row", name=re.compile("gamma"))).to_contain_text("Europe/Riga")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile("/sign-in$"))
    as_manager(page, center)
    expect(page.get_by_role("link", name="Tenants")).to_have_count(0)
    response = page.goto("/admin/tenants")
    assert response is not None
    assert response.status == 403
