"""Where a waiting customer stands, for every channel: their place in line and an honest
estimate of the wait (a chat's status, a caller's announcement, the call page)."""

from __future__ import annotations

import math
from datetime import timedelta

from headset.routing.model import AgentState
from headset.routing.records import ContactRecord
from headset.routing.state import RoutingState

#: Used when the queue has no handle time of its own yet (a chat of three minutes).
DEFAULT_HANDLE = timedelta(minutes=3)


def place_in_line(state: RoutingState, contact: ContactRecord) -> tuple[int, int]:
    """The contact's place among waiting contacts of its channel in its queue (1 = next), and
    the slots of that channel among the queue's signed-in agents."""
    mine = contact.entry()
    ahead = sum(
        1
        for other in state.contacts.values()
        if other.queue_id == contact.queue_id
        and other.is_in_line
        and other.channel is contact.channel
        and other.entry() < mine
    )
    slots = 0
    for tier in state.members.get(contact.queue_id, {}).values():
        for agent_id in tier:
            agent = state.agents.get(agent_id)
            if agent is not None and agent.chosen is not AgentState.OFFLINE:
                slots += agent.capacity.get(contact.channel, 0)
    return ahead + 1, slots


def expected_wait(
    position: int, slots: int, mean_handle: timedelta = DEFAULT_HANDLE
) -> timedelta | None:
    """How long the customer at `position` (1 = next) will likely wait.

    `slots` is how many contacts of the channel the queue's signed-in agents can hold at once.
    Each slot frees up once per mean handle time, so the customer is reached after their
    position's share of those turns. None when nobody is signed in: no estimate is better
    than a wrong one.
    """
    if position < 1:
        return timedelta(0)
    if slots < 1:
        return None
    turns = math.ceil(position / slots)
    return mean_handle * turns


def expected_wait_of(state: RoutingState, contact: ContactRecord) -> tuple[int, timedelta | None]:
    """The contact's place in line and its expected wait, as the customer is told them."""
    position, slots = place_in_line(state, contact)
    return position, expected_wait(position, slots)
