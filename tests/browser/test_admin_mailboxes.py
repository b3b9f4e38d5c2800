"""Mailboxes in the administration: servers' settings as nested fields, errors at the field."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.test_admin import as_manager, field
from tests.service.conftest import Center, ok


def test_a_manager_adds_a_mailbox_and_edits_its_server(page: Page, center: Center) -> None:
    as_manager(page, center)
    page.goto("/admin/t/alpha/mailboxes/new")
    field(page, "Id").fill("support")
    field(page, "E-mail address").fill("support@")
    field(page, "Name replies are sent under").fill("Alpha Support")
    field(page, "Queue").select_option(center.tenants["alpha"].queue_id)
    page.locator("#f-smtp\\.host").fill("mail.example.com")
    page.locator("#f-smtp\\.port").fill("70000")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_have_text("Please correct the fields marked below.")
    expect(page.locator("#f-address-error")).to_be_visible()
    expect(page.locator("#f-smtp_port-error")).to_have_text("Must be 65,535 or less.")
    expect(page.locator("#f-smtp\\.host")).to_have_value("mail.example.com")

    field(page, "E-mail address").fill("support@alpha.example.com")
    page.locator("#f-smtp\\.port").fill("587")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/admin/t/alpha/mailboxes\?saved=support$"))
    row = page.get_by_role("row", name=re.compile("support@alpha.example.com"))
    expect(row).to_contain_text("Alpha Support")
    stored = ok(center.admin.get("/api/v1/tenants/alpha/mailboxes/support"))
    assert stored["imap"] is None  # the empty IMAP block is no server
    assert stored["smtp"]["host"] == "mail.example.com"
    assert stored["smtp"]["port"] == 587
    assert stored["smtp"]["security"] == "starttls"

    page.goto("/admin/t/alpha/mailboxes/support/edit")
    expect(page.locator("#f-smtp\\.host")).to_have_value("mail.example.com")
    expect(page.locator("#f-smtp\\.port")).to_have_value("587")
    field(page, "Mail comes in by").select_option("imap")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("imap")  # fetching needs a server
    page.locator("#f-imap\\.host").fill("imap.example.com")
    page.locator("#f-imap\\.username").fill("support")
    page.locator("#f-imap\\.password").fill("imap-secret")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/admin/t/alpha/mailboxes\?saved=support$"))
    stored = ok(center.admin.get("/api/v1/tenants/alpha/mailboxes/support"))
    assert stored["imap"]["host"] == "imap.example.com"
    assert stored["imap"]["folder"] == "INBOX"
    assert stored["imap"]["has_password"]  # write-only: stored sealed, never shown
    assert "password" not in stored["imap"]
    assert stored["inbound"] == "imap"

    # editing without typing the password again keeps it (an empty password field is null)
    page.goto("/admin/t/alpha/mailboxes/support/edit")
    expect(page.locator("#f-imap\\.password")).to_have_value("")
    field(page, "Name replies are sent under").fill("Alpha Help")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/admin/t/alpha/mailboxes\?saved=support$"))
    assert ok(center.admin.get("/api/v1/tenants/alpha/mailboxes/support"))["imap"]["has_password"]
