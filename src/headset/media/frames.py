"""Between aiortc's decoded frames and the hub's PCM frames (see `pcm`)."""

from __future__ import annotations

import fractions
import wave
from pathlib import Path

import av
import numpy as np

from headset.media.pcm import FRAME_SAMPLES, RATE, Samples

TIME_BASE = fractions.Fraction(1, RATE)


class PcmConverter:
    """Turns decoded frames of one leg into hub frames (resampling only when it must)."""

    __slots__ = ("_pending", "_resampler")

    def __init__(self) -> None:
        self._resampler: av.AudioResampler | None = None
        self._pending = np.zeros(0, dtype=np.int16)

    def convert(self, frame: av.AudioFrame) -> list[Samples]:
        """The whole 20 ms hub frames this decoded frame completes (usually exactly one)."""
        if frame.format.name == "s16" and frame.sample_rate == RATE:
            data: Samples = np.asarray(frame.to_ndarray(), dtype=np.int16).reshape(-1)
            channels = len(frame.layout.channels)
            if channels == 2:  # packed stereo: L R L R ...; speech is mono, keep the average
                data = ((data[0::2].astype(np.int32) + data[1::2]) >> 1).astype(np.int16)
            elif channels != 1:
                data = data[::channels]
        else:
            if self._resampler is None:
                self._resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
            data = np.concatenate(
                [
                    np.asarray(f.to_ndarray(), dtype=np.int16).reshape(-1)
                    for f in self._resampler.resample(frame)
                ]
                or [np.zeros(0, dtype=np.int16)]
            )
        if len(data) == FRAME_SAMPLES and not len(self._pending):
            return [data]
        self._pending = np.concatenate([self._pending, data])
        out = []
        while len(self._pending) >= FRAME_SAMPLES:
            out.append(self._pending[:FRAME_SAMPLES])
            self._pending = self._pending[FRAME_SAMPLES:]
        return out


def to_audio_frame(samples: Samples, pts: int) -> av.AudioFrame:
    """A mono s16 AudioFrame with its own continuous pts, for an outgoing track."""
    frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = RATE
    frame.pts = pts
    frame.time_base = TIME_BASE
    return frame


def read_wav(path: Path) -> Samples:
    """Any WAV (espeak-ng's 22.05 kHz, an upload's 44.1 kHz stereo...) as hub-rate mono."""
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() == 2 and w.getframerate() == RATE and w.getnchannels() == 1:
            return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).copy()
    chunks = []
    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
        for frame in container.decode(audio=0):
            chunks += [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
        chunks += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
