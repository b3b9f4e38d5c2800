"""A committed event as the live hub sees it, and the spelling of audience keys."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class LiveEvent:
    """One committed event, addressed to the audience keys allowed to see it."""

    seq: int
    type: str
    payload: Mapping[str, Any]
    audiences: frozenset[str]


# The service decides who sees what; these keep one spelling of the keys it uses, so a
# subscriber's keys and an event's keys cannot drift apart by a typo.


def agent_audience(agent_id: str) -> str:
    """The audience key of one agent's own stream: `agent:a1`."""
    return f"agent:{agent_id}"


def tenant_audience(tenant_id: str) -> str:
    """The audience key of everyone in a tenant allowed to see tenant-wide events."""
    return f"tenant:{tenant_id}"


def team_audience(tenant_id: str, team_id: str) -> str:
    """The audience key of one team in a tenant: `team:t1:blue`."""
    return f"team:{tenant_id}:{team_id}"
