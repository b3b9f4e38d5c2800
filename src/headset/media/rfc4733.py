"""RFC 4733 telephone events (keypad digits sent as RTP payloads) — pure, no media library.

A browser's `RTCDTMFSender.insertDTMF('12#')` sends each digit as a run of RTP packets of the
negotiated `telephone-event` payload type, all with the RTP timestamp of the tone's start:
the duration grows in each packet and the last three carry the end bit. A digit is therefore
one RTP timestamp; `EventTracker` reports it once, on its first packet, so a lost end packet
does not lose the digit and the three repeated end packets do not repeat it.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from headset.core.errors import Invalid

#: Event codes 0-15 in RFC 4733's order (section 3.2).
DIGITS = "0123456789*#ABCD"
#: The clock rates the hub offers `telephone-event` at: Opus' (browsers) and G.711's (SIP).
CLOCK_RATES = (48000, 8000)

_FORMAT = struct.Struct("!BBH")


@dataclass(frozen=True, slots=True)
class TelephoneEvent:
    """One telephone-event payload."""

    event: int
    is_end: bool
    volume: int
    duration: int

    @property
    def digit(self) -> str | None:
        """The keypad digit, or None for the other events (flash, tones) RFC 4733 defines."""
        return DIGITS[self.event] if self.event < len(DIGITS) else None


def parse_event(payload: bytes) -> TelephoneEvent:
    """Reads the 4-byte payload: event, E bit, reserved bit, volume (6 bits), duration."""
    if len(payload) < _FORMAT.size:
        raise Invalid(f"a telephone-event payload has 4 bytes, got {len(payload)}")
    event, flags, duration = _FORMAT.unpack_from(payload)
    return TelephoneEvent(
        event=event, is_end=bool(flags & 0x80), volume=flags & 0x3F, duration=duration
    )


def encode_event(digit: str, *, is_end: bool, duration: int, volume: int = 10) -> bytes:
    """The payload for `digit` (what a browser or SIP phone sends)."""
    if len(digit) != 1 or digit.upper() not in DIGITS:
        raise Invalid(f"{digit!r} is not a keypad digit; choose from {DIGITS}")
    if not 0 <= volume <= 63 or not 0 <= duration <= 0xFFFF:
        raise Invalid("volume must be 0-63 and duration 0-65535")
    flags = (0x80 if is_end else 0) | volume
    return _FORMAT.pack(DIGITS.index(digit.upper()), flags, duration)


class EventTracker:
    """Turns the stream of telephone-event packets of one leg into digits, each once."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: list[int] = []

    def feed(self, rtp_timestamp: int, payload: bytes) -> str | None:
        """The digit this packet starts, or None for a continuation, repeat or non-digit."""
        try:
            event = parse_event(payload)
        except Invalid:
            return None
        if rtp_timestamp in self._seen:
            return None
        self._seen.append(rtp_timestamp)
        del self._seen[:-8]  # a few recent events are enough to recognise repeats
        return event.digit
