"""The stereo recording: channels, pauses written as silence, pause offsets."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from headset.core.errors import Conflict
from headset.media.pcm import FRAME_SAMPLES
from headset.media.recording import Pause, StereoRecording


def _frame(value: int) -> np.ndarray:
    return np.full(FRAME_SAMPLES, value, dtype=np.int16)


def _read(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (2, 2, 48000)
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).reshape(-1, 2)


def test_customer_goes_left_agent_right_and_a_pause_is_silence(tmp_path: Path) -> None:
    rec = StereoRecording(tmp_path / "r" / "call.wav")
    for _ in range(10):
        rec.write(_frame(100), _frame(-200))
    assert rec.pause() == Pause(0.2, None)
    for _ in range(5):
        rec.write(_frame(100), _frame(-200))
    assert rec.resume() == Pause(0.2, 0.3)
    rec.write(_frame(7), _frame(8))
    assert rec.close() == [Pause(0.2, 0.3)]
    data = _read(tmp_path / "r" / "call.wav")
    assert len(data) == 16 * FRAME_SAMPLES
    assert (data[: 10 * FRAME_SAMPLES] == [100, -200]).all()
    assert (data[10 * FRAME_SAMPLES : 15 * FRAME_SAMPLES] == 0).all()
    assert (data[15 * FRAME_SAMPLES :] == [7, 8]).all()


def test_an_open_pause_ends_with_the_recording(tmp_path: Path) -> None:
    rec = StereoRecording(tmp_path / "call.wav")
    rec.write(_frame(1), _frame(1))
    rec.pause()
    rec.write(_frame(1), _frame(1))
    assert rec.close() == [Pause(0.02, 0.04)]


def test_pausing_twice_or_resuming_unpaused_is_a_conflict(tmp_path: Path) -> None:
    rec = StereoRecording(tmp_path / "call.wav")
    with pytest.raises(Conflict):
        rec.resume()
    rec.pause()
    with pytest.raises(Conflict):
        rec.pause()
    rec.close()
