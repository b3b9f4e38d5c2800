"""What a caller's announcement tells them of their place in line (the query itself is
routing/waiting.py, the same for chats and calls)."""

from __future__ import annotations

import math

from headset.routing.waiting import expected_wait


def announcement(position: int, slots: int) -> str:
    """ "You are number 2 in line. The expected wait is about 6 minutes." (no guess with
    nobody signed in)."""
    text = f"You are number {position} in line."
    wait = expected_wait(position, slots)
    if wait is not None:
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        text += f" The expected wait is about {minutes} minute{'s' if minutes > 1 else ''}."
    return text + " Please hold the line."
