"""The center's admin gives an existing user a second tenant from the tenant's users page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import new_user, sign_in
from tests.service.conftest import ADMIN_PASSWORD, ADMIN_USER, Center, ok


def test_the_admin_adds_a_user_of_another_tenant_by_username(page: Page, center: Center) -> None:
    new_user(center, "alpha", "shared-supervisor", "supervisor")
    sign_in(page, ADMIN_USER, ADMIN_PASSWORD)
    expect(page).to_have_url(re.compile("/admin/tenants$"))
    page.goto("/admin/t/beta/users")
    section = page.get_by_role("region", name="Give an existing user access")
    section.get_by_label(re.compile("^Username")).fill("nobody-like-that")
    section.get_by_role("button", name="Add to this tenant").click()
    expect(page.locator("#member-username-error")).to_contain_text("nobody-like-that")
    expect(section.get_by_label(re.compile("^Username"))).to_have_value("nobody-like-that")

    section.get_by_label(re.compile("^Username")).fill("shared-supervisor")
    section.get_by_role("button", name="Add to this tenant").click()
    expect(page).to_have_url(re.compile(r"/admin/t/beta/users\?saved=u_"))
    expect(page.get_by_role("status")).to_have_text("Saved: shared-supervisor")
    expect(page.get_by_role("row", name=re.compile("shared-supervisor"))).to_be_visible()
    user_id = page.url.rsplit("=", 1)[1]
    tenants = ok(center.admin.get(f"/api/v1/users/{user_id}/tenants"))
    assert [t["tenant_id"] for t in tenants] == ["alpha", "beta"]


def test_a_tenants_manager_is_not_offered_other_tenants_users(page: Page, center: Center) -> None:
    username, password, _ = center.tenants["alpha"].users["manager"]
    sign_in(page, username, password)
    expect(page).to_have_url(re.compile("/admin/t/alpha/queues$"))
    page.goto("/admin/t/alpha/users")
    expect(page.get_by_role("heading", name=re.compile("^Users"))).to_be_visible()
    expect(page.get_by_role("region", name="Give an existing user access")).to_have_count(0)
