"""The answers of the call, recording and transfer-target routes (their OpenAPI models)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class IceServer(BaseModel):
    urls: str


class VoiceConfigOut(BaseModel):
    enabled: bool
    ice_servers: list[IceServer]
    registered: bool


class SoftphoneOut(BaseModel):
    agent_id: str
    registered: bool


class RecordingStateOut(BaseModel):
    state: str


class SupervisorOut(BaseModel):
    user_id: str | None
    mode: str | None


class CallLegOut(BaseModel):
    leg_id: str
    party: str
    role: str


class CallOut(BaseModel):
    call_id: str
    status: str
    mode: str
    agent_id: str | None
    answered_at: str | None
    talk_s: float
    hold_s: float
    recording: RecordingStateOut
    supervisor: SupervisorOut | None
    legs: list[CallLegOut]


class LegOut(BaseModel):
    """A browser's leg on a call: its id and the media's answer to its offer."""

    leg_id: str
    sdp: str


class ConsultationOut(BaseModel):
    consultation_id: str


class CompletedOut(BaseModel):
    call_id: str
    agent_id: str
    status: str


class CallModeOut(BaseModel):
    call_id: str
    mode: str


class CallControlOut(BaseModel):
    call_id: str
    status: str
    is_muted: bool


class CallStatusOut(BaseModel):
    call_id: str
    status: str


class StartedCallOut(BaseModel):
    call_id: str
    token: str
    sdp: str


class CustomerCallOut(BaseModel):
    call_id: str
    status: str
    place_in_line: int | None
    expected_wait_s: float | None
    agent_name: str | None


class MonitorModeOut(BaseModel):
    leg_id: str
    mode: str


class LegStatusOut(BaseModel):
    leg_id: str
    status: str


class TakenOverOut(BaseModel):
    call_id: str
    agent_id: str
    released_agent_id: str


class CallRecordingOut(BaseModel):
    call_id: str
    recording: RecordingStateOut


class RecordingOut(BaseModel):
    recording_id: str
    contact_id: str
    kind: str
    duration_s: float
    channels: list[str]
    #: each pause: start_s, end_s, by, reason and by_name (a mask's pauses too)
    pauses: list[dict[str, Any]]
    peaks: list[list[float]]
    created_at: str
    expires_at: str


class MaskedOut(BaseModel):
    recording_id: str
    pauses: list[dict[str, Any]]


class VoiceSettingsOut(BaseModel):
    recording_default: str
    retention_days: int


class QueueTargetOut(BaseModel):
    queue_id: str
    name: str
    is_open: bool


class AgentTargetOut(BaseModel):
    agent_id: str
    display_name: str
    state: str
    can_take_now: bool
    is_you: bool


class TransferTargetsOut(BaseModel):
    queues: list[QueueTargetOut]
    agents: list[AgentTargetOut]
