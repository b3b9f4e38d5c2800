"""The `voice.*` events of a call: typed messages with the stable wire names the log holds.

Each class names its wire name (`voice.call_queued`) and the data stored with it (`data`);
`decode` turns a stored event back into its class, so call control and every reader match
types, not strings. Optional fields left out when empty stay out of the stored data, as
they always were (a transfer names its queue or its agent, digits name their variable).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class CallEvent:
    """One step of a call that happened: when, and (by its class) what."""

    at: datetime
    #: The stable wire name (each event class sets its own).
    name: ClassVar[str] = ""
    #: Fields left out of the stored data while they are None.
    optional: ClassVar[frozenset[str]] = frozenset()

    @property
    def data(self) -> dict[str, Any]:
        """The event's fields as stored (the time travels apart, as `occurred_at`)."""
        found = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "at"}
        return {k: v for k, v in found.items() if v is not None or k not in self.optional}


@dataclass(frozen=True, slots=True)
class CallStarted(CallEvent):
    name: ClassVar[str] = "voice.call_started"
    widget_id: str = ""
    topic_id: str | None = None


@dataclass(frozen=True, slots=True)
class CallQueued(CallEvent):
    name: ClassVar[str] = "voice.call_queued"
    queue_id: str | None = None


@dataclass(frozen=True, slots=True)
class DigitsPressed(CallEvent):
    name: ClassVar[str] = "voice.digits"
    optional: ClassVar[frozenset[str]] = frozenset({"variable"})
    digits: str = ""
    #: the IVR variable the digits were collected into, if any
    variable: str | None = None


@dataclass(frozen=True, slots=True)
class CallRinging(CallEvent):
    name: ClassVar[str] = "voice.call_ringing"
    agent_id: str | None = None


@dataclass(frozen=True, slots=True)
class CallAnswered(CallEvent):
    name: ClassVar[str] = "voice.call_answered"
    agent_id: str | None = None


@dataclass(frozen=True, slots=True)
class CallHeld(CallEvent):
    name: ClassVar[str] = "voice.call_held"


@dataclass(frozen=True, slots=True)
class CallResumed(CallEvent):
    name: ClassVar[str] = "voice.call_resumed"


@dataclass(frozen=True, slots=True)
class CallMuted(CallEvent):
    name: ClassVar[str] = "voice.call_muted"


@dataclass(frozen=True, slots=True)
class CallUnmuted(CallEvent):
    name: ClassVar[str] = "voice.call_unmuted"


@dataclass(frozen=True, slots=True)
class CallTransferred(CallEvent):
    """A blind or warm transfer: to a queue or to an agent."""

    name: ClassVar[str] = "voice.call_transferred"
    optional: ClassVar[frozenset[str]] = frozenset({"queue_id", "to_agent_id"})
    mode: str = "blind"
    queue_id: str | None = None
    to_agent_id: str | None = None


@dataclass(frozen=True, slots=True)
class CallConferenced(CallEvent):
    name: ClassVar[str] = "voice.call_conferenced"
    consultation_id: str | None = None


@dataclass(frozen=True, slots=True)
class ConsultationStarted(CallEvent):
    name: ClassVar[str] = "voice.consultation_started"
    consultation_id: str = ""
    queue_id: str | None = None
    to_agent_id: str | None = None
    team_leader: bool = False


@dataclass(frozen=True, slots=True)
class ConsultationEnded(CallEvent):
    name: ClassVar[str] = "voice.consultation_ended"
    consultation_id: str | None = None
    #: "completed" or "cancelled"
    outcome: str = ""


@dataclass(frozen=True, slots=True)
class RecordingStarted(CallEvent):
    name: ClassVar[str] = "voice.recording_started"


@dataclass(frozen=True, slots=True)
class RecordingPaused(CallEvent):
    name: ClassVar[str] = "voice.recording_paused"
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class RecordingResumed(CallEvent):
    name: ClassVar[str] = "voice.recording_resumed"


@dataclass(frozen=True, slots=True)
class RecordingStopped(CallEvent):
    name: ClassVar[str] = "voice.recording_stopped"


@dataclass(frozen=True, slots=True)
class RecordingPlayed(CallEvent):
    """Someone played or downloaded a stored recording (the audit of a playback)."""

    name: ClassVar[str] = "voice.recording_played"
    recording_id: str = ""
    user_id: str | None = None


@dataclass(frozen=True, slots=True)
class RecordingMasked(CallEvent):
    """A stretch of a stored recording was silenced for good, by whom and why."""

    name: ClassVar[str] = "voice.recording_masked"
    recording_id: str = ""
    start_s: float = 0.0
    end_s: float = 0.0
    by: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class RecordingDeleted(CallEvent):
    """A stored recording's file and row went (its retention ran out)."""

    name: ClassVar[str] = "voice.recording_deleted"
    recording_id: str = ""
    reason: str = "retention"


@dataclass(frozen=True, slots=True)
class SoftphoneChanged(CallEvent):
    """An agent's softphone registered or went (on the agent's stream, not a call's)."""

    name: ClassVar[str] = "voice.softphone_changed"
    agent_id: str = ""
    tenant_id: str = ""
    registered: bool = False


@dataclass(frozen=True, slots=True)
class SupervisorJoined(CallEvent):
    name: ClassVar[str] = "voice.supervisor_joined"
    user_id: str | None = None
    mode: str | None = None


@dataclass(frozen=True, slots=True)
class SupervisorLeft(CallEvent):
    name: ClassVar[str] = "voice.supervisor_left"
    user_id: str | None = None


@dataclass(frozen=True, slots=True)
class CallEnded(CallEvent):
    name: ClassVar[str] = "voice.call_ended"
    #: one of HANGERS_UP
    hung_up_by: str | None = None


_TYPES: tuple[type[CallEvent], ...] = (
    CallStarted, CallQueued, DigitsPressed, CallRinging, CallAnswered, CallHeld, CallResumed,
    CallMuted, CallUnmuted, CallTransferred, CallConferenced, ConsultationStarted,
    ConsultationEnded, RecordingStarted, RecordingPaused, RecordingResumed, RecordingStopped,
    RecordingPlayed, RecordingMasked, RecordingDeleted, SoftphoneChanged, SupervisorJoined,
    SupervisorLeft, CallEnded,
)  # fmt: skip

#: Every call event class by its wire name.
BY_NAME: dict[str, type[CallEvent]] = {cls.name: cls for cls in _TYPES}

#: Every wire name, for checks and docs.
ALL = frozenset(BY_NAME)

# The wire names by themselves, for readers that filter stored events by name.
CALL_STARTED = CallStarted.name
CALL_QUEUED = CallQueued.name
DIGITS = DigitsPressed.name
CALL_RINGING = CallRinging.name
CALL_ANSWERED = CallAnswered.name
CALL_ENDED = CallEnded.name

#: Who can end a call (`voice.call_ended {"hung_up_by"}`).
HANGERS_UP = frozenset({"customer", "agent", "supervisor", "system"})


def decode(name: str | None, at: datetime, payload: Mapping[str, Any]) -> CallEvent | None:
    """The call event of a stored one, or None for any other (or malformed) event."""
    cls = BY_NAME.get(name or "")
    if cls is None:
        return None
    known = {f.name for f in fields(cls)} - {"at"}
    try:
        return cls(at, **{k: v for k, v in payload.items() if k in known})
    except TypeError:
        return None
