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


class MaskedOut(BaseModel):
    recording_id: str
    pauses: list[dict[str, Any]]
