"""One replication: the real routing engine on a virtual clock, fed by sampled traffic.

The simulator owns a heap of future moments (whole microseconds from the scenario start,
a sequence number, a kind and an argument) and does exactly what callers of the engine do
live: queue contacts, accept offers, end contacts, finish wrap-up, abandon, log agents in and
out, and fire every timer the engine asks for. It never decides routing itself.

The loop is the simulator's hot path: arrivals wait in their sorted list rather than in the
heap, the clock is set by assignment, events are told apart by identity in order of
frequency, agent state spans are only collected (and spread over intervals in numpy at the
end), and the cyclic garbage collector is paused for the run.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from heapq import heappop, heappush
from itertools import repeat
from typing import Any

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
from headset.sim.virtual_clock import VirtualClock

# Kinds of heap entries. Ties at one moment run in the order they were pushed.
_ARRIVAL, _TIMER, _ACCEPT, _END, _FINISH_WRAP_UP, _ABANDON, _LOG_IN, _LOG_OUT = range(8)
_NEVER = 1 << 62  # µs: later than any moment of a run (about 146,000 years)
_DONE = (_NEVER + 1,)  # the next arrival once there is none: after the end marker
_US = timedelta(microseconds=1)
_delta = timedelta
_NO_HOLD = timedelta(0)
# Engine events the simulator reacts to; it ignores the others.
_StateChanged, _Queued, _Offered = ev.AgentStateChanged, ev.ContactQueued, ev.ContactOffered
_Accepted, _Ended, _Completed = ev.OfferAccepted, ev.ContactEnded, ev.ContactCompleted
_Abandoned = ev.ContactAbandoned
_OFFER_GONE = (ev.OfferRescinded, ev.OfferExpired, ev.OfferRejected)
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
    with _collector_paused():
        return _Run(scenario, traffic, progress).run()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pauses the cyclic garbage collector for the run, if it is on.

    A replication allocates millions of short-lived objects (commands, events, results) and
    almost no reference cycles (about 2,000 in a 100,000-call day), while the collector's
    passes over the engine's and the run's growing state cost some 15 % of the run time.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class _Run:
    """The state of one replication; `run` is written for speed: locals, tuples, no allocs."""

    def __init__(self, scenario: Scenario, traffic: Traffic, progress: Progress | None) -> None:
        self.scenario = scenario
        self.traffic = traffic
        self.progress = progress
        self.origin = origin = scenario.grid.start_at
        self.clock = VirtualClock(origin)
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
        # Popped last, after every other moment: the loop needs no emptiness test.
        heappush(heap, (_NEVER, _NEVER, _ARRIVAL, None))
        traffic = self.traffic
        arrival_us, queue_of, talk_us = traffic.arrival_us, traffic.queue_of, traffic.talk_us
        patience_us, wrap_us, language_of = traffic.patience_us, traffic.wrap_us, traffic.language
        queue_ids = [queue.queue_id for queue in self.scenario.queues]
        total = len(arrival_us)
        # Arrivals come in order, so they wait outside the heap: only the next one is a
        # candidate. Its key (time, sequence) is the heap entry it would have been, which
        # keeps the order of ties.
        next_arrival: tuple[int, ...] = _DONE
        if total:
            next_arrival = (arrival_us[0], seq)
            seq += 1
        answered_at, abandoned_at = self.answered_at, self.abandoned_at
        ended_at, wrapped_at, queued_at = self.ended_at, self.wrapped_at, self.queued_at
        contact_ids = [f"c{n}" for n in range(total)]
        index = dict(zip(contact_ids, range(total), strict=True))
        live_timers: dict[str, int] = {}
        open_offers: set[str] = set()
        agent_state: dict[str, AgentState] = {}
        agent_since: dict[str, int] = {}
        spans: list[tuple[AgentState, int, int]] = []
        started: list[tuple[int, str]] = []
        origin, clock, handle = self.origin, self.clock, self.engine.handle
        progress, next_report, report_step = self.progress, 0, max(total // 50, 1)
        now_us, now_dt, calls, n = -1, origin, 0, 0
        command: Command
        event: Any
        while True:
            if next_arrival < heap[0]:
                t = next_arrival[0]
                kind = _ARRIVAL
                arrival_id = contact_ids[n]
                command = QueueContact(arrival_id, queue_ids[queue_of[n]], language=language_of[n])
                if n + 1 < total:
                    next_arrival = (arrival_us[n + 1], seq)
                    seq += 1
                else:
                    next_arrival = _DONE
                if progress is not None and n >= next_report:
                    progress(n / total)
                    next_report = n + report_step
            else:
                t, _, kind, arg = heappop(heap)
                if kind == _END:
                    command = EndContact(arg)
                elif kind == _TIMER:
                    if live_timers.get(arg) != t:
                        continue  # cancelled, or moved to another moment
                    del live_timers[arg]
                    command = FireTimer(arg)
                elif kind == _ACCEPT:
                    # the customer left, the offer expired, or (ring-all) another agent took it
                    if arg not in open_offers:
                        continue
                    command = AcceptOffer(arg)
                elif kind == _FINISH_WRAP_UP:
                    if wrapped_at[index[arg]] is not None:
                        continue
                    command = FinishWrapUp(arg)
                elif kind == _ABANDON:
                    m = index[arg]
                    if answered_at[m] is not None or abandoned_at[m] is not None:
                        continue
                    command = AbandonContact(arg)
                elif kind == _LOG_IN:
                    command = SetAgentState(arg, _AVAILABLE)
                elif kind == _LOG_OUT:
                    command = SetAgentState(arg, _OFFLINE)
                else:
                    break  # the end marker: nothing is left to happen
            if t != now_us:
                now_us = t
                clock.now_at = now_dt = origin + _delta(0, 0, t)
            result = handle(command)
            calls += 1
            if result.timers:
                for timer in result.timers:
                    due = (timer.due_at - origin) // _US
                    live_timers[timer.key] = due
                    started.append((due, timer.key))
            for key in result.cancelled:
                live_timers.pop(key, None)
            for event in result.events:
                # identity tests in order of frequency: cheaper than a lookup per event
                cls = type(event)
                if cls is _StateChanged:
                    agent_id = event.agent_id
                    state = agent_state.get(agent_id)
                    if state is not None:
                        spans.append((state, agent_since[agent_id], t))
                    agent_state[agent_id] = event.new
                    agent_since[agent_id] = t
                elif cls is _Queued:
                    pass
                elif cls is _Offered:
                    delay = delays[event.agent_id]
                    if delay:
                        offer_id = event.offer_id
                        open_offers.add(offer_id)
                        heappush(heap, (t + delay, seq, _ACCEPT, offer_id))
                        seq += 1
                    # without a delay the agent is on auto-answer: OfferAccepted follows, and
                    # no AcceptOffer moment needs the offer to be open
                elif cls is _Accepted:
                    open_offers.discard(event.offer_id)
                    contact_id = event.contact_id
                    m = index[contact_id]
                    answered_at[m] = now_dt
                    heappush(heap, (t + talk_us[m], seq, _END, contact_id))
                    seq += 1
                elif cls is _Ended:
                    contact_id = event.contact_id
                    m = index[contact_id]
                    ended_at[m] = now_dt
                    wrap = wrap_us[m]
                    if wrap >= 0 and t + wrap < (event.wrap_up_due_at - origin) // _US:
                        heappush(heap, (t + wrap, seq, _FINISH_WRAP_UP, contact_id))
                        seq += 1
                elif cls is _Completed:
                    wrapped_at[index[event.contact_id]] = now_dt
                elif cls is _Abandoned:
                    abandoned_at[index[event.contact_id]] = now_dt
                elif cls in _OFFER_GONE:
                    open_offers.discard(event.offer_id)
            if started:
                # Timers cancelled within the same moment (an offer accepted at once) never
                # reach the heap.
                for due, key in started:
                    if live_timers.get(key) == due:
                        heappush(heap, (due, seq, _TIMER, key))
                        seq += 1
                started.clear()
            if kind == _ARRIVAL:
                queued_at[n] = now_dt
                if answered_at[n] is None and patience_us[n] >= 0:
                    heappush(heap, (t + patience_us[n], seq, _ABANDON, arrival_id))
                    seq += 1
                n += 1
        self.buckets.add_spans(spans)
        end_s = self.scenario.grid.length_seconds * self.scenario.grid.count
        for agent_id, state in agent_state.items():
            self.buckets.add(state, agent_since[agent_id] * 1e-6, end_s)
        records = self._records(contact_ids, queue_ids)
        return Replication(records, self.buckets.tallies(), calls)

    def _records(self, contact_ids: list[str], queue_ids: list[str]) -> list[ContactRecord]:
        """A record per contact, built from the run's columns in one pass."""
        queues = [queue_ids[q] for q in self.traffic.queue_of]
        columns = zip(
            contact_ids, queues, self.queued_at, self.answered_at, self.abandoned_at,
            self.ended_at, self.wrapped_at, repeat(_NO_HOLD),
            strict=False,  # `repeat` is endless: the other columns, all as long, set the end
        )  # fmt: skip
        return list(map(ContactRecord._make, columns))
