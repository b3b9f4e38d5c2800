"""RFC 4733 telephone-event payloads and the once-per-digit tracker."""

from __future__ import annotations

import pytest

from headset.core.errors import Invalid
from headset.media.rfc4733 import DIGITS, EventTracker, encode_event, parse_event


def test_a_payload_is_event_end_bit_volume_and_duration() -> None:
    event = parse_event(bytes([11, 0x80 | 10, 0x03, 0x20]))
    assert (event.digit, event.is_end, event.volume, event.duration) == ("#", True, 10, 800)


@pytest.mark.parametrize("digit", list(DIGITS))
def test_every_keypad_digit_survives_encoding(digit: str) -> None:
    event = parse_event(encode_event(digit, is_end=False, duration=960))
    assert event.digit == digit
    assert not event.is_end
    assert event.duration == 960


def test_events_beyond_the_keypad_are_not_digits() -> None:
    assert parse_event(bytes([16, 0, 0, 160])).digit is None  # flash


def test_short_payloads_and_unknown_digits_are_refused() -> None:
    with pytest.raises(Invalid):
        parse_event(b"\x01\x02")
    with pytest.raises(Invalid):
        encode_event("x", is_end=False, duration=0)


def test_a_digit_is_reported_once_for_all_its_packets_including_repeated_ends() -> None:
    tracker = EventTracker()
    packets = [encode_event("5", is_end=False, duration=d) for d in (160, 320, 480)]
    packets += [encode_event("5", is_end=True, duration=640)] * 3
    reported = [tracker.feed(1000, p) for p in packets]
    assert reported == ["5", None, None, None, None, None]
    assert tracker.feed(2000, encode_event("5", is_end=False, duration=160)) == "5"


def test_a_lost_start_still_reports_the_digit_from_its_end_packet() -> None:
    tracker = EventTracker()
    assert tracker.feed(7, encode_event("9", is_end=True, duration=800)) == "9"
    assert tracker.feed(7, b"\x00") is None  # garbage is ignored, not raised
