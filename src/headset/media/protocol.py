"""The control protocol between the service and the media workers — plain picklable data.

The service sends commands (imperative); a worker answers each with a reply and, on its own,
sends events (past tense) such as a digit a caller pressed. The same objects go through an
in-process `MediaHub` in tests and through a pipe to a worker process in production.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from headset.media.plan import MixPlan
from headset.media.recording import Pause

ROLES = ("customer", "agent", "supervisor")


@dataclass(frozen=True, slots=True)
class CreateCall:
    call_id: str


@dataclass(frozen=True, slots=True)
class AddParty:
    """A party joins with its browser's (or test peer's) SDP offer; the reply is `Answer`."""

    call_id: str
    party_id: str
    role: str
    offer_sdp: str


@dataclass(frozen=True, slots=True)
class RemoveParty:
    call_id: str
    party_id: str


@dataclass(frozen=True, slots=True)
class SetMixPlan:
    call_id: str
    plan: MixPlan


@dataclass(frozen=True, slots=True)
class PlayPrompt:
    """Plays spoken `text` (espeak-ng) or a WAV file at `path` to one party, once."""

    call_id: str
    party_id: str
    prompt_id: str
    text: str = ""
    path: str = ""
    voice: str = "en"


@dataclass(frozen=True, slots=True)
class StopPrompts:
    """Cuts off every prompt playing to one party (an announcement when the agent answers);
    each reports `PromptFinished` as if it had ended."""

    call_id: str
    party_id: str


@dataclass(frozen=True, slots=True)
class StartRecording:
    call_id: str
    path: str


@dataclass(frozen=True, slots=True)
class PauseRecording:
    call_id: str


@dataclass(frozen=True, slots=True)
class ResumeRecording:
    call_id: str


@dataclass(frozen=True, slots=True)
class StopRecording:
    call_id: str


@dataclass(frozen=True, slots=True)
class HangUp:
    call_id: str


@dataclass(frozen=True, slots=True)
class GetStats:
    """The worker's counters (frames, gaps, latency), for the benchmark and metrics."""


Command = (
    CreateCall
    | AddParty
    | RemoveParty
    | SetMixPlan
    | PlayPrompt
    | StopPrompts
    | StartRecording
    | PauseRecording
    | ResumeRecording
    | StopRecording
    | HangUp
    | GetStats
)


@dataclass(frozen=True, slots=True)
class Done:
    """The command was carried out."""


@dataclass(frozen=True, slots=True)
class Answer:
    sdp: str


@dataclass(frozen=True, slots=True)
class RecordingStopped:
    path: str
    duration_s: float
    pauses: tuple[Pause, ...]


@dataclass(frozen=True, slots=True)
class Stats:
    values: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Failed:
    """The command was refused: `kind` is the HeadsetError class name (Invalid, NotFound...)."""

    kind: str
    message: str


Reply = Done | Answer | RecordingStopped | Stats | Failed


@dataclass(frozen=True, slots=True)
class DigitReceived:
    call_id: str
    party_id: str
    digit: str
    #: "rfc4733" (a telephone-event) or "inband" (a tone in the audio)
    method: str


@dataclass(frozen=True, slots=True)
class PromptFinished:
    call_id: str
    party_id: str
    prompt_id: str


@dataclass(frozen=True, slots=True)
class PartyConnected:
    call_id: str
    party_id: str


@dataclass(frozen=True, slots=True)
class PartyLeft:
    """The party's connection failed or closed (not a hang-up the service asked for)."""

    call_id: str
    party_id: str


@dataclass(frozen=True, slots=True)
class RecordingPaused:
    call_id: str
    offset_s: float


@dataclass(frozen=True, slots=True)
class RecordingResumed:
    call_id: str
    offset_s: float


MediaEvent = (
    DigitReceived | PromptFinished | PartyConnected | PartyLeft | RecordingPaused | RecordingResumed
)
