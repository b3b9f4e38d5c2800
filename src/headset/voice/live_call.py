"""A call this process carries: its parties, its call control, and the tasks that serve it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from headset.calls import call as cc
from headset.calls.call import CallControl
from headset.calls.ivr import Flow

log = logging.getLogger("headset.voice")

#: The customer's leg (and party) id on every call.
CUSTOMER = "customer"


@dataclass(eq=False)
class LiveCall:
    """A call this process carries: who is on it and what call control knows of it."""

    call_id: str
    tenant_id: str
    widget_id: str
    display_name: str
    topics: list[dict[str, Any]]
    topic_id: str | None
    language: str | None
    control: CallControl
    agent_leg: str | None = None
    supervisor_leg: str | None = None
    digits: asyncio.Queue[str] = field(default_factory=asyncio.Queue)
    prompts_done: dict[str, asyncio.Event] = field(default_factory=dict)
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    prompt_count: int = 0
    announcer: asyncio.Task[Any] | None = None
    #: The widget's IVR flow (None: the built-in topic menu).
    flow: Flow | None = None
    #: The queue's recording policy once queued: "all", "none" or "on_demand".
    recording_policy: str = "none"
    recording_path: str | None = None
    #: who paused the recording and why, in order (the media reports the offsets)
    pause_reasons: list[tuple[str, str | None]] = field(default_factory=list)
    retention_days: int = 90
    announce_every: timedelta | None = None
    #: A consultation (warm transfer / conference): its contact id and the target's leg.
    consultation_id: str | None = None
    consult_leg: str | None = None
    is_conference: bool = False
    #: While queued, this key asks for a callback (the place in line is kept).
    callback_key: str | None = None

    @property
    def state(self) -> cc.CallState:
        """What call control knows of the call now."""
        return self.control.state

    def legs(self) -> list[dict[str, str]]:
        """The call's legs as the API lists them: the customer's, the agent's, a supervisor's."""
        found = [{"leg_id": CUSTOMER, "party": CUSTOMER, "role": CUSTOMER}]
        if self.agent_leg:
            found.append({"leg_id": self.agent_leg, "party": "agent", "role": "agent"})
        if self.supervisor_leg:
            found.append(
                {"leg_id": self.supervisor_leg, "party": "supervisor", "role": "supervisor"}
            )
        return found


@dataclass(frozen=True, slots=True)
class JoinedLeg:
    """A browser's leg on a call: its id and the media's answer to its offer."""

    leg_id: str
    sdp: str


@dataclass(frozen=True, slots=True)
class CallerView:
    """A call as the caller's page shows it: status, place in line, the agent's name."""

    call_id: str
    status: str
    place_in_line: int | None = None
    expected_wait_s: float | None = None
    agent_name: str | None = None


def spawn(bucket: set[asyncio.Task[Any]], work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
    """Runs `work` beside the caller, kept in `bucket` until done; a failure is logged."""
    task = asyncio.ensure_future(work)
    bucket.add(task)
    task.add_done_callback(bucket.discard)
    task.add_done_callback(_log_failure)
    return task


def _log_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("voice task failed: %r", task.exception())
