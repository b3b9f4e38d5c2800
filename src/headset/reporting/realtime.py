"""Real-time queue and agent statistics for the wallboard, kept up to date from engine events.

Today's tallies per queue are `kpis.ContactTally`s, counted with the same rules and turned
into figures by the same functions as the reports (docs/kpis.md): a contact is offered when
it is queued, and answered or abandoned (short abandons apart) when that happens. "Today" is
the tenant's day in its time zone (`QueueConfig.tenant_time_zone`, `core.days`), per hour of
it by when contacts were queued.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

# typing_extensions' TypedDict (pydantic's own dependency): on Python 3.11 pydantic can use
# only it to describe the API's answers (GET .../stats/queues) from these types
from typing_extensions import TypedDict

from headset.core.days import LocalDay, day_of
from headset.core.messages import Event
from headset.reporting import kpis
from headset.reporting.agent_day import AgentDays
from headset.reporting.kpis import DEFAULT_SHORT_ABANDON, ContactTally
from headset.routing import events as ev
from headset.routing.model import AgentState, QueueConfig
from headset.routing.state import RoutingState

_HOUR = timedelta(hours=1)
_NONE = ContactTally()


class HourFigures(TypedDict):
    """One hour of a queue's day, with the service level's parts so queues can be summed."""

    starts_at: str
    offered: int
    answered_in_time: int
    counted: int
    service_level: float | None


class QueueFigures(TypedDict):
    """A queue now and today (rates as percentages, times in seconds)."""

    queue_id: str
    waiting: int
    longest_wait_seconds: float
    offered_today: int
    answered_today: int
    abandoned_today: int
    service_level_today: float | None
    asa_seconds_today: float | None
    agents: dict[str, int]
    hours_today: list[HourFigures]


class AgentFigures(TypedDict):
    """An agent now and today."""

    agent_id: str
    state: str
    reason: str | None
    seconds_in_state: float | None
    contacts: list[str]
    offers: list[str]
    contacts_today: int
    handled_today: int
    aht_seconds_today: float | None
    logged_in_seconds_today: float
    contacts_per_hour_today: float | None


@dataclass(slots=True)
class QueueDay:
    """One queue's tally of one local day, and per hour of it (by when contacts were queued)."""

    day: LocalDay
    tally: ContactTally = _NONE
    hours: dict[int, ContactTally] = field(default_factory=dict)

    def add(self, queued_at: datetime, counts: ContactTally) -> None:
        """Adds to the day and to the hour `queued_at` falls in (hour 0 for a contact of an
        earlier day, which today's counts take over at midnight)."""
        self.tally += counts
        start = self.day.starts_at
        hour = (queued_at - start) // _HOUR if queued_at >= start else 0
        self.hours[hour] = self.hours.get(hour, _NONE) + counts

    def covers(self, moment: datetime) -> bool:
        return self.day.starts_at <= moment < self.day.ends_at


class RealtimeStats:
    """Tallies of today per queue, and when each agent's current state began."""

    def __init__(self, short_abandon: timedelta = DEFAULT_SHORT_ABANDON) -> None:
        self.short_abandon = short_abandon
        self.queues: dict[str, QueueDay] = {}
        self.state_since: dict[str, datetime] = {}
        self._waiting: dict[str, tuple[str, datetime]] = {}
        #: The queues each agent is a member of: their tenant's, whose zone is the agent's.
        self._agent_queues: dict[str, tuple[str, ...]] = {}
        #: Each agent's own figures of today (handled, AHT, contacts per hour).
        self.agent_days = AgentDays()

    def apply(self, event: Event, configs: dict[str, QueueConfig]) -> None:
        """Counts one engine event (call in log order, after the engine applied it)."""
        at: datetime = event.at  # type: ignore[attr-defined]
        if isinstance(event, ev.AgentRegistered):
            profile = event.profile
            self._agent_queues[profile.agent_id] = tuple(m.queue_id for m in profile.memberships)
        self.agent_days.apply(event, lambda agent_id: self.agent_zone(agent_id, configs))
        if isinstance(event, ev.AgentStateChanged):
            if event.new is not event.old:
                self.state_since[event.agent_id] = at
        elif isinstance(event, ev.ContactQueued):
            self._enter(event.contact_id, event.queue_id, event.queued_at, at, configs)
        elif isinstance(event, ev.ContactTransferred):
            self._enter(event.contact_id, event.queue_id, at, at, configs)
        elif isinstance(event, ev.OfferAccepted):
            entry = self._waiting.pop(event.contact_id, None)
            if entry is not None:
                queue_id, queued_at = entry
                counts = kpis.answered_contact(at - queued_at, _threshold(configs, queue_id))
                self._day(queue_id, at, configs).add(queued_at, counts)
        elif isinstance(event, ev.ContactAbandoned):
            entry = self._waiting.pop(event.contact_id, None)
            if entry is not None:
                queue_id, queued_at = entry
                threshold = _threshold(configs, queue_id)
                counts = kpis.abandoned_contact(at - queued_at, threshold, self.short_abandon)
                self._day(queue_id, at, configs).add(queued_at, counts)

    def agent_zone(self, agent_id: str, configs: dict[str, QueueConfig]) -> str:
        """The time zone of the agent's tenant, known from the queues the agent serves."""
        for queue_id in self._agent_queues.get(agent_id, ()):
            config = configs.get(queue_id)
            if config is not None:
                return config.tenant_time_zone
        return "UTC"

    def _enter(
        self,
        contact_id: str,
        queue_id: str,
        queued_at: datetime,
        at: datetime,
        configs: dict[str, QueueConfig],
    ) -> None:
        self._waiting[contact_id] = (queue_id, queued_at)
        self._day(queue_id, at, configs).add(queued_at, kpis.QUEUED)

    def _day(self, queue_id: str, at: datetime, configs: dict[str, QueueConfig]) -> QueueDay:
        """The queue's tally of the tenant's day `at` falls in (a new one after midnight)."""
        day = self.queues.get(queue_id)
        if day is None or not day.covers(at):
            day = self.queues[queue_id] = QueueDay(day_of(at, _zone(configs, queue_id)))
        return day

    def queue_stats(self, state: RoutingState, queue_id: str, now: datetime) -> QueueFigures:
        """Waiting, longest wait, today's counts and service level, agents by state."""
        waiting = [c for c in state.contacts.values() if c.queue_id == queue_id and c.is_in_line]
        longest = max(((now - c.queued_at).total_seconds() for c in waiting), default=0.0)
        by_state = dict.fromkeys((s.value for s in AgentState), 0)
        for tiers in state.members.get(queue_id, {}).values():
            for agent_id in tiers:
                by_state[state.agents[agent_id].state.value] += 1
        today = self.queues.get(queue_id)
        if today is None or not today.covers(now):
            today = QueueDay(day_of(now, _zone(state.queues, queue_id)))
        tally = today.tally
        return {
            "queue_id": queue_id,
            "waiting": len(waiting),
            "longest_wait_seconds": round(max(longest, 0.0), 3),
            "offered_today": kpis.offered(tally),
            "answered_today": kpis.handled(tally),
            "abandoned_today": kpis.abandoned(tally),
            "service_level_today": _percent(kpis.service_level(tally)),
            "asa_seconds_today": _rounded(kpis.average_speed_of_answer(tally)),
            "agents": by_state,
            # per hour of the tenant's day with contacts, for the wallboard's charts
            "hours_today": [
                {
                    "starts_at": (today.day.starts_at + hour * _HOUR).isoformat(),
                    "offered": kpis.offered(h),
                    # the service level's parts, so that queues can be summed
                    "answered_in_time": h.answered_within,
                    "counted": kpis.service_level_base(h),
                    "service_level": _percent(kpis.service_level(h)),
                }
                for hour, h in sorted(today.hours.items())
            ],
        }

    def agent_stats(self, state: RoutingState, agent_id: str, now: datetime) -> AgentFigures:
        """State, time in state and the contacts the agent holds; figures of the tenant's day."""
        agent = state.agents[agent_id]
        since = self.state_since.get(agent_id)
        zone = self.agent_zone(agent_id, state.queues)
        today = day_of(now, zone)
        mine = self.agent_days.figures(agent_id, now, zone)
        return {
            "agent_id": agent_id,
            "state": agent.state.value,
            "reason": agent.reason,
            "seconds_in_state": round((now - since).total_seconds(), 3) if since else None,
            "contacts": sorted(agent.connected | agent.wrapping),
            "offers": sorted(agent.offers),
            "contacts_today": agent.contacts_on(today.date),
            "handled_today": mine.handled,
            "aht_seconds_today": _rounded(mine.aht_seconds),
            "logged_in_seconds_today": round(mine.logged_in_seconds, 3),
            "contacts_per_hour_today": _rounded(mine.contacts_per_hour, 2),
        }


def _threshold(configs: dict[str, QueueConfig], queue_id: str) -> timedelta:
    config = configs.get(queue_id)
    return config.service_level.threshold if config else timedelta(seconds=20)


def _zone(configs: dict[str, QueueConfig], queue_id: str) -> str:
    config = configs.get(queue_id)
    return config.tenant_time_zone if config else "UTC"


def _percent(fraction: float | None) -> float | None:
    """The wallboard shows rates as percentages (0-100, two decimals): docs/kpis.md."""
    return None if fraction is None else round(100 * fraction, 2)


def _rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)
