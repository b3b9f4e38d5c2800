"""Where a waiting customer stands (a chat's or a call's), and what a caller's announcement
tells them."""

from __future__ import annotations

import math

from headset.chat.waiting import expected_wait
from headset.routing.records import ContactRecord
from headset.routing.state import RoutingState


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
            if agent is not None and agent.chosen.value != "offline":
                slots += agent.capacity.get(contact.channel, 0)
    return ahead + 1, slots


def announcement(position: int, slots: int) -> str:
    """ "You are number 2 in line. The expected wait is about 6 minutes." (no guess with
    nobody signed in)."""
    text = f"You are number {position} in line."
    wait = expected_wait(position, slots)
    if wait is not None:
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        text += f" The expected wait is about {minutes} minute{'s' if minutes > 1 else ''}."
    return text + " Please hold the line."
