"""Real-time queue and agent statistics for the wallboard, kept up to date from engine events.

Today's tallies per queue follow glossary.md: service level = answered within the queue's
threshold / (answered + abandoned after the threshold); abandons shorter than
`short_abandon` are not counted as abandoned. "Today" is the UTC date of the event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from headset.core.messages import Event
from headset.reporting.agent_day import AgentDays
from headset.routing import events as ev
from headset.routing.model import AgentState, QueueConfig
from headset.routing.state import RoutingState


@dataclass(slots=True)
class QueueTally:
    """One queue's counts for a stretch of time (a day, or an hour of it)."""

    offered: int = 0
    answered: int = 0
    answered_in_time: int = 0
    abandoned: int = 0
    abandoned_late: int = 0
    total_wait_seconds: float = 0.0

    @property
    def service_level(self) -> float | None:
        base = self.answered + self.abandoned_late
        return 100.0 * self.answered_in_time / base if base else None


@dataclass(slots=True)
class QueueDay(QueueTally):
    """One queue's counts for one day, and per hour of it (by when contacts were queued)."""

    hours: dict[int, QueueTally] = field(default_factory=dict)

    def hour(self, queued_at: datetime, day: date | None) -> QueueTally:
        """The tally of the hour `queued_at` falls in (hour 0 for a contact of an earlier day,
        which today's counts take over at midnight)."""
        hour = queued_at.hour if queued_at.date() == day else 0
        tally = self.hours.get(hour)
        if tally is None:
            tally = self.hours[hour] = QueueTally()
        return tally


class RealtimeStats:
    """Tallies of today per queue, and when each agent's current state began."""

    def __init__(self, short_abandon: timedelta = timedelta(seconds=5)) -> None:
        self.short_abandon = short_abandon
        self.day: date | None = None
        self.queues: dict[str, QueueDay] = {}
        self.state_since: dict[str, datetime] = {}
        self._waiting: dict[str, tuple[str, datetime]] = {}
        #: Each agent's own figures of today (handled, AHT, contacts per hour).
        self.agent_days = AgentDays()

    def apply(self, event: Event, configs: dict[str, QueueConfig]) -> None:
        """Counts one engine event (call in log order, after the engine applied it)."""
        at: datetime = event.at  # type: ignore[attr-defined]
        self.agent_days.apply(event)
        if at.date() != self.day:
            self.day, self.queues = at.date(), {}
        if isinstance(event, ev.AgentStateChanged):
            if event.new is not event.old:
                self.state_since[event.agent_id] = at
        elif isinstance(event, ev.ContactQueued):
            self._enter(event.contact_id, event.queue_id, event.queued_at)
        elif isinstance(event, ev.ContactTransferred):
            self._enter(event.contact_id, event.queue_id, at)
        elif isinstance(event, ev.OfferAccepted):
            entry = self._waiting.pop(event.contact_id, None)
            if entry is not None:
                wait = at - entry[1]
                for tally in self._tallies(*entry):
                    tally.answered += 1
                    tally.total_wait_seconds += wait.total_seconds()
                    if wait <= _threshold(configs, entry[0]):
                        tally.answered_in_time += 1
        elif isinstance(event, ev.ContactAbandoned):
            entry = self._waiting.pop(event.contact_id, None)
            if entry is not None and at - entry[1] >= self.short_abandon:
                for tally in self._tallies(*entry):
                    tally.abandoned += 1
                    if at - entry[1] > _threshold(configs, entry[0]):
                        tally.abandoned_late += 1

    def _enter(self, contact_id: str, queue_id: str, queued_at: datetime) -> None:
        self._waiting[contact_id] = (queue_id, queued_at)
        for tally in self._tallies(queue_id, queued_at):
            tally.offered += 1

    def _tallies(self, queue_id: str, queued_at: datetime) -> tuple[QueueTally, QueueTally]:
        """The day's tally of the queue and that of the hour the contact was queued in."""
        day = self._tally(queue_id)
        return day, day.hour(queued_at, self.day)

    def _tally(self, queue_id: str) -> QueueDay:
        tally = self.queues.get(queue_id)
        if tally is None:
            tally = self.queues[queue_id] = QueueDay()
        return tally

    def queue_stats(self, state: RoutingState, queue_id: str, now: datetime) -> dict[str, Any]:
        """Waiting, longest wait, today's counts and service level, agents by state."""
        waiting = [c for c in state.contacts.values() if c.queue_id == queue_id and c.is_in_line]
        longest = max(((now - c.queued_at).total_seconds() for c in waiting), default=0.0)
        by_state = dict.fromkeys((s.value for s in AgentState), 0)
        for tiers in state.members.get(queue_id, {}).values():
            for agent_id in tiers:
                by_state[state.agents[agent_id].state.value] += 1
        tally = self.queues.get(queue_id, QueueDay()) if now.date() == self.day else QueueDay()
        level = tally.service_level
        return {
            "queue_id": queue_id,
            "waiting": len(waiting),
            "longest_wait_seconds": round(max(longest, 0.0), 3),
            "offered_today": tally.offered,
            "answered_today": tally.answered,
            "abandoned_today": tally.abandoned,
            "service_level_today": None if level is None else round(level, 2),
            "asa_seconds_today": (
                round(tally.total_wait_seconds / tally.answered, 3) if tally.answered else None
            ),
            "agents": by_state,
            # per hour of today (UTC) with contacts, for the wallboard's charts
            "hours_today": [
                {
                    "starts_at": f"{self.day.isoformat()}T{hour:02d}:00:00+00:00",
                    "offered": h.offered,
                    # the service level's parts, so that queues can be summed
                    "answered_in_time": h.answered_in_time,
                    "counted": h.answered + h.abandoned_late,
                    "service_level": None if h.service_level is None else round(h.service_level, 2),
                }
                for hour, h in sorted(tally.hours.items())
                if self.day is not None and now.date() == self.day
            ],
        }

    def agent_stats(self, state: RoutingState, agent_id: str, now: datetime) -> dict[str, Any]:
        """State, time in state and the contacts the agent holds."""
        agent = state.agents[agent_id]
        since = self.state_since.get(agent_id)
        mine = self.agent_days.figures(agent_id, now)
        return {
            "agent_id": agent_id,
            "state": agent.state.value,
            "reason": agent.reason,
            "seconds_in_state": round((now - since).total_seconds(), 3) if since else None,
            "contacts": sorted(agent.connected | agent.wrapping),
            "offers": sorted(agent.offers),
            "contacts_today": agent.contacts_on(now.date()),
            "handled_today": mine.handled,
            "aht_seconds_today": _rounded(mine.aht_seconds),
            "logged_in_seconds_today": round(mine.logged_in_seconds, 3),
            "contacts_per_hour_today": _rounded(mine.contacts_per_hour, 2),
        }


def _threshold(configs: dict[str, QueueConfig], queue_id: str) -> timedelta:
    config = configs.get(queue_id)
    return config.service_level.threshold if config else timedelta(seconds=20)


def _rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)
