"""Form errors in the user's language: next to the field, with its limits, input kept.

The API answers in English with a type and parameters per error; static/js/errors.js says
it in the page's language (a German or Latvian user reads no English here).
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import new_user, sign_in
from tests.service.conftest import Center


def test_queue_form_says_what_is_wrong_in_german_next_to_each_field(
    page: Page, center: Center
) -> None:
    password = new_user(center, "alpha", "fehler-de", "manager", language="de")
    sign_in(page, "fehler-de", password)
    expect(page).to_have_url(re.compile("/admin/t/alpha/queues$"))
    page.goto("/admin/t/alpha/queues/new")
    long_name = "Reklamationen " * 15  # 210 characters
    page.locator("#f-queue_id").fill("Nicht gültig!")
    page.locator("#f-name").fill(long_name)
    page.locator("#f-service_level_percent").fill("150")
    page.locator("#f-service_level_seconds").fill("zwanzig")
    page.locator("#f-time_zone").fill("Mars/Olympus")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Bitte korrigieren Sie die unten markierten Felder."
    )
    expect(page.locator("#f-name-error")).to_have_text(
        "Zu lang: Verwenden Sie höchstens 200 Zeichen."
    )
    expect(page.locator("#f-service_level_percent-error")).to_have_text("Darf höchstens 100 sein.")
    expect(page.locator("#f-service_level_seconds-error")).to_have_text(
        "Bitte geben Sie eine Zahl ein, z. B. 80 oder 12,5."
    )
    # a pattern is said in words: the field's own help text tells what it expects
    expect(page.locator("#f-queue_id-error")).to_have_text(
        "Das entspricht nicht dem erwarteten Format. "
        "Kleinbuchstaben, Ziffern, Punkte, Binde- und Unterstriche; später nicht mehr änderbar."
    )
    expect(page.locator("#f-name")).to_have_attribute("aria-invalid", "true")
    described = page.locator("#f-name").get_attribute("aria-describedby") or ""
    assert "f-name-error" in described.split()
    # everything typed stays
    expect(page.locator("#f-queue_id")).to_have_value("Nicht gültig!")
    expect(page.locator("#f-name")).to_have_value(long_name)
    expect(page.locator("#f-service_level_percent")).to_have_value("150")
    expect(page.locator("#f-time_zone")).to_have_value("Mars/Olympus")
    expect(page.locator("#f-queue_id")).to_be_focused()

    # fixed: now the time zone, which the route checks, is refused at its own field
    page.locator("#f-queue_id").fill("alpha-reklamationen")
    page.locator("#f-name").fill("Reklamationen")
    page.locator("#f-service_level_percent").fill("85,5")
    page.locator("#f-service_level_seconds").fill("20")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("#f-time_zone-error")).to_have_text(
        "Unbekannte Zeitzone „Mars/Olympus“; verwenden Sie einen Namen wie Europe/Berlin."
    )
    expect(page.locator("#f-name-error")).to_have_count(0)
    expect(page.locator("#f-time_zone")).to_be_focused()
    expect(page.locator("#f-time_zone")).to_have_value("Mars/Olympus")
    page.locator("#f-time_zone").fill("Europe/Berlin")
    page.get_by_role("button", name="Speichern").click()
    expect(page).to_have_url(re.compile(r"/queues\?saved=alpha-reklamationen$"))
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_user_form_explains_in_latvian_an_address_and_a_short_password(
    page: Page, center: Center
) -> None:
    password = new_user(center, "alpha", "kludas-lv", "manager", language="lv")
    sign_in(page, "kludas-lv", password)
    expect(page).to_have_url(re.compile("/admin/t/alpha/queues$"))
    page.goto("/admin/t/alpha/users/new")
    page.locator("#f-username").fill("janis")
    page.locator("#f-display_name").fill("Jānis Bērziņš")
    page.locator("#f-email").fill("janis.example.lv")
    page.locator("#f-password").fill("short")
    page.get_by_role("button", name="Saglabāt").click()
    expect(page.locator("#f-email-error")).to_have_text("Šī nav derīga e-pasta adrese.")
    expect(page.locator("#f-email")).to_have_value("janis.example.lv")
    expect(page.locator("#f-display_name")).to_have_value("Jānis Bērziņš")
    # the address fixed, the password rule (checked by the route) is told at the password
    page.locator("#f-email").fill("janis@example.lv")
    page.get_by_role("button", name="Saglabāt").click()
    expect(page.locator("#f-password-error")).to_have_text(
        "Parolei vajag vismaz 10 rakstzīmes; šai ir 5."
    )
    expect(page.locator("#f-email-error")).to_have_count(0)
    expect(page.get_by_role("alert")).to_have_text("Lūdzu, izlabojiet zemāk atzīmētos laukus.")
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_an_error_of_a_type_the_page_does_not_know_keeps_the_servers_words(
    page: Page, center: Center
) -> None:
    password = new_user(center, "alpha", "fehler-alt", "manager", language="de")
    sign_in(page, "fehler-alt", password)
    expect(page).to_have_url(re.compile("/admin/t/alpha/queues$"))
    page.goto("/admin/t/alpha/queues/new")
    page.locator("#f-queue_id").fill("alpha-stufen")
    page.locator("#f-name").fill("Stufen")
    page.locator("#f-tier_delays_seconds").fill("60, 30")
    page.get_by_role("button", name="Speichern").click()
    # the queue's own rule has no translation: the English sentence beats saying nothing
    expect(page.get_by_role("alert")).to_have_text(
        "Value error, tier_delays_seconds must not decrease"
    )
    expect(page.locator("#f-tier_delays_seconds")).to_have_value("60, 30")
