"""In-band keypad detection (Goertzel) on 20 ms frames."""

from __future__ import annotations

import numpy as np
import pytest

from headset.media.dtmf import KEYPAD, InbandDetector, tone
from headset.media.pcm import FRAME_SAMPLES, RATE


def _frames(samples: np.ndarray) -> list[np.ndarray]:
    whole = len(samples) // FRAME_SAMPLES * FRAME_SAMPLES
    return list(samples[:whole].reshape(-1, FRAME_SAMPLES))


def _detect(samples: np.ndarray) -> list[str]:
    detector = InbandDetector()
    return [d for f in _frames(samples) if (d := detector.feed(f))]


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), dtype=np.int16)


@pytest.mark.parametrize("digit", list("".join(KEYPAD)))
def test_every_keypad_tone_is_detected_once(digit: str) -> None:
    assert _detect(np.concatenate([_silence(0.05), tone(digit, 0.1), _silence(0.1)])) == [digit]


def test_a_long_press_is_one_digit_and_two_presses_are_two() -> None:
    assert _detect(tone("5", 1.0)) == ["5"]
    presses = np.concatenate([tone("5", 0.1), _silence(0.06), tone("5", 0.1)])
    assert _detect(presses) == ["5", "5"]


def test_a_tone_of_one_frame_is_not_a_digit() -> None:
    assert _detect(np.concatenate([_silence(0.02), tone("1", 0.02), _silence(0.1)])) == []


def test_speechlike_single_tones_noise_and_silence_are_not_digits() -> None:
    t = np.arange(RATE) / RATE
    single = (np.sin(2 * np.pi * 697 * t) * 8000).astype(np.int16)
    noise = np.random.default_rng(1).normal(0, 3000, RATE).astype(np.int16)
    chord = (sum(np.sin(2 * np.pi * f * t) for f in (440, 554, 659)) * 5000).astype(np.int16)
    for signal in (single, noise, chord, _silence(1.0)):
        assert _detect(signal) == []


def test_a_tone_with_quiet_noise_is_still_detected() -> None:
    noise = np.random.default_rng(2).normal(0, 300, int(0.2 * RATE))
    signal = np.clip(tone("#", 0.2).astype(np.float64) + noise, -32768, 32767).astype(np.int16)
    assert _detect(signal) == ["#"]
