"""An agent's own figures for today: handled, AHT and contacts per hour (glossary.md).

Kept beside the engine from its events, like `RealtimeStats`, so the agent desktop can show
them live without a query. Handle time of a contact runs from the agent's answer to the end
of wrap-up (talk, hold and wrap-up); a contact the agent passes on (a transfer) is not handled
by them and its time is not counted. Logged-in time is time in any state but offline. The
day is the agent's tenant's day in its time zone (`core.days`), as for the queue statistics.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from headset.core.days import LocalDay, day_of
from headset.core.messages import Event
from headset.routing import events as ev
from headset.routing.model import AgentState


@dataclass(slots=True)
class AgentDay:
    """One agent's tallies of one day."""

    day: LocalDay
    handled: int = 0
    handle_seconds: float = 0.0
    logged_in_seconds: float = 0.0
    #: When the agent's current signed-in stretch began (None while offline).
    signed_in_since: datetime | None = None
    #: Answered contacts not yet completed: contact id → when the agent answered.
    answered: dict[str, datetime] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AgentFigures:
    handled: int
    aht_seconds: float | None
    logged_in_seconds: float
    contacts_per_hour: float | None


class AgentDays:
    """Every agent's figures of their current day, from the engine's events in log order."""

    def __init__(self) -> None:
        self.agents: dict[str, AgentDay] = {}

    def apply(self, event: Event, zone_of: Callable[[str], str]) -> None:
        """Counts one event; `zone_of` names the time zone of an agent's tenant."""
        at: datetime | None = getattr(event, "at", None)
        if at is None:
            return
        if isinstance(event, ev.AgentStateChanged):
            if event.new is event.old:
                return
            day = self._of(event.agent_id, at, zone_of)
            if event.new is AgentState.OFFLINE:
                if day.signed_in_since is not None:
                    day.logged_in_seconds += (at - day.signed_in_since).total_seconds()
                    day.signed_in_since = None
            elif day.signed_in_since is None:
                day.signed_in_since = at
        elif isinstance(event, ev.OfferAccepted):
            self._of(event.agent_id, at, zone_of).answered[event.contact_id] = at
        elif isinstance(event, ev.ContactCompleted):
            day = self._of(event.agent_id, at, zone_of)
            answered_at = day.answered.pop(event.contact_id, None)
            if answered_at is not None:
                day.handled += 1
                day.handle_seconds += (at - answered_at).total_seconds()
        elif isinstance(event, ev.ContactTransferred) and event.from_agent_id is not None:
            self._of(event.from_agent_id, at, zone_of).answered.pop(event.contact_id, None)

    def figures(self, agent_id: str, now: datetime, zone: str) -> AgentFigures:
        """The agent's figures of `now`'s day in `zone`, counting the current stretch up to
        `now`."""
        day = self.agents.get(agent_id)
        if day is None or now < day.day.starts_at:
            return AgentFigures(0, None, 0.0, None)
        since = day.signed_in_since
        if now >= day.day.ends_at:  # no event yet today: only a stretch from midnight counts
            if since is None:
                return AgentFigures(0, None, 0.0, None)
            day = _carried(day, day_of(now, zone))
            since = day.signed_in_since
        logged_in = day.logged_in_seconds
        if since is not None:
            logged_in += max((now - since).total_seconds(), 0.0)
        aht = day.handle_seconds / day.handled if day.handled else None
        per_hour = day.handled / (logged_in / 3600) if logged_in > 0 else None
        return AgentFigures(day.handled, aht, logged_in, per_hour)

    def _of(self, agent_id: str, at: datetime, zone_of: Callable[[str], str]) -> AgentDay:
        """The agent's day that `at` falls in; at the tenant's midnight a new one starts."""
        day = self.agents.get(agent_id)
        if day is None:
            day = self.agents[agent_id] = AgentDay(day_of(at, zone_of(agent_id)))
        elif not day.day.starts_at <= at < day.day.ends_at:
            day = self.agents[agent_id] = _carried(day, day_of(at, zone_of(agent_id)))
        return day


def _carried(old: AgentDay, day: LocalDay) -> AgentDay:
    """A new day of an agent: still signed in (or still handling) they carry over from its
    midnight; counts start again from zero."""
    midnight = day.starts_at
    return AgentDay(
        day,
        signed_in_since=midnight if old.signed_in_since is not None else None,
        answered={c: max(t, midnight) for c, t in old.answered.items()},
    )
