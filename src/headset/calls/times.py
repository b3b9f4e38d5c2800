"""Talk and hold time of a call from its stored events (glossary.md, "Times of a contact").

Talk = ended - answered - hold; hold is the sum of every held stretch, each ended by a
resume, a transfer or the end of the call. Handle = talk + hold + wrap-up, so a contact's
handle time (wrapped_at - answered_at) is unchanged by holding: hold moves time from talk to
hold, it never disappears from AHT.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from headset.calls.call import CallControl
from headset.calls.events import CallEvent


@dataclass(frozen=True, slots=True)
class CallTimes:
    answered_at: datetime | None
    ended_at: datetime | None
    talk: timedelta
    hold: timedelta


def call_times(call_id: str, events: Iterable[CallEvent], now: datetime) -> CallTimes:
    """The call's times so far (`now` closes a call still going on)."""
    state = CallControl.replay(call_id, events).state
    end = state.ended_at or now
    return CallTimes(
        state.answered_at, state.ended_at, state.talk_until(end), state.hold_until(end)
    )
