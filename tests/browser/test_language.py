"""Languages: each user's choice changes the words, and how numbers and dates are written."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import new_user, sign_in
from tests.service.conftest import Center, ok


def test_switching_language_changes_text_numbers_and_dates(page: Page, center: Center) -> None:
    password = new_user(center, "alpha", "polyglot", "manager")
    ok(
        center.admin.put(
            "/api/v1/tenants/alpha/queues/alpha-xmas",
            json={"queue_id": "alpha-xmas", "name": "Xmas", "holidays": ["2026-12-25"]},
        )
    )
    sign_in(page, "polyglot", password)
    expect(page).to_have_url(re.compile("/admin/"))
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_test_id("number-example")).to_have_text("1,234.5")
    expect(page.get_by_test_id("js-number-example")).to_have_text("1,234.5")
    page.get_by_label("Language of the screens").select_option("de")
    page.get_by_role("button", name="Save language").click()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_test_id("number-example")).to_have_text("1.234,5")  # Babel, server
    expect(page.get_by_test_id("js-number-example")).to_have_text("1.234,5")  # Intl, browser
    session_end = page.get_by_test_id("session-end").inner_text()
    assert re.search(r"\d{1,2}\.\d{1,2}\.\d{4}", session_end), session_end  # 1.12.2026
    page.goto("/admin/t/alpha/queues")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Warteschlangen")
    row = page.get_by_role("row", name=re.compile("alpha-xmas"))
    expect(row).to_contain_text("25.12.2026")
    expect(row).to_contain_text("80 %")
    # Latvian too, and the choice is the user's: a new browser signs in speaking it
    page.goto("/settings")
    page.get_by_label("Sprache der Oberfläche").select_option("lv")
    page.get_by_role("button", name="Sprache speichern").click()
    expect(page.get_by_role("button", name="Iziet")).to_be_visible()
    assert ok(center.admin.get("/api/v1/tenants/alpha/users"))  # still readable


def test_sign_in_page_speaks_the_chosen_or_browser_language(page: Page, center: Center) -> None:
    page.goto("/sign-in")
    page.get_by_role("link", name="Nederlands").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden bij Headset")
    page.goto("/sign-in")  # remembered
    expect(page.get_by_role("button", name="Aanmelden")).to_be_visible()
    page.get_by_label("Gebruikersnaam").fill("nobody")
    page.get_by_label("Wachtwoord").fill("wrong")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("alert")).to_have_text("Onjuiste gebruikersnaam of onjuist wachtwoord.")
