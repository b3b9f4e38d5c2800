"""Timers are data: the engine returns deadlines and the caller fires them back."""

from __future__ import annotations

from datetime import datetime

from headset.core.messages import Event, message


@message
class Timer:
    """Send `FireTimer(key)` to the engine at `due_at`; it replaces a pending timer of that key."""

    key: str
    due_at: datetime


class Result:
    """What one command did: events to store and publish, timers to start and to cancel."""

    __slots__ = ("cancelled", "events", "timers")

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.timers: list[Timer] = []
        self.cancelled: list[str] = []

    def __repr__(self) -> str:
        return (
            f"Result(events={self.events!r}, timers={self.timers!r}, cancelled={self.cancelled!r})"
        )


def offer_timer(offer_id: str) -> str:
    return f"offer:{offer_id}"


def wrap_up_timer(contact_id: str) -> str:
    return f"wrap_up:{contact_id}"


def tier_timer(contact_id: str, tier: int) -> str:
    return f"tier:{tier}:{contact_id}"


def overflow_timer(contact_id: str, rule: int) -> str:
    return f"overflow:{rule}:{contact_id}"


def reoffer_timer(contact_id: str) -> str:
    """The next moment an agent who declined the contact may be offered it again.

    Always due at the earliest such moment, so a newer timer of this key replaces an older one.
    """
    return f"reoffer:{contact_id}"
