"""One replication: the real routing engine on a virtual clock, fed by sampled traffic.

The simulator owns a heap of future moments (whole microseconds from the scenario start,
a sequence number, a kind and an argument) and does exactly what callers of the engine do
live: queue contacts, accept offers, end contacts, finish wrap-up, abandon, log agents in and
out, and fire every timer the engine asks for. It never decides routing itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from heapq import heappop, heappush
from typing import Any

from headset.core.clock import FakeClock
from headset.core.messages import Command
from headset.reporting.agent_time import AgentTally, AgentTimeBuckets
from headset.reporting.records import ContactRecord
from headset.routing import events as ev
from headset.routing.commands import (
    AbandonContact,
    AcceptOffer,
    ConfigureQueue,
    EndContact,
    FinishWrapUp,
    FireTimer,
    QueueContact,
    RegisterAgent,
    SetAgentState,
)
from headset.routing.engine import Engine
from headset.routing.model import AgentState
from headset.sim.scenario import Scenario
from headset.sim.traffic import Traffic, sample_traffic

# Kinds of heap entries. Ties at one moment run in the order they were pushed.
_ARRIVAL, _TIMER, _ACCEPT, _END, _FINISH_WRAP_UP, _ABANDON, _LOG_IN, _LOG_OUT = range(8)
_US = timedelta(microseconds=1)
# Engine events the simulator reacts to; it ignores the others.
_STATE, _OFFERED, _ACCEPTED, _ENDED, _COMPLETED, _ABANDONED, _OFFER_GONE = range(7)
_EVENT_CODES: dict[type, int] = {
    ev.AgentStateChanged: _STATE,
    ev.ContactOffered: _OFFERED,
    ev.OfferAccepted: _ACCEPTED,
    ev.ContactEnded: _ENDED,
    ev.ContactCompleted: _COMPLETED,
    ev.ContactAbandoned: _ABANDONED,
    ev.OfferRescinded: _OFFER_GONE,
    ev.OfferExpired: _OFFER_GONE,
    ev.OfferRejected: _OFFER_GONE,
}
_AVAILABLE, _OFFLINE = AgentState.AVAILABLE, AgentState.OFFLINE

#: Called with the share of arrivals done (0-1) now and then.
Progress = Callable[[float], None]


@dataclass(frozen=True, slots=True)
class Replication:
    """What one replication produced: a record per contact and agent time per interval."""

    contacts: list[ContactRecord]
    agent_time: list[AgentTally]
    engine_calls: int


def run_replication(
    scenario: Scenario, seed: int, replication: int = 0, progress: Progress | None = None
) -> Replication:
    """Simulates the scenario's day once with random streams derived from (seed, replication)."""
    traffic = sample_traffic(scenario, seed, replication)
    return _Run(scenario, traffic, progress).run()


class _Run:
    """The state of one replication; `run` is written for speed: locals, tuples, no allocs."""

    def __init__(self, scenario: Scenario, traffic: Traffic, progress: Progress | None) -> None:
        self.scenario = scenario
        self.traffic = traffic
        self.progress = progress
        self.origin = origin = scenario.grid.start_at
        self.clock = FakeClock(origin)
        self.engine = Engine(self.clock)
        self.buckets = AgentTimeBuckets(scenario.grid)
        size = len(traffic.arrival_us)
        self.answered_at: list[datetime | None] = [None] * size
        self.abandoned_at: list[datetime | None] = [None] * size
        self.ended_at: list[datetime | None] = [None] * size
        self.wrapped_at: list[datetime | None] = [None] * size
        self.queued_at: list[datetime] = [origin] * size

    def _setup(self, heap: list[tuple[int, int, int, Any]]) -> dict[str, int]:
        """Configures queues and agents; schedules shifts. Returns answer delays (µs)."""
        handle = self.engine.handle
        for queue in self.scenario.queues:
            handle(ConfigureQueue(queue.config))
        delays: dict[str, int] = {}
        seq = 0
        for group in self.scenario.agent_groups:
            for profile in group.profiles():
                handle(RegisterAgent(profile))
                delays[profile.agent_id] = round(group.answer_delay * 1e6)
                start = max(group.shift_start or 0.0, 0.0)
                heappush(heap, (round(start * 1e6), seq, _LOG_IN, profile.agent_id))
                seq += 1
                if group.shift_end is not None:
                    end = max(group.shift_end, 0.0)
                    heappush(heap, (round(end * 1e6), seq, _LOG_OUT, profile.agent_id))
                    seq += 1
        return delays

    def run(self) -> Replication:
        heap: list[tuple[int, int, int, Any]] = []
        delays = self._setup(heap)
        seq = len(heap)
        traffic = self.traffic
        arrival_us, queue_of, talk_us = traffic.arrival_us, traffic.queue_of, traffic.talk_us
        patience_us, wrap_us, language_of = traffic.patience_us, traffic.wrap_us, traffic.language
        queue_ids = [queue.queue_id for queue in self.scenario.queues]
        total = len(arrival_us)
        if total:
            heappush(heap, (arrival_us[0], seq, _ARRIVAL, 0))
            seq += 1
        answered_at, abandoned_at = self.answered_at, self.abandoned_at
        ended_at, wrapped_at, queued_at = self.ended_at, self.wrapped_at, self.queued_at
        index: dict[str, int] = {}
        live_timers: dict[str, int] = {}
        open_offers: set[str] = set()
        agent_state: dict[str, AgentState] = {}
        add_time = self.buckets.add
        origin, clock_set, handle = self.origin, self.clock.set, self.engine.handle
        progress, next_report, report_step = self.progress, 0, max(total // 50, 1)
        codes = _EVENT_CODES
        agent_since: dict[str, int] = {}
        started: list[tuple[int, str]] = []
        now_us, now_dt, calls = -1, origin, 0
        pending: list[Command] = []
        event: Any
        while heap:
            t, _, kind, arg = heappop(heap)
            if kind == _TIMER:
                if live_timers.get(arg) != t:
                    continue  # cancelled, or moved to another moment
                del live_timers[arg]
                command: Command = FireTimer(arg)
            elif kind == _ARRIVAL:
                n: int = arg
                arrival_id = f"c{n}"
                index[arrival_id] = n
                command = QueueContact(arrival_id, queue_ids[queue_of[n]], language=language_of[n])
                if n + 1 < total:
                    heappush(heap, (arrival_us[n + 1], seq, _ARRIVAL, n + 1))
                    seq += 1
                if progress is not None and n >= next_report:
                    progress(n / total)
                    next_report = n + report_step
            elif kind == _END:
                command = EndContact(arg)
            elif kind == _ABANDON:
                n = index[arg]
                if answered_at[n] is not None or abandoned_at[n] is not None:
                    continue
                command = AbandonContact(arg)
            elif kind == _ACCEPT:
                if arg not in open_offers:
                    continue  # the customer left, or the offer expired, meanwhile
                command = AcceptOffer(arg)
            elif kind == _FINISH_WRAP_UP:
                n = index[arg]
                if wrapped_at[n] is not None:
                    continue
                command = FinishWrapUp(arg)
            elif kind == _LOG_IN:
                command = SetAgentState(arg, _AVAILABLE)
            else:
                command = SetAgentState(arg, _OFFLINE)
            if t != now_us:
                now_us = t
                now_dt = origin + timedelta(microseconds=t)
                clock_set(now_dt)
            if kind == _ARRIVAL:
                queued_at[n] = now_dt
            pending.append(command)
            for command in pending:
                if type(command) is AcceptOffer and command.offer_id not in open_offers:
                    continue  # ring-all: another agent took the contact first
                result = handle(command)
                calls += 1
                for timer in result.timers:
                    due = (timer.due_at - origin) // _US
                    live_timers[timer.key] = due
                    started.append((due, timer.key))
                for key in result.cancelled:
                    live_timers.pop(key, None)
                for event in result.events:
                    code = codes.get(type(event))
                    if code is None:
                        continue
                    if code == _STATE:
                        agent_id = event.agent_id
                        since = agent_since.get(agent_id, t)
                        if since < t:
                            add_time(agent_state[agent_id], since * 1e-6, t * 1e-6)
                        agent_state[agent_id] = event.new
                        agent_since[agent_id] = t
                    elif code == _OFFERED:
                        offer_id = event.offer_id
                        delay = delays[event.agent_id]
                        open_offers.add(offer_id)
                        if delay:
                            heappush(heap, (t + delay, seq, _ACCEPT, offer_id))
                            seq += 1
                        # without a delay the agent is on auto-answer: OfferAccepted follows
                    elif code == _ACCEPTED:
                        open_offers.discard(event.offer_id)
                        contact_id = event.contact_id
                        m = index[contact_id]
                        answered_at[m] = now_dt
                        heappush(heap, (t + talk_us[m], seq, _END, contact_id))
                        seq += 1
                    elif code == _ENDED:
                        contact_id = event.contact_id
                        m = index[contact_id]
                        ended_at[m] = now_dt
                        wrap = wrap_us[m]
                        if wrap >= 0 and t + wrap < (event.wrap_up_due_at - origin) // _US:
                            heappush(heap, (t + wrap, seq, _FINISH_WRAP_UP, contact_id))
                            seq += 1
                    elif code == _COMPLETED:
                        wrapped_at[index[event.contact_id]] = now_dt
                    elif code == _ABANDONED:
                        abandoned_at[index[event.contact_id]] = now_dt
                    else:  # the offer was rescinded, expired or rejected
                        open_offers.discard(event.offer_id)
            # Timers cancelled within the same moment (an offer accepted at once) never
            # reach the heap.
            for due, key in started:
                if live_timers.get(key) == due:
                    heappush(heap, (due, seq, _TIMER, key))
                    seq += 1
            started.clear()
            pending.clear()
            if kind == _ARRIVAL and answered_at[n] is None and patience_us[n] >= 0:
                heappush(heap, (t + patience_us[n], seq, _ABANDON, arrival_id))
                seq += 1
        end_s = self.scenario.grid.length_seconds * self.scenario.grid.count
        for agent_id, state in agent_state.items():
            add_time(state, agent_since[agent_id] * 1e-6, end_s)
        return Replication(self._records(queue_ids), self.buckets.tallies(), calls)

    def _records(self, queue_ids: list[str]) -> list[ContactRecord]:
        queue_of = self.traffic.queue_of
        answered, abandoned = self.answered_at, self.abandoned_at
        ended, wrapped = self.ended_at, self.wrapped_at
        return [
            ContactRecord(
                f"c{n}",
                queue_ids[queue_of[n]],
                queued,
                answered[n],
                abandoned[n],
                ended[n],
                wrapped[n],
            )
            for n, queued in enumerate(self.queued_at)
        ]
