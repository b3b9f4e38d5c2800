"""Recording a live call: start, pause, resume, and the row stored at its end."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from headset.calls import call as cc
from headset.core.errors import Conflict
from headset.core.ids import new_id
from headset.media.protocol import (
    PauseRecording,
    RecordingStopped,
    ResumeRecording,
    StartRecording,
    StopRecording,
)
from headset.service.host import EngineHost
from headset.storage.tables import recordings
from headset.voice.call_media import CallMedia
from headset.voice.live_call import LiveCall
from headset.voice.recordings import peaks, recording_path
from headset.voice.steps import CallSteps

log = logging.getLogger("headset.voice")


class Recorder:
    """The recordings of live calls: the media records, the steps tell the timeline."""

    def __init__(
        self, host: EngineHost, media: CallMedia, steps: CallSteps, data_dir: Path
    ) -> None:
        self.host = host
        self.media = media
        self.steps = steps
        self.data_dir = data_dir

    async def start_on_demand(self, call: LiveCall, actor: str) -> None:
        """The agent starts recording a call whose queue records on demand."""
        if call.recording_policy == "none":
            raise Conflict("this queue's calls are never recorded (recording: none)")
        await self.start(call, actor)

    async def start(self, call: LiveCall, actor: str) -> None:
        """Starts recording the call (both sides, customer left and agent right)."""
        if call.recording_path is not None:
            raise Conflict("this call is being recorded already")
        path = await self.new_file(call, new_id("rec"))
        await self.media.send(StartRecording(call.call_id, str(path)))
        call.recording_path = str(path)
        await self.steps.step(call, cc.StartRecording(), actor)

    async def new_file(self, call: LiveCall, recording_id: str) -> Path:
        """Where a new recording of the call goes."""
        return await asyncio.to_thread(recording_path, self.data_dir, call.tenant_id, recording_id)

    async def pause(self, call: LiveCall, reason: str | None, actor: str) -> None:
        """Silence in the recording from now, until resumed (who and why are kept)."""
        await self.steps.step(call, cc.PauseRecording(reason), actor)
        call.pause_reasons.append((actor, reason))
        await self.media.send(PauseRecording(call.call_id))

    async def resume(self, call: LiveCall, actor: str) -> None:
        """The recording goes on."""
        await self.steps.step(call, cc.ResumeRecording(), actor)
        await self.media.send(ResumeRecording(call.call_id))

    async def stop(self, call: LiveCall, kind: str = "call") -> list[Any]:
        """Stops the call's recording; the row to store with the call's next step."""
        if call.recording_path is None:
            return []
        path, call.recording_path = call.recording_path, None
        try:
            stopped = await self.media.send(StopRecording(call.call_id))
        except Exception:
            log.exception("stopping the recording of %s failed", call.call_id)
            return []
        assert isinstance(stopped, RecordingStopped)
        points = await asyncio.to_thread(peaks, Path(path))
        now = self.host.clock.now()
        pauses: list[dict[str, Any]] = [
            {"start_s": p.start_s, "end_s": p.end_s, "by": None, "reason": None}
            for p in stopped.pauses
        ]
        for pause, (by, reason) in zip(pauses, call.pause_reasons, strict=False):
            pause.update(by=by, reason=reason)
        row = {
            "tenant_id": call.tenant_id,
            "recording_id": Path(path).stem,
            "contact_id": call.call_id,
            "kind": kind,
            "path": path,
            "duration_s": stopped.duration_s,
            "pauses": pauses,
            "peaks": points,
            "created_at": now,
            "expires_at": now + timedelta(days=call.retention_days),
        }
        return [(recordings, row)]
