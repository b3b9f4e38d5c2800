"""The steps a call may be asked to take (commands to call control, `calls/call.py`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Queue:
    queue_id: str


@dataclass(frozen=True, slots=True)
class Ring:
    agent_id: str


@dataclass(frozen=True, slots=True)
class Answer:
    agent_id: str


@dataclass(frozen=True, slots=True)
class Hold:
    pass


@dataclass(frozen=True, slots=True)
class Resume:
    pass


@dataclass(frozen=True, slots=True)
class Mute:
    pass


@dataclass(frozen=True, slots=True)
class Unmute:
    pass


@dataclass(frozen=True, slots=True)
class Transfer:
    """A blind transfer: exactly one of queue and agent."""

    queue_id: str | None = None
    agent_id: str | None = None
    #: "blind" (the agent leaves at once) or "warm" (after a consultation)
    mode: str = "blind"


@dataclass(frozen=True, slots=True)
class PressDigits:
    digits: str
    #: the IVR variable the digits were collected into, if any
    variable: str | None = None


@dataclass(frozen=True, slots=True)
class StartRecording:
    pass


@dataclass(frozen=True, slots=True)
class PauseRecording:
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ResumeRecording:
    pass


@dataclass(frozen=True, slots=True)
class JoinSupervisor:
    user_id: str
    mode: str


@dataclass(frozen=True, slots=True)
class LeaveSupervisor:
    pass


@dataclass(frozen=True, slots=True)
class HangUp:
    by: str


CallCommand = (
    Queue
    | Ring
    | Answer
    | Hold
    | Resume
    | Mute
    | Unmute
    | Transfer
    | PressDigits
    | StartRecording
    | PauseRecording
    | ResumeRecording
    | JoinSupervisor
    | LeaveSupervisor
    | HangUp
)
