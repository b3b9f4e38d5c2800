"""Sanitising, threading, loops, bounces without a report, dangerous files, replies."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest

from headset.mail.attachments import judge
from headset.mail.authentication import is_dmarc_pass
from headset.mail.loops import is_automatic
from headset.mail.parsing import parse
from headset.mail.replies import Sender, build_acknowledgement, build_reply
from headset.mail.sanitizing import html_to_text, sanitize_html
from headset.mail.threads import (
    candidates,
    new_reference,
    reference_in,
    reply_references,
    reply_subject,
)
from tests.mail.messages import plain

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_sanitizing_closes_tags_and_escapes_text() -> None:
    assert sanitize_html("<b>1 < 2 & <i>x") == "<b>1 &lt; 2 &amp; <i>x</i></b>"
    assert sanitize_html('<iframe src="https://x"></iframe><form>y</form>ok') == "ok"
    assert sanitize_html('<a href="data:text/html,x" onmouseover="y">z</a>') == (
        '<a rel="noopener noreferrer nofollow">z</a>'
    )
    assert sanitize_html('<img src="http://x/a.png">') == "[image]"
    assert sanitize_html('<p style="background:url(x)">t</p>') == "<p>t</p>"


def test_html_to_text_keeps_the_words_in_paragraphs() -> None:
    assert html_to_text("<div>One&nbsp;two</div><div>three<br>four</div>") == (
        "One two\n\nthree\nfour"
    )


def test_references_reach_the_thread_newest_first() -> None:
    assert candidates("<c@x>", ["<a@x>", "<b@x>", "<c@x>"]) == ["<c@x>", "<b@x>", "<a@x>"]
    assert candidates(None, []) == []


def test_a_reply_carries_the_chain_and_the_answered_id() -> None:
    assert reply_references(["<a@x>"], "<b@x>") == ["<a@x>", "<b@x>"]
    long = [f"<{i}@x>" for i in range(40)]
    kept = reply_references(long, "<last@x>")
    assert len(kept) == 20
    assert kept[0] == "<0@x>"
    assert kept[-1] == "<last@x>"


def test_reference_tokens_are_readable_and_found_again() -> None:
    token = new_reference()
    assert len(token) == 6
    assert not set(token) & set("01OIL")
    assert reference_in(reply_subject("AW: Re: Order [#K7Q2MX]", "K7Q2MX")) == "K7Q2MX"
    assert reply_subject("AW: Re: Order [#K7Q2MX]", "K7Q2MX") == "Re: Order [#K7Q2MX]"
    assert reference_in("Order [#k7q2mx]") is None  # the token is upper case only


def test_machines_are_recognised_by_their_headers() -> None:
    assert is_automatic({"Auto-Submitted": "auto-replied"})
    assert not is_automatic({"Auto-Submitted": "no"})
    assert is_automatic({"Precedence": "bulk"})
    assert is_automatic({"X-Auto-Response-Suppress": "OOF, AutoReply"})
    assert is_automatic({"List-Id": "<news.example>"})
    assert is_automatic({}, "MAILER-DAEMON@mx.example")
    assert not is_automatic({}, "carla@example.com")
    assert parse(plain(Auto_Submitted="auto-generated")).is_automatic


def test_a_plain_text_bounce_is_recognised_by_its_sender_and_quote() -> None:
    raw = plain(
        "Your message could not be delivered.\n\n--- original ---\n"
        "Message-ID: <s1@alpha.example.com>\n",
        sender="MAILER-DAEMON@mx.example.com",
        subject="failure notice",
    )
    mail = parse(raw)

    assert mail.bounce is not None
    assert mail.bounce.original_message_id == "<s1@alpha.example.com>"


def test_a_customer_writing_about_delivery_is_not_a_bounce() -> None:
    assert parse(plain(subject="Undeliverable parcel?")).bounce is None


def test_dangerous_files_are_refused_by_name_type_and_content() -> None:
    assert judge("setup.exe", "application/octet-stream", b"x").is_refused
    assert judge("Report.PDF.js", "application/pdf", b"%PDF").is_refused
    assert judge("a.txt", "application/x-msdownload", b"x").is_refused
    assert judge("photo.jpg", "image/jpeg", b"MZ\x90\x00").is_refused
    assert judge("notes.txt", "text/plain", b"#!/bin/sh\nrm -rf /").is_refused
    assert not judge("photo.jpg", "image/jpeg", b"\xff\xd8\xff\xe0").is_refused
    assert not judge("invoice.pdf", "application/pdf", b"%PDF-1.4").is_refused


def test_archives_are_judged_by_what_they_hold() -> None:
    def archive(name: str) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr(name, b"x")
        return buffer.getvalue()

    assert judge("docs.zip", "application/zip", archive("run/setup.exe")).is_refused
    assert not judge("docs.zip", "application/zip", archive("docs/readme.txt")).is_refused
    assert judge("broken.zip", "application/zip", b"PK\x03\x04garbage").is_refused


def test_a_reply_is_threaded_and_carries_the_reference() -> None:
    sender = Sender("support@alpha.example.com", "Alpha Support")
    built = build_reply(
        sender, "carla@example.com", "Where is my order?", "K7Q2MX", "It ships today.",
        "<m2@example.com>", ["<m1@example.com>"], NOW, signature="Anna, Alpha",
    )  # fmt: skip
    parsed = message_from_bytes(built.as_bytes(), policy=policy.default)

    assert parsed["In-Reply-To"] == "<m2@example.com>"
    assert parsed["References"] == "<m1@example.com> <m2@example.com>"
    assert parsed["Subject"] == "Re: Where is my order? [#K7Q2MX]"
    assert parsed["From"] == "Alpha Support <support@alpha.example.com>"
    assert str(parsed["Message-ID"]).endswith("@alpha.example.com>")
    assert "Auto-Submitted" not in parsed  # a person wrote it
    assert parsed.get_content() == "It ships today.\n\n-- \nAnna, Alpha\n"


def test_the_acknowledgement_says_it_is_automatic() -> None:
    built = build_acknowledgement(
        Sender("support@alpha.example.com", "Alpha"), "carla@example.com", "Help", "K7Q2MX",
        "Your reference is {reference}.", "<m1@example.com>", NOW,
    )  # fmt: skip

    assert built["Auto-Submitted"] == "auto-replied"
    assert built["In-Reply-To"] == "<m1@example.com>"
    assert str(built["Subject"]) == "Re: Help [#K7Q2MX]"  # a verified sender's own subject
    assert "Your reference is K7Q2MX." in built.get_content()
    assert is_automatic(dict(built.items()))  # our own acknowledgement would never loop


def test_an_acknowledgement_to_an_unverified_sender_carries_none_of_their_words() -> None:
    # anyone can write in the victim's name: the answer must not carry the forger's text
    built = build_acknowledgement(
        Sender("support@alpha.example.com", "Alpha Bank"), "victim@example.com", None,
        "K7Q2MX", "We have your message; your reference is {reference}.", None, NOW,
    )  # fmt: skip

    assert str(built["Subject"]) == "Your message to Alpha Bank [#K7Q2MX]"
    assert "In-Reply-To" not in built
    assert "References" not in built
    assert built.get_content() == "We have your message; your reference is K7Q2MX.\n"


@pytest.mark.parametrize(
    ("header", "verified"),
    [
        ("mx.alpha.example; dmarc=pass header.from=example.com", True),
        ("MX.Alpha.Example 1; spf=pass smtp.mailfrom=example.com; dkim=pass header.d="
         "example.com; dmarc=pass (p=reject dis=none) header.from=example.com", True),
        ("mx.alpha.example; dmarc=fail (p=reject) header.from=example.com", False),
        ("mx.alpha.example; dmarc=pass header.from=evil.example", False),  # not From's domain
        ("mx.alpha.example; dmarc=pass", False),  # which domain passed is not said
        ("mx.evil.example; dmarc=pass header.from=example.com", False),  # not our MTA
        ("mx.alpha.example; spf=pass smtp.mailfrom=example.com", False),  # SPF alone is not it
        ("", False),
    ],
)  # fmt: skip
def test_only_the_trusted_mtas_dmarc_pass_for_the_from_domain_verifies(
    header: str, verified: bool
) -> None:
    headers = {"Authentication-Results": header} if header else {}
    assert is_dmarc_pass(headers, "carla@example.com", "mx.alpha.example") is verified


def test_no_sender_is_verified_without_a_trusted_authserv_id() -> None:
    headers = {"Authentication-Results": "mx.alpha.example; dmarc=pass header.from=example.com"}
    assert not is_dmarc_pass(headers, "carla@example.com", None)


def test_the_topmost_authentication_results_is_the_one_read() -> None:
    # the MTA adds its header at the top; a forger's copy further down is never read
    raw = plain(Authentication_Results="mx.evil.example; dmarc=fail")
    forged = b"Authentication-Results: mx.alpha.example; dmarc=pass header.from=example.com\r\n"
    mail = parse(raw.replace(b"\r\n\r\n", b"\r\n" + forged + b"\r\n", 1))

    assert not is_dmarc_pass(mail.headers, mail.from_address, "mx.alpha.example")


def test_a_survey_token_opens_its_own_contact_only() -> None:
    from headset.mail.surveys import read_survey_token, survey_token

    token = survey_token("secret-1", "alpha", "c_123")
    assert read_survey_token("secret-1", token) == ("alpha", "c_123")
    assert read_survey_token("secret-2", token) is None  # a new secret key ends old links
    tenant, _, signature = token.split(".")
    assert read_survey_token("secret-1", f"{tenant}.c_124.{signature}") is None
    assert read_survey_token("secret-1", "alpha.c_123") is None
    assert read_survey_token("secret-1", "../x.c_1.abc") is None
