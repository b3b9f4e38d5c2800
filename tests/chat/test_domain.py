"""The chat domain on its own: visibility, attachment sniffing, surveys, CSAT, the wait."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from headset.chat.attachments import accept_upload
from headset.chat.audience import customer_audience, is_for_customer
from headset.chat.messages import (
    AuthorKind,
    ChatMessage,
    Viewer,
    Visibility,
    can_see,
    check_text,
    visible_to,
)
from headset.chat.surveys import csat, survey_answer
from headset.core.errors import Invalid
from headset.routing.waiting import expected_wait

AT = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 40


def _message(seq: int, visibility: Visibility) -> ChatMessage:
    return ChatMessage("c1", seq, f"m{seq}", AuthorKind.AGENT, "Ann", visibility, "hi", AT)


def test_a_whisper_is_for_staff_only() -> None:
    assert not can_see(Viewer.CUSTOMER, Visibility.STAFF)
    assert can_see(Viewer.AGENT, Visibility.STAFF)
    assert can_see(Viewer.SUPERVISOR, Visibility.STAFF)
    assert all(can_see(v, Visibility.EVERYONE) for v in Viewer)


def test_the_customer_transcript_leaves_whispers_out_and_keeps_order() -> None:
    messages = [
        _message(3, Visibility.EVERYONE),
        _message(2, Visibility.STAFF),
        _message(1, Visibility.EVERYONE),
    ]
    assert [m.seq for m in visible_to(Viewer.CUSTOMER, messages)] == [1, 3]
    assert [m.seq for m in visible_to(Viewer.AGENT, messages)] == [1, 2, 3]


def test_only_listed_event_types_reach_the_customer() -> None:
    everyone = {"contact_id": "c1", "visibility": "everyone"}
    assert is_for_customer("chat.message_sent", everyone)
    assert not is_for_customer("chat.message_sent", {"contact_id": "c1", "visibility": "staff"})
    assert not is_for_customer("chat.message_sent", {"contact_id": "c1"})
    assert not is_for_customer("chat.monitor_started", {"contact_id": "c1"})
    assert not is_for_customer("contact.note_added", {"contact_id": "c1"})
    assert is_for_customer("routing.offer_accepted", {"contact_id": "c1"})
    assert not is_for_customer(None, everyone)
    assert customer_audience("c1") == "customer:c1"


def test_message_text_is_trimmed_and_checked() -> None:
    assert check_text("  hello \n") == "hello"
    assert check_text("", has_attachment=True) == ""
    with pytest.raises(Invalid, match="needs text"):
        check_text("   ")
    with pytest.raises(Invalid, match="at most 4000"):
        check_text("x" * 4001)
    with pytest.raises(Invalid, match="control"):
        check_text("bell\x07")


@pytest.mark.parametrize(
    ("content", "media_type"),
    [
        (PNG, "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "application/pdf"),
        ("Grüße,\r\nAnna\t:)\n".encode(), "text/plain"),
    ],
)
def test_accepted_files_are_known_by_their_first_bytes(content: bytes, media_type: str) -> None:
    assert accept_upload("file", content, 1000).media_type == media_type


@pytest.mark.parametrize(
    "content",
    [
        EXE,  # a Windows program, whatever it is called
        b"\x7fELF\x02\x01\x01" + b"\x00" * 20,  # a Linux program
        b"PK\x03\x04" + b"\x00" * 20,  # a zip archive (and every office document)
        b"RIFF\x24\x00\x00\x00WAVEfmt ",  # RIFF, but a sound, not WebP
        b"\xc3\x28 not utf-8",
        b"text with a \x00 NUL",
    ],
)
def test_other_files_are_refused_whatever_their_name(content: bytes) -> None:
    with pytest.raises(Invalid, match="not accepted"):
        accept_upload("file", content, 1000)


def test_empty_and_oversized_files_are_refused() -> None:
    with pytest.raises(Invalid, match="empty"):
        accept_upload("file.png", b"", 1000)
    with pytest.raises(Invalid, match="at most 10 bytes"):
        accept_upload("file.png", PNG, 10)


def test_a_survey_answer_is_a_rating_from_1_to_5_and_a_short_comment() -> None:
    assert survey_answer(5, "  great  ").comment == "great"
    assert survey_answer(1, "   ").comment is None
    for bad in (0, 6, True):
        with pytest.raises(Invalid, match="1 to 5"):
            survey_answer(bad, None)
    with pytest.raises(Invalid, match="2000"):
        survey_answer(3, "x" * 2001)
    assert survey_answer(3, "x" * 2000).rating == 3


def test_csat_is_the_share_of_fours_and_fives() -> None:
    assert csat([5, 4, 3, 1]) == 50.0
    assert csat([4]) == 100.0
    assert csat([1, 2, 3]) == 0.0
    assert csat([]) is None


def test_the_expected_wait_grows_with_the_place_in_line_and_shrinks_with_slots() -> None:
    handle = timedelta(minutes=4)
    assert expected_wait(1, 3, handle) == timedelta(minutes=4)
    assert expected_wait(3, 3, handle) == timedelta(minutes=4)
    assert expected_wait(4, 3, handle) == timedelta(minutes=8)
    assert expected_wait(4, 1, handle) == timedelta(minutes=16)
    assert expected_wait(2, 0, handle) is None
    assert expected_wait(0, 2, handle) == timedelta(0)
