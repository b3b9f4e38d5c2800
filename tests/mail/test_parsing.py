"""Parsing: headers for threading, charsets, HTML made safe, files kept or refused."""

from __future__ import annotations

import pytest

from headset.mail.parsing import TooLarge, parse
from tests.mail.messages import dsn, plain, rich


def test_a_plain_message_keeps_its_threading_headers() -> None:
    mail = parse(plain(In_Reply_To="<a@x>", References="<root@x> <a@x>"))

    assert mail.message_id == "<m1@example.com>"
    assert mail.in_reply_to == "<a@x>"
    assert mail.references == ("<root@x>", "<a@x>")
    assert mail.from_address == "carla@example.com"
    assert mail.from_name == "Carla Customer"
    assert mail.to_addresses == ("support@alpha.example.com",)
    assert mail.text == "Hello, my order has not arrived."
    assert mail.html is None
    assert not mail.is_automatic


def test_charsets_and_encoded_words_are_decoded() -> None:
    mail = parse(rich())

    assert mail.subject == "Grüße aus Köln"
    assert mail.from_name == "Jörg Kunde"
    assert mail.text == "Grüße, siehe Anhang."  # the plain part, from ISO-8859-1


def test_html_loses_scripts_handlers_and_remote_images() -> None:
    mail = parse(rich())

    assert mail.html is not None
    assert "script" not in mail.html
    assert "alert" not in mail.html
    assert "onclick" not in mail.html
    assert "color:red" not in mail.html
    assert "tracker.example" not in mail.html
    assert "[logo]" in mail.html
    assert "javascript:" not in mail.html
    assert '<img src="cid:photo1">' in mail.html  # inline images stay
    assert 'href="https://shop.example/order/7"' in mail.html
    assert mail.remote_images == 1


def test_inline_images_and_attachments_are_kept_and_programs_refused() -> None:
    mail = parse(rich())

    kept = {a.name: a for a in mail.attachments}
    assert set(kept) == {"photo.png", "invoice.pdf"}
    assert kept["photo.png"].content_id == "photo1"
    assert kept["photo.png"].is_inline
    assert kept["invoice.pdf"].content == b"%PDF-1.4 invoice"
    assert not kept["invoice.pdf"].is_inline
    assert [name for name, _ in mail.refused] == ["invoice.pdf.exe"]


def test_an_html_only_message_gets_its_text_from_the_html() -> None:
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = "a@example.com"
    message["Message-ID"] = "<h@x>"
    message.set_content("<p>Hi<script>x()</script></p><p>there</p>", subtype="html")

    assert parse(message.as_bytes()).text == "Hi\n\nthere"


def test_an_unknown_charset_is_read_rather_than_refused() -> None:
    raw = (
        b"From: a@example.com\r\nMessage-ID: <c@x>\r\nContent-Type: text/plain; "
        b"charset=x-unknown-charset\r\n\r\nhello \xe9\r\n"
    )
    assert parse(raw).text.startswith("hello ")


def test_a_message_without_an_id_gets_the_same_id_every_time() -> None:
    raw = b"From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n"
    first, second = parse(raw), parse(raw)

    assert first.message_id == second.message_id
    assert first.message_id.endswith("@headset.invalid>")
    assert parse(raw + b"more").message_id != first.message_id


def test_a_message_over_the_limit_is_refused() -> None:
    with pytest.raises(TooLarge) as error:
        parse(plain("x" * 5000), max_bytes=1000)
    assert error.value.code == "message_too_large"


def test_a_reference_token_in_the_subject_is_found() -> None:
    assert parse(plain(subject="Re: Order [#K7Q2MX]")).reference == "K7Q2MX"


def test_a_dsn_is_a_bounce_naming_the_original_message() -> None:
    mail = parse(dsn("<sent1@alpha.example.com>"))

    assert mail.bounce is not None
    assert mail.is_automatic
    assert mail.bounce.original_message_id == "<sent1@alpha.example.com>"
    assert mail.bounce.recipient == "gone@example.com"
    assert mail.bounce.status == "5.1.1"
    assert "user unknown" in mail.bounce.reason
