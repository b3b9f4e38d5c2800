"""The `voice.*` events of a call: stable wire names and the event record itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

CALL_STARTED = "voice.call_started"
CALL_QUEUED = "voice.call_queued"
DIGITS = "voice.digits"
CALL_RINGING = "voice.call_ringing"
CALL_ANSWERED = "voice.call_answered"
CALL_HELD = "voice.call_held"
CALL_RESUMED = "voice.call_resumed"
CALL_MUTED = "voice.call_muted"
CALL_UNMUTED = "voice.call_unmuted"
CALL_TRANSFERRED = "voice.call_transferred"
CALL_CONFERENCED = "voice.call_conferenced"
CONSULTATION_STARTED = "voice.consultation_started"
CONSULTATION_ENDED = "voice.consultation_ended"
RECORDING_STARTED = "voice.recording_started"
RECORDING_PAUSED = "voice.recording_paused"
RECORDING_RESUMED = "voice.recording_resumed"
RECORDING_STOPPED = "voice.recording_stopped"
SUPERVISOR_JOINED = "voice.supervisor_joined"
SUPERVISOR_LEFT = "voice.supervisor_left"
CALL_ENDED = "voice.call_ended"

#: Every wire name, for checks and docs.
ALL = frozenset(
    {
        CALL_STARTED,
        CALL_QUEUED,
        DIGITS,
        CALL_RINGING,
        CALL_ANSWERED,
        CALL_HELD,
        CALL_RESUMED,
        CALL_MUTED,
        CALL_UNMUTED,
        CALL_TRANSFERRED,
        CALL_CONFERENCED,
        CONSULTATION_STARTED,
        CONSULTATION_ENDED,
        RECORDING_STARTED,
        RECORDING_PAUSED,
        RECORDING_RESUMED,
        RECORDING_STOPPED,
        SUPERVISOR_JOINED,
        SUPERVISOR_LEFT,
        CALL_ENDED,
    }
)

#: Who can end a call (`voice.call_ended {"hung_up_by"}`).
HANGERS_UP = frozenset({"customer", "agent", "supervisor", "system"})


@dataclass(frozen=True, slots=True)
class CallEvent:
    """One step of a call that happened: its wire name, when, and its data."""

    name: str
    at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)
