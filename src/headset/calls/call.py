"""A call's state and the steps it may take: commands in, `CallEvent`s out.

`CallControl.handle(command, now)` checks the step against the call's state (raising
`Conflict`, which changes nothing) and returns the event; `apply(event)` is the only way the
state changes, so a call's stored events rebuild it (`CallControl.replay`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from headset.calls import events as ev
from headset.calls.commands import (
    Answer,
    CallCommand,
    HangUp,
    Hold,
    JoinSupervisor,
    LeaveSupervisor,
    Mute,
    PauseRecording,
    PressDigits,
    Queue,
    Resume,
    ResumeRecording,
    Ring,
    StartRecording,
    Transfer,
    Unmute,
)
from headset.calls.events import CallEvent
from headset.core.errors import Conflict, Invalid

#: The commands are declared in calls/commands.py; callers reach them here too (`cc.Hold()`).
__all__ = [
    "SUPERVISOR_MODES",
    "Answer",
    "CallCommand",
    "CallControl",
    "CallState",
    "CallStatus",
    "HangUp",
    "Hold",
    "JoinSupervisor",
    "LeaveSupervisor",
    "Mute",
    "PauseRecording",
    "PressDigits",
    "Queue",
    "RecordingState",
    "Resume",
    "ResumeRecording",
    "Ring",
    "StartRecording",
    "Transfer",
    "Unmute",
]  # fmt: skip


class CallStatus(StrEnum):
    """Where a call is, as the customer and the API see it."""

    IVR = "ivr"
    QUEUED = "queued"
    RINGING = "ringing"
    CONNECTED = "connected"
    HELD = "held"
    ENDED = "ended"


class RecordingState(StrEnum):
    OFF = "off"
    ON = "on"
    PAUSED = "paused"


SUPERVISOR_MODES = frozenset({"listen", "whisper", "barge"})


_TALKING = frozenset({CallStatus.CONNECTED, CallStatus.HELD})


@dataclass(slots=True)
class CallState:
    """What call control knows of one call."""

    call_id: str
    status: CallStatus = CallStatus.IVR
    queue_id: str | None = None
    agent_id: str | None = None
    answered_at: datetime | None = None
    held_since: datetime | None = None
    hold: timedelta = timedelta(0)
    is_muted: bool = False
    recording: RecordingState = RecordingState.OFF
    supervisor_user_id: str | None = None
    supervisor_mode: str | None = None
    ended_at: datetime | None = None
    hung_up_by: str | None = None

    def hold_until(self, now: datetime) -> timedelta:
        """Hold time so far, the stretch on hold now included."""
        if self.held_since is None:
            return self.hold
        return self.hold + (now - self.held_since)

    def talk_until(self, now: datetime) -> timedelta:
        """Talk = (ended or now) - answered - hold (glossary.md)."""
        if self.answered_at is None:
            return timedelta(0)
        end = self.ended_at or now
        return max(timedelta(0), end - self.answered_at - self.hold_until(end))


class CallControl:
    """One call: checks each step and applies its event."""

    def __init__(self, call_id: str) -> None:
        self.state = CallState(call_id)

    @classmethod
    def replay(cls, call_id: str, events: Iterable[CallEvent]) -> CallControl:
        control = cls(call_id)
        for event in events:
            control.apply(event)
        return control

    def handle(self, command: CallCommand, now: datetime) -> CallEvent:
        """The event `command` makes happen now; Conflict if the call cannot take it."""
        event = self._decide(command, now)
        self.apply(event)
        return event

    def _need(self, allowed: Iterable[CallStatus], what: str) -> None:
        if self.state.status not in set(allowed):
            raise Conflict(f"call {self.state.call_id!r} is {self.state.status.value}; {what}")

    def _decide(self, c: CallCommand, now: datetime) -> CallEvent:
        s = self.state
        live = [x for x in CallStatus if x is not CallStatus.ENDED]
        match c:
            case Queue(queue_id=queue_id):
                waiting = [CallStatus.IVR, CallStatus.QUEUED, CallStatus.RINGING]
                self._need([*waiting, *_TALKING], "it cannot be queued")
                return ev.CallQueued(now, queue_id)
            case Ring(agent_id=agent_id):
                self._need([CallStatus.QUEUED, CallStatus.RINGING], "it is not waiting")
                return ev.CallRinging(now, agent_id)
            case Answer(agent_id=agent_id):
                self._need([CallStatus.QUEUED, CallStatus.RINGING], "nobody can answer it now")
                return ev.CallAnswered(now, agent_id)
            case Hold():
                self._need([CallStatus.CONNECTED], "only a connected call can be held")
                return ev.CallHeld(now)
            case Resume():
                self._need([CallStatus.HELD], "only a held call can be resumed")
                return ev.CallResumed(now)
            case Mute():
                self._need(_TALKING, "only a connected call can be muted")
                if s.is_muted:
                    raise Conflict("the agent is muted already")
                return ev.CallMuted(now)
            case Unmute():
                self._need(_TALKING, "only a connected call can be unmuted")
                if not s.is_muted:
                    raise Conflict("the agent is not muted")
                return ev.CallUnmuted(now)
            case Transfer(queue_id=queue_id, agent_id=agent_id, mode=mode):
                if (queue_id is None) == (agent_id is None):
                    raise Invalid("transfer to exactly one of a queue or an agent")
                self._need(_TALKING, "only a connected call can be transferred")
                if queue_id:
                    return ev.CallTransferred(now, mode, queue_id=queue_id)
                return ev.CallTransferred(now, mode, to_agent_id=agent_id)
            case PressDigits(digits=digits, variable=variable):
                self._need(live, "it is over")
                return ev.DigitsPressed(now, digits, variable or None)
            case StartRecording():
                self._need(live, "it is over")
                if s.recording is not RecordingState.OFF:
                    raise Conflict("the call is being recorded already")
                return ev.RecordingStarted(now)
            case PauseRecording(reason=reason):
                if s.recording is not RecordingState.ON:
                    raise Conflict(f"the recording is {s.recording.value}; nothing to pause")
                return ev.RecordingPaused(now, reason)
            case ResumeRecording():
                if s.recording is not RecordingState.PAUSED:
                    raise Conflict(f"the recording is {s.recording.value}; nothing to resume")
                return ev.RecordingResumed(now)
            case JoinSupervisor(user_id=user_id, mode=mode):
                if mode not in SUPERVISOR_MODES:
                    raise Invalid(f"mode must be one of {sorted(SUPERVISOR_MODES)}, not {mode!r}")
                self._need([CallStatus.CONNECTED], "a supervisor joins connected calls only")
                if s.supervisor_user_id not in (None, user_id):
                    raise Conflict("another supervisor is on this call")
                return ev.SupervisorJoined(now, user_id, mode)
            case LeaveSupervisor():
                if s.supervisor_user_id is None:
                    raise Conflict("no supervisor is on this call")
                return ev.SupervisorLeft(now, s.supervisor_user_id)
            case HangUp(by=by):
                if by not in ev.HANGERS_UP:
                    raise Invalid(f"hung_up_by must be one of {sorted(ev.HANGERS_UP)}")
                self._need(live, "it is over already")
                return ev.CallEnded(now, by)
        raise Invalid(f"unknown call command {c!r}")  # pragma: no cover - exhaustive

    def apply(self, event: CallEvent) -> None:
        """Changes the state by one event (also when replaying stored events)."""
        s, at = self.state, event.at
        match event:
            case ev.CallQueued(queue_id=queue_id):
                s.status, s.queue_id = CallStatus.QUEUED, queue_id
                self._leave_agent(at)
            case ev.CallRinging():
                s.status = CallStatus.RINGING
            case ev.CallAnswered(agent_id=agent_id):
                s.status, s.agent_id = CallStatus.CONNECTED, agent_id
                s.answered_at = s.answered_at or at
            case ev.CallHeld():
                s.status, s.held_since = CallStatus.HELD, at
            case ev.CallResumed():
                s.status = CallStatus.CONNECTED
                self._end_hold(at)
            case ev.CallMuted():
                s.is_muted = True
            case ev.CallUnmuted():
                s.is_muted = False
            case ev.CallTransferred(queue_id=queue_id):
                s.status = CallStatus.QUEUED
                s.queue_id = queue_id or s.queue_id
                self._leave_agent(at)
            case ev.RecordingStarted() | ev.RecordingResumed():
                s.recording = RecordingState.ON
            case ev.RecordingPaused():
                s.recording = RecordingState.PAUSED
            case ev.RecordingStopped():
                s.recording = RecordingState.OFF
            case ev.SupervisorJoined(user_id=user_id, mode=mode):
                s.supervisor_user_id, s.supervisor_mode = user_id, mode
            case ev.SupervisorLeft():
                s.supervisor_user_id = s.supervisor_mode = None
            case ev.CallEnded(hung_up_by=by):
                self._end_hold(at)
                s.status, s.ended_at, s.hung_up_by = CallStatus.ENDED, at, by
                s.supervisor_user_id = s.supervisor_mode = None

    def _end_hold(self, at: datetime) -> None:
        s = self.state
        if s.held_since is not None:
            s.hold += at - s.held_since
            s.held_since = None

    def _leave_agent(self, at: datetime) -> None:
        """Back in a queue: the agent, mute and supervisor go; hold so far is kept."""
        s = self.state
        self._end_hold(at)
        s.agent_id, s.is_muted = None, False
        s.supervisor_user_id = s.supervisor_mode = None
