"""The hub's one audio format: 20 ms of 48 kHz mono 16-bit PCM as a numpy array.

Every leg is decoded into it whatever the codec (Opus arrives as stereo 960-sample frames,
G.711 as 8 kHz mono), so mixing, recording and detection never think about codecs. numpy
only: the pure parts of the hub (detection, recording, mixing) are tested without aiortc.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

RATE = 48000
FRAME_SAMPLES = 960
FRAME_SECONDS = FRAME_SAMPLES / RATE

Samples = npt.NDArray[np.int16]

SILENCE: Samples = np.zeros(FRAME_SAMPLES, dtype=np.int16)
SILENCE.setflags(write=False)


def mix(frames: list[Samples]) -> Samples:
    """Sums the frames with saturation (the mix-minus of the sources a party hears)."""
    if not frames:
        return SILENCE
    if len(frames) == 1:
        return frames[0]
    total = np.sum(np.stack(frames).astype(np.int32), axis=0)
    mixed: Samples = np.clip(total, -32768, 32767).astype(np.int16)
    return mixed
