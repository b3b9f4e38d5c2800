"""In-band keypad digits: Goertzel detection on 20 ms PCM frames, and tone synthesis.

The fallback when a caller's phone or browser sends no RFC 4733 events: the tones travel as
audio (through Opus, even), so the hub looks for one strong row and one strong column
frequency in each 20 ms frame. A digit counts after two consecutive frames agree and is
reported once until the tone stops. numpy only, so it is tested without any media stack.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from headset.core.errors import Invalid
from headset.media.pcm import Samples

ROWS = (697.0, 770.0, 852.0, 941.0)
COLUMNS = (1209.0, 1336.0, 1477.0, 1633.0)
KEYPAD = ("123A", "456B", "789C", "*0#D")

#: Both tones must each carry at least this share of the frame's energy.
_MIN_SHARE = 0.15
#: The strongest tone of a group must beat the second by this factor (energy).
_MIN_DOMINANCE = 4.0
#: Frames quieter than this (RMS, 16-bit scale) are silence.
_MIN_RMS = 200.0
_FRAMES_TO_CONFIRM = 2


class InbandDetector:
    """Detects keypad tones in consecutive mono frames of one sample rate."""

    __slots__ = ("_basis", "_candidate", "_count", "_reported")

    def __init__(self, sample_rate: int = 48000, frame_samples: int = 960) -> None:
        n = np.arange(frame_samples)
        freqs = np.array(ROWS + COLUMNS)
        angles = 2 * np.pi * np.outer(freqs, n) / sample_rate
        # Goertzel at 8 frequencies is one DFT bin each: two small matrix products per frame.
        self._basis = np.vstack([np.cos(angles), np.sin(angles)]).astype(np.float32)
        self._candidate: str | None = None
        self._count = 0
        self._reported = False

    def feed(self, frame: Samples) -> str | None:
        """The digit confirmed by this frame (once per key press), else None."""
        digit = self._classify(frame)
        if digit is None or digit != self._candidate:
            self._candidate, self._count, self._reported = digit, 1 if digit else 0, False
            return None
        self._count += 1
        if self._count >= _FRAMES_TO_CONFIRM and not self._reported:
            self._reported = True
            return digit
        return None

    def _classify(self, frame: Samples) -> str | None:
        x = frame.astype(np.float32)
        energy = float(np.dot(x, x))
        if energy <= 0 or np.sqrt(energy / len(x)) < _MIN_RMS:
            return None
        parts = self._basis @ x
        power = parts[:8].astype(np.float64) ** 2 + parts[8:].astype(np.float64) ** 2
        # a pure tone of amplitude A over N samples gives (A*N/2)^2 here; its energy is A^2*N/2
        share = power * 2 / (len(x) * energy)
        rows, columns = share[:4], share[4:]
        row, column = int(np.argmax(rows)), int(np.argmax(columns))
        if rows[row] < _MIN_SHARE or columns[column] < _MIN_SHARE:
            return None
        if not (_dominant(rows, row) and _dominant(columns, column)):
            return None
        return KEYPAD[row][column]


def _dominant(group: npt.NDArray[np.float64], best: int) -> bool:
    others = np.delete(group, best)
    return bool(group[best] >= _MIN_DOMINANCE * float(others.max()))


def tone(digit: str, duration_s: float, sample_rate: int = 48000, level: float = 0.3) -> Samples:
    """The two-frequency keypad tone for `digit` as 16-bit mono samples."""
    places = [
        (r, line.index(digit.upper())) for r, line in enumerate(KEYPAD) if digit.upper() in line
    ]
    if len(digit) != 1 or not places:
        raise Invalid(f"{digit!r} is not a keypad digit")
    r, c = places[0]
    t = np.arange(int(duration_s * sample_rate)) / sample_rate
    wave = np.sin(2 * np.pi * ROWS[r] * t) + np.sin(2 * np.pi * COLUMNS[c] * t)
    return (wave * level / 2 * 32767).astype(np.int16)
