"""A call's stereo recording: customer on the left channel, agent on the right.

The hub writes one frame pair per 20 ms tick straight into a WAV file (the `wave` module;
no container or encoder in the media loop). While paused (a card number being read out) it
writes silence, so the file's timeline stays the call's timeline, and it keeps each pause's
start and end offsets for the audit and the recording's timeline.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from headset.core.errors import Conflict
from headset.media.pcm import FRAME_SAMPLES, RATE, Samples


@dataclass(frozen=True, slots=True)
class Pause:
    """A silent stretch of the recording, as offsets from its start in seconds."""

    start_s: float
    end_s: float | None


class StereoRecording:
    """Writes customer (left) and agent (right) frames as a 48 kHz 16-bit stereo WAV."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # open for the whole call, closed by close(); a with-block cannot span the ticks
        self._file: wave.Wave_write | None = wave.open(str(path), "wb")  # noqa: SIM115
        self._file.setnchannels(2)
        self._file.setsampwidth(2)
        self._file.setframerate(RATE)
        self._frames = 0
        self._paused_at: float | None = None
        self.pauses: list[Pause] = []
        self._buffer = np.empty(2 * FRAME_SAMPLES, dtype=np.int16)

    @property
    def offset_s(self) -> float:
        return self._frames * FRAME_SAMPLES / RATE

    @property
    def is_paused(self) -> bool:
        return self._paused_at is not None

    def write(self, left: Samples, right: Samples) -> None:
        if self._file is None:
            return
        if self._paused_at is not None:
            self._buffer[:] = 0
        else:
            self._buffer[0::2] = left
            self._buffer[1::2] = right
        self._file.writeframesraw(self._buffer.tobytes())
        self._frames += 1

    def pause(self) -> Pause:
        if self._paused_at is not None:
            raise Conflict("the recording is already paused")
        self._paused_at = self.offset_s
        return Pause(self._paused_at, None)

    def resume(self) -> Pause:
        if self._paused_at is None:
            raise Conflict("the recording is not paused")
        pause = Pause(self._paused_at, self.offset_s)
        self.pauses.append(pause)
        self._paused_at = None
        return pause

    def close(self) -> list[Pause]:
        """Finishes the file (an open pause ends with the recording) and returns the pauses."""
        if self._paused_at is not None:
            self.resume()
        if self._file is not None:
            self._file.close()
            self._file = None
        return list(self.pauses)
