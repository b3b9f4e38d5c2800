"""Recording a live call: start, pause, resume, and the row stored at its end."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from headset.storage.tables import (
    recordings,
)
from headset.voice.parts import BoardParts
from headset.voice.recordings import peaks, recording_path

log = logging.getLogger("headset.voice")

if TYPE_CHECKING:
    from headset.voice.board import LiveCall


class RecordingSteps:
    """The switchboard's recording steps (a mixin of `Switchboard`)."""

    # recording -------------------------------------------------------------------------
    async def start_recording(self: BoardParts, call: LiveCall, actor: str) -> None:
        if call.recording_path is not None:
            raise Conflict("this call is being recorded already")
        recording_id = new_id("rec")
        path = await asyncio.to_thread(recording_path, self.data_dir, call.tenant_id, recording_id)
        await self.media.send(StartRecording(call.call_id, str(path)))
        call.recording_path = str(path)
        await self.step(call, cc.StartRecording(), actor)

    async def pause_recording(
        self: BoardParts, call: LiveCall, reason: str | None, actor: str
    ) -> None:
        await self.step(call, cc.PauseRecording(reason), actor)
        call.pause_reasons.append((actor, reason))
        await self.media.send(PauseRecording(call.call_id))

    async def resume_recording(self: BoardParts, call: LiveCall, actor: str) -> None:
        await self.step(call, cc.ResumeRecording(), actor)
        await self.media.send(ResumeRecording(call.call_id))

    async def _stop_recording(self: BoardParts, call: LiveCall, kind: str = "call") -> list[Any]:
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
