"""Where a waiting customer stands: place in line and an honest estimate of the wait."""

from __future__ import annotations

import math
from datetime import timedelta

#: Used when the queue has no handle time of its own yet (a chat of three minutes).
DEFAULT_HANDLE = timedelta(minutes=3)


def expected_wait(
    position: int, slots: int, mean_handle: timedelta = DEFAULT_HANDLE
) -> timedelta | None:
    """How long the customer at `position` (1 = next) will likely wait.

    `slots` is how many chats the queue's signed-in agents can hold at once. Each slot frees
    up once per mean handle time, so the customer is reached after their position's share of
    those turns. None when nobody is signed in: no estimate is better than a wrong one.
    """
    if position < 1:
        return timedelta(0)
    if slots < 1:
        return None
    turns = math.ceil(position / slots)
    return mean_handle * turns
