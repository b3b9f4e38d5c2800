"""Sources the hub mixes besides the parties: hold music and prompts.

Each gives the next 20 ms frame on every tick of the call. Hold music is synthesised (no
licensed recording needed) and shared: one loop per worker, read at each call's own position.
"""

from __future__ import annotations

import numpy as np

from headset.media.pcm import FRAME_SAMPLES, RATE, SILENCE, Samples

#: A slow major arpeggio (Hz) — unmistakable in a spectrum, quite bearable on hold.
MUSIC_NOTES = (523.25, 659.25, 783.99, 659.25)
_NOTE_SECONDS = 0.5


def _music_loop() -> Samples:
    t = np.arange(int(_NOTE_SECONDS * RATE)) / RATE
    envelope = np.minimum(1.0, np.minimum(t, _NOTE_SECONDS - t) * 20)
    notes = [np.sin(2 * np.pi * f * t) * envelope for f in MUSIC_NOTES]
    return (np.concatenate(notes) * 0.25 * 32767).astype(np.int16)


class Loop:
    """A clip played round and round (hold music), from its own position per listener."""

    __slots__ = ("_position", "_samples")

    def __init__(self, samples: Samples) -> None:
        whole = len(samples) // FRAME_SAMPLES * FRAME_SAMPLES
        self._samples = samples[:whole]
        self._position = 0

    def next_frame(self) -> Samples:
        frame = self._samples[self._position : self._position + FRAME_SAMPLES]
        self._position = (self._position + FRAME_SAMPLES) % len(self._samples)
        return frame


class HoldMusic(Loop):
    """The built-in hold music."""

    _shared: Samples | None = None

    def __init__(self) -> None:
        if HoldMusic._shared is None:
            HoldMusic._shared = _music_loop()
        super().__init__(HoldMusic._shared)


class Clip:
    """A clip played once (a prompt); `is_done` after its last frame."""

    __slots__ = ("_position", "_samples", "name")

    def __init__(self, name: str, samples: Samples) -> None:
        self.name = name
        pad = (-len(samples)) % FRAME_SAMPLES
        self._samples = np.concatenate([samples, np.zeros(pad, dtype=np.int16)])
        self._position = 0

    @property
    def is_done(self) -> bool:
        return self._position >= len(self._samples)

    def next_frame(self) -> Samples:
        if self.is_done:
            return SILENCE
        frame = self._samples[self._position : self._position + FRAME_SAMPLES]
        self._position += FRAME_SAMPLES
        return frame
