"""Signing in through the browser: refusals in words, each role's home, the second factor."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from playwright.sync_api import Browser, Page, expect

from headset.access import totp
from tests.browser.conftest import new_user, sign_in, turn_on_totp
from tests.service.conftest import Center


def test_wrong_password_says_so_and_keeps_the_username(page: Page, center: Center) -> None:
    username = "forgetful-agent"
    new_user(center, "alpha", username, "agent")
    sign_in(page, username, "not the password")
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
    expect(page.get_by_label("Username")).to_have_value(username)
    assert page.url.endswith("/sign-in")


def test_each_role_lands_on_its_home(page: Page, center: Center) -> None:
    homes = {"agent": "/desktop", "supervisor": "/wallboard", "team_leader": "/wallboard"}
    for role, home in homes.items():
        username, password, _ = center.tenants["alpha"].users[role]
        sign_in(page, username, password)
        expect(page).to_have_url(re.compile(re.escape(home) + "$"))
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(re.compile("/sign-in$"))
    username, password, _ = center.tenants["alpha"].users["manager"]
    sign_in(page, username, password)
    expect(page).to_have_url(re.compile("/admin/t/alpha/queues$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Queues")
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_signed_out_visitor_is_sent_to_sign_in_and_back(page: Page, center: Center) -> None:
    page.goto("/admin/t/alpha/skills")
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    username, password, _ = center.tenants["alpha"].users["manager"]
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile("/admin/t/alpha/skills$"))


def test_a_hostile_next_parameter_lands_on_this_site(page: Page, center: Center) -> None:
    """The hostile tester's links (issue 12, finding 5) and kin: back home after sign-in."""
    username, password, _ = center.tenants["alpha"].users["agent"]
    for raw in ("/%5Cevil.example/phish", "/%09/evil.example", "//evil.example", "%2F%2Fevil"):
        sign_in(page, username, password, next_path=raw)
        expect(page).to_have_url(re.compile(re.escape(center.url) + "/desktop$"))
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(re.compile("/sign-in$"))


def test_an_agent_may_not_open_administration(page: Page, center: Center) -> None:
    username, password, _ = center.tenants["alpha"].users["agent"]
    sign_in(page, username, password)
    expect(page).to_have_url(re.compile("/desktop$"))
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)
    response = page.goto("/admin/t/alpha/queues")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not for your role")


def test_account_with_totp_asks_for_the_code(page: Page, center: Center) -> None:
    password = new_user(center, "alpha", "totp-agent", "agent")
    secret = turn_on_totp(center, "totp-agent", password)
    sign_in(page, "totp-agent", password)
    code = page.get_by_label("Code from your authenticator app")
    expect(code).to_be_visible()
    expect(code).to_be_focused()
    expect(page.get_by_role("alert")).to_contain_text("6-digit code")
    code.fill("000000" if totp.code_at(secret, center.clock.now()) != "000000" else "111111")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("The code is wrong")
    center.clock.offset += timedelta(seconds=2)  # the failure's back-off
    code.fill(totp.code_at(secret, center.clock.now()))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile("/$|/admin|/wallboard|/desktop"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_role_that_requires_totp_sets_it_up_before_anything_else(
    page: Page, center: Center
) -> None:
    username, password, _ = center.tenants["beta"].users["qa"]
    sign_in(page, username, password)
    expect(page).to_have_url(re.compile("/sign-in/two-factor$"))
    page.goto("/wallboard")  # nothing else opens until it is set up
    expect(page).to_have_url(re.compile("/sign-in/two-factor$"))
    page.get_by_role("button", name="Start the set-up").click()
    key = page.locator("#totp-key")
    expect(key).not_to_be_empty()
    secret = key.inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill(
        totp.code_at(secret, center.clock.now())
    )
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page).to_have_url(re.compile("/wallboard$"))
    center.clock.offset += timedelta(seconds=61)


def test_locked_account_says_when_to_try_again(page: Page, center: Center) -> None:
    password = new_user(center, "alpha", "locked-agent", "agent")
    with httpx.Client(base_url=center.url) as client:
        for _ in range(5):
            client.post("/api/v1/auth/login", json={"username": "locked-agent", "password": "x"})
            center.clock.offset += timedelta(seconds=9)  # past each back-off
    sign_in(page, "locked-agent", password)
    expect(page.get_by_role("alert")).to_contain_text("the account is locked")
    expect(page.get_by_role("alert")).to_contain_text("minutes")


def test_sign_in_form_works_with_the_keyboard_alone(page: Page, center: Center) -> None:
    username, password, _ = center.tenants["alpha"].users["supervisor"]
    page.goto("/sign-in")
    expect(page.get_by_label("Username")).to_be_focused()  # the page starts in the form
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None
    assert box["y"] >= 0, "the focused skip link is off screen"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(password)
    page.keyboard.press("Tab")
    button = page.get_by_role("button", name="Sign in")
    expect(button).to_be_focused()
    outline = button.evaluate("b => getComputedStyle(b).outlineStyle")
    assert outline != "none", "the focused button shows no focus ring"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/wallboard$"))


def test_a_password_never_lands_in_a_url_even_before_the_script_runs(
    browser: Browser, center: Center
) -> None:
    # without JavaScript (a slow or failed script load), submitting the form must not send
    # the password as a query string: it would sit in logs and the browser's history
    context = browser.new_context(base_url=center.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/sign-in")
    page.get_by_label("Username").fill("someone")
    page.get_by_label("Password").fill("secret-words-here")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "secret-words-here" not in page.url
    assert "password" not in page.url
    context.close()
