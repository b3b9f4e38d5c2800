"""The desktop's e-mail tab in Chromium, on real mail servers (Exim and Dovecot from
tests/mail): a customer's mail reaches the agent, who inserts a canned response, attaches
a file (a program is refused first) and sends; the reply arrives in the customer's IMAP
mailbox threaded, and the customer's answer shows in the same tab."""

from __future__ import annotations

import re
import smtplib
import socket
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, sign_in
from tests.mail.conftest import (
    MailServers,
    mail_bodies_smtp,
    mail_center,
    receiver_port,
    servers,
    wait_connected,
)
from tests.mail.messages import answer_to, plain, rich
from tests.service.conftest import Center, ok

__all__ = ["servers"]  # the module's mail servers (a fixture of tests/mail)

BASE = "/api/v1/tenants/alpha"


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory, servers: MailServers) -> Iterator[Center]:
    c = mail_center(tmp_path_factory.mktemp("browser-mail"), servers)
    try:
        wait_connected(c)
        canned = {"shortcut": "thanks", "title": "Thanks", "body": "Thank you for writing."}
        ok(c.admin.post(f"{BASE}/canned-responses", json=canned), 201)
        yield c
    finally:
        c.close()
        c.served.stop()


def test_an_email_is_answered_from_the_desktop_and_the_answer_joins_the_tab(
    page: Page, center: Center, servers: MailServers
) -> None:
    username, password, _ = center.tenants["alpha"].users["agent"]
    sign_in(page, username, password)
    expect(page).to_have_url(re.compile("/desktop$"))
    expect(page.locator("#live-status")).to_have_text("Live")
    page.get_by_label("Set your state").select_option("available")
    expect(page.locator("#state-now")).to_have_text("Available")

    servers.send(rich("<joerg1@example.com>"), "support@example.com", "joerg@example.com")
    page.get_by_role("alertdialog").get_by_role("button", name="Accept").click(timeout=20_000)
    panel = page.get_by_role("tabpanel")
    mail = panel.locator("[data-mail]")
    expect(mail).to_be_visible()
    expect(panel.locator(".chat")).to_be_hidden()
    expect(mail.locator("[data-mail-subject]")).to_have_text("Grüße aus Köln")

    # the customer's HTML, sanitised, in a frame that runs nothing and loads nothing remote
    first = mail.locator(".mail-message").first
    frame = first.frame_locator("iframe.mail-frame")
    expect(frame.locator("body")).to_contain_text("Grüße, siehe Anhang.")
    expect(frame.locator("script")).to_have_count(0)
    expect(frame.locator("img[src^='https:']")).to_have_count(0)
    expect(frame.locator("img[src^='data:image/png']")).to_have_count(1)
    sandbox = first.locator("iframe.mail-frame").get_attribute("sandbox") or ""
    assert "allow-scripts" not in sandbox
    assert "allow-same-origin" not in sandbox
    expect(first.get_by_role("link", name="invoice.pdf")).to_be_visible()
    expect(first.locator(".mail-refused")).to_contain_text("invoice.pdf.exe")
    with page.expect_download() as download:
        first.get_by_role("link", name="invoice.pdf").click()
    assert download.value.suggested_filename == "invoice.pdf"

    # a canned response by its shortcut, then the agent's own words
    box = mail.get_by_label("Reply to the customer")
    box.type("/tha")
    expect(mail.locator("[data-mail-canned-list]")).to_contain_text("/thanks")
    box.press("Enter")
    expect(box).to_have_value("Thank you for writing.")
    box.press("End")
    box.type("\nThe parcel left today.")
    expect(mail.locator("[data-mail-files-help]")).to_contain_text("Programs and scripts")

    files = mail.get_by_label("Attach files")
    files.set_input_files({"name": "tool.exe", "mimeType": "application/octet-stream",
                           "buffer": b"MZ\x90\x00"})  # fmt: skip
    mail.get_by_role("button", name="Send the reply").click()
    expect(mail.locator("[data-mail-error]")).to_contain_text("tool.exe")
    expect(mail.locator("[data-mail-error]")).to_contain_text("refused")
    files.set_input_files({"name": "label.txt", "mimeType": "text/plain",
                           "buffer": b"Tracking: 7734\n"})  # fmt: skip
    mail.get_by_role("button", name="Send the reply").click()
    reply = mail.locator(".mail-message[data-kind='reply']")
    expect(reply).to_have_count(1)
    expect(reply.locator(".mail-badge")).to_have_text("Sent")
    expect(box).to_have_value("")

    # in the customer's mailbox: threaded, with the file
    arrived = servers.wait_for(
        "joerg", lambda m: "The parcel left today." in (m.get_body(("plain",)) or m).get_content()
    )
    assert arrived["In-Reply-To"] == "<joerg1@example.com>"
    assert "<joerg1@example.com>" in str(arrived["References"])
    assert [p.get_filename() for p in arrived.iter_attachments()] == ["label.txt"]
    text = (arrived.get_body(("plain",)) or arrived).get_content().replace("\r\n", "\n")
    assert text.startswith("Thank you for writing.\nThe parcel left today.")
    assert "Alpha Support" in text  # the mailbox's signature, added by the server

    # the customer answers; it joins the same tab
    servers.send(answer_to(arrived.as_bytes(), "Great, thanks!", "<joerg2@example.com>"),
                 "support@example.com", "joerg@example.com")  # fmt: skip
    expect(mail.locator(".mail-message").last).to_contain_text("Great, thanks!", timeout=20_000)
    expect(mail.locator("[data-mail-timer-first]")).not_to_have_text("\u2013")
    expect(mail.locator("[data-mail-signature]")).to_have_text("Alpha Support")

    # no sideways scroll on a phone
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.set_viewport_size({"width": 1280, "height": 800})
    panel.get_by_role("button", name="End the conversation").click()
    expect(mail.locator("[data-mail-form]")).to_be_hidden()
    panel.get_by_role("button", name="Finish the wrap-up").click()
    expect(page.get_by_role("tab")).to_have_count(0)
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_a_reply_the_server_refused_shows_why_and_is_sent_again_from_the_desktop(
    page: Page, center: Center, servers: MailServers
) -> None:
    direct = mail_bodies_smtp(servers)["direct"]
    with socket.socket() as probe:  # a port nobody listens on: the hand-over fails
        probe.bind(("127.0.0.1", 0))
        closed = int(probe.getsockname()[1])
    ok(center.admin.put(f"{BASE}/mailboxes/direct",
                        json={**direct, "smtp": {**direct["smtp"], "port": closed}}))  # fmt: skip
    username, password, _ = center.tenants["alpha"].users["agent"]
    sign_in(page, username, password)
    expect(page.locator("#live-status")).to_have_text("Live")
    page.get_by_label("Set your state").select_option("available")
    expect(page.locator("#state-now")).to_have_text("Available")
    question = plain("Is the shop open on Sunday?", sender="Kai <kai@example.com>",
                     to="direct@alpha.example.com", message_id="<kai1@example.com>")  # fmt: skip
    with smtplib.SMTP("127.0.0.1", receiver_port(center), timeout=10) as smtp:
        smtp.sendmail("kai@example.com", ["direct@alpha.example.com"], question)
    page.get_by_role("alertdialog").get_by_role("button", name="Accept").click(timeout=20_000)
    mail = page.get_by_role("tabpanel").locator("[data-mail]")
    expect(mail.locator(".mail-message").first).to_contain_text("Is the shop open on Sunday?")

    mail.get_by_label("Reply to the customer").fill("Yes, from 10 to 16.")
    mail.get_by_label("Reply to the customer").press("Control+Enter")
    reply = mail.locator(".mail-message[data-kind='reply']")
    expect(reply.locator(".mail-badge")).to_have_text("Not sent")
    expect(reply.locator(".mail-error")).to_contain_text("attempts: 1")
    expect(reply.locator(".mail-error")).to_contain_text("next automatic try")

    ok(center.admin.put(f"{BASE}/mailboxes/direct", json=direct))
    reply.get_by_role("button", name="Send again").click()
    expect(reply.locator(".mail-badge")).to_have_text("Sent")
    expect(reply.get_by_role("button", name="Send again")).to_have_count(0)
    arrived = servers.wait_for("kai", lambda m: "Yes, from 10 to 16." in str(m))
    assert arrived["In-Reply-To"] == "<kai1@example.com>"
    assert len(mail.locator(".mail-message[data-kind='reply']").all()) == 1
    page.get_by_role("tabpanel").get_by_role("button", name="End the conversation").click()
    page.get_by_role("tabpanel").get_by_role("button", name="Finish the wrap-up").click()
    expect(page.get_by_role("tab")).to_have_count(0)
    assert page.js_errors == []  # type: ignore[attr-defined]
