"""Prompts spoken by espeak-ng into the cache; uploaded WAVs at any rate."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from headset.core.errors import Invalid
from headset.media.frames import read_wav
from headset.media.prompts import PromptCache


def test_a_prompt_is_generated_once_and_read_at_the_hub_rate(tmp_path: Path) -> None:
    cache = PromptCache(tmp_path / "prompts")
    path = cache.path_for("Your call is important to us")
    first = path.stat().st_mtime_ns
    samples = cache.samples("Your call is important to us")
    assert cache.path_for("Your call is important to us").stat().st_mtime_ns == first
    assert 1.0 < len(samples) / 48000 < 5.0
    assert np.abs(samples).max() > 3000  # speech, not silence
    assert cache.path_for("Another prompt") != path


def test_prompt_text_and_voice_are_checked(tmp_path: Path) -> None:
    cache = PromptCache(tmp_path)
    with pytest.raises(Invalid):
        cache.path_for("   ")
    with pytest.raises(Invalid):
        cache.path_for("hello", voice="en; rm -rf")
    assert cache.path_for("-v starts with a dash").exists()


def test_an_uploaded_wav_is_resampled_to_mono_48k(tmp_path: Path) -> None:
    path = tmp_path / "upload.wav"
    t = np.arange(8000) / 8000
    left = (np.sin(2 * np.pi * 440 * t) * 10000).astype(np.int16)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(np.stack([left, left], axis=1).tobytes())
    samples = read_wav(path)
    assert abs(len(samples) - 48000) < 500
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64)))
    assert abs(np.argmax(spectrum) * 48000 / len(samples) - 440) < 5
