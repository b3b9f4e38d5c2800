"""A small harness that drives the engine with a fake clock and remembers every event."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from headset.core.clock import FakeClock
from headset.core.messages import Command, Event
from headset.routing import Engine, Result
from headset.routing import events as ev
from headset.routing.commands import (
    ConfigureQueue,
    FireTimer,
    QueueContact,
    RegisterAgent,
    SetAgentState,
)
from headset.routing.model import AgentProfile, AgentState, Membership, QueueConfig

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@dataclass
class Center:
    """The engine, its clock, the full event log and the timers it asked for."""

    clock: FakeClock
    engine: Engine
    log: list[Event] = field(default_factory=list)
    timers: dict[str, datetime] = field(default_factory=dict)
    #: Called with the events of every command, to check invariants step by step.
    inspect: Callable[[list[Event]], None] | None = None

    def do(self, command: Command) -> Result:
        result = self.engine.handle(command)
        self.log.extend(result.events)
        for key in result.cancelled:
            self.timers.pop(key, None)
        for timer in result.timers:
            self.timers[timer.key] = timer.due_at
        if self.inspect is not None:
            self.inspect(result.events)
        return result

    def queue(self, queue_id: str = "q", **settings: Any) -> None:
        self.do(ConfigureQueue(QueueConfig(queue_id, **settings)))

    def agent(
        self, agent_id: str, queues: Iterable[str | Membership] = ("q",), *, available: bool = True,
        **profile: Any,
    ) -> None:  # fmt: skip
        memberships = tuple(m if isinstance(m, Membership) else Membership(m) for m in queues)
        self.do(RegisterAgent(AgentProfile(agent_id, memberships=memberships, **profile)))
        if available:
            self.do(SetAgentState(agent_id, AgentState.AVAILABLE))
        self.tick(1)  # distinct idle times, in registration order

    def contact(self, contact_id: str, queue_id: str = "q", **fields: Any) -> list[Event]:
        return self.do(QueueContact(contact_id, queue_id, **fields)).events

    def tick(self, seconds: float) -> list[Event]:
        """Advances the clock, firing every due timer in deadline order."""
        target = self.clock.now() + timedelta(seconds=seconds)
        fired: list[Event] = []
        while True:
            due = [(at, key) for key, at in self.timers.items() if at <= target]
            if not due:
                break
            at, key = min(due)
            del self.timers[key]
            self.clock.set(max(at, self.clock.now()))
            fired += self.do(FireTimer(key)).events
        self.clock.set(target)
        return fired

    def offers(self, events: Iterable[Event] | None = None) -> list[tuple[str, str]]:
        """(contact, agent) of each ContactOffered in `events` (default: the whole log)."""
        return [
            (e.contact_id, e.agent_id)
            for e in (self.log if events is None else events)
            if isinstance(e, ev.ContactOffered)
        ]

    def offer_id(self, contact_id: str) -> str:
        pending = [o for o in self.engine.state.offers.values() if o.contact_id == contact_id]
        assert len(pending) == 1, pending
        return pending[0].offer_id

    def state_of(self, agent_id: str) -> AgentState:
        return self.engine.state.agents[agent_id].state


@pytest.fixture
def center() -> Center:
    clock = FakeClock(START)
    return Center(clock, Engine(clock))
