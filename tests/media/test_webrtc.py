"""The aiortc fixes: the vectorised audio level matches aiortc's own; codecs offered."""

from __future__ import annotations

import av
import numpy as np
import pytest
from aiortc.codecs import CODECS

from headset.media import webrtc


@pytest.mark.parametrize("amplitude", [0, 1, 30, 1000, 20000, 32767])
def test_the_vectorised_audio_level_equals_aiortcs(amplitude: int) -> None:
    samples = np.random.default_rng(amplitude).integers(-amplitude, amplitude + 1, 960)
    frame = av.AudioFrame.from_ndarray(
        samples.astype(np.int16).reshape(1, -1), format="s16", layout="mono"
    )
    assert webrtc.audio_level_dbov(frame) == webrtc.PURE_PYTHON_AUDIO_LEVEL(frame)


def test_install_offers_telephone_events_after_the_voice_codecs_once() -> None:
    webrtc.install()
    webrtc.install()
    audio = [(c.mimeType, c.clockRate) for c in CODECS["audio"]]
    events = [a for a in audio if a[0] == "audio/telephone-event"]
    assert events == [("audio/telephone-event", 48000), ("audio/telephone-event", 8000)]
    assert audio[0] == ("audio/opus", 48000)
    import aiortc.rtp

    assert aiortc.rtp.compute_audio_level_dbov is webrtc.audio_level_dbov


def test_the_hub_sends_opus_as_mono_speech_that_decodes_to_the_same_tone() -> None:
    import aiortc.rtcrtpsender
    from aiortc.codecs.opus import OpusDecoder
    from aiortc.jitterbuffer import JitterFrame

    from headset.media.frames import PcmConverter, to_audio_frame

    webrtc.install()
    opus = next(c for c in CODECS["audio"] if c.mimeType == "audio/opus")
    encoder = aiortc.rtcrtpsender.get_encoder(opus)
    assert isinstance(encoder, webrtc.VoiceOpusEncoder)
    decoder, converter = OpusDecoder(), PcmConverter()
    heard, sizes = [], []
    for n in range(50):
        t = (np.arange(960) + n * 960) / 48000
        samples = (np.sin(2 * np.pi * 440 * t) * 10000).astype(np.int16)
        payloads, timestamp = encoder.encode(to_audio_frame(samples, n * 960))
        assert timestamp == n * 960
        sizes += [len(p) for p in payloads]
        for payload in payloads:
            for frame in decoder.decode(JitterFrame(data=payload, timestamp=timestamp)):
                heard += converter.convert(frame)
    assert max(sizes) < 200  # about 32 kbit/s, not aiortc's 96
    pcm = np.concatenate(heard[10:]).astype(np.float64)
    spectrum = np.abs(np.fft.rfft(pcm))
    assert abs(np.argmax(spectrum) * 48000 / len(pcm) - 440) < 5
