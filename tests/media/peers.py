"""Test peers with real WebRTC: aiortc connections that send a tone and keep what they hear.

Each stands for a browser: it offers Opus (and telephone-event, as Chromium does), sends a
sine tone (plus keypad tones on demand) and decodes everything the hub sends it into PCM
with arrival times, so a test can ask what the party heard in a window of time.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import time
from dataclasses import dataclass, field

import av
import numpy as np
from aiortc import MediaStreamTrack, RTCPeerConnection, RTCRtpSender, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError
from aiortc.rtp import HeaderExtensionsMap, RtpPacket

from headset.media import dtmf, webrtc
from headset.media.frames import PcmConverter
from headset.media.hub import MediaHub
from headset.media.pcm import FRAME_SAMPLES, FRAME_SECONDS, RATE
from headset.media.protocol import AddParty, Answer
from headset.media.rfc4733 import encode_event

CUSTOMER_HZ = 440.0
AGENT_HZ = 880.0
SUPERVISOR_HZ = 1250.0


class ToneTrack(MediaStreamTrack):
    """A paced 48 kHz mono sine; `press(digit)` mixes a keypad tone in for a while."""

    kind = "audio"

    def __init__(self, hz: float, level: float = 0.3) -> None:
        super().__init__()
        self.hz = hz
        self.level = level
        self._n = 0
        self._start: float | None = None
        self._overlay = np.zeros(0, dtype=np.int16)

    def press(self, digit: str, duration_s: float = 0.12) -> None:
        gap = np.zeros(int(0.1 * RATE), dtype=np.int16)
        self._overlay = np.concatenate([self._overlay, dtmf.tone(digit, duration_s), gap])

    async def recv(self) -> object:
        if self._start is None:
            self._start = time.monotonic()
        wait = self._start + self._n * FRAME_SECONDS - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        t = (np.arange(FRAME_SAMPLES) + self._n * FRAME_SAMPLES) / RATE
        if len(self._overlay):  # the caller is pressing a key: the keypad tone alone
            samples = np.zeros(FRAME_SAMPLES, dtype=np.int16)
            chunk = self._overlay[:FRAME_SAMPLES]
            samples[: len(chunk)] = chunk
            self._overlay = self._overlay[FRAME_SAMPLES:]
        else:
            samples = (np.sin(2 * np.pi * self.hz * t) * self.level * 32767).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = RATE
        frame.pts = self._n * FRAME_SAMPLES
        frame.time_base = fractions.Fraction(1, RATE)
        self._n += 1
        return frame


@dataclass
class Peer:
    """One party's browser, connected to the hub."""

    party_id: str
    tone: ToneTrack
    pc: RTCPeerConnection
    heard: list[tuple[float, np.ndarray]] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def since(self, moment: float) -> np.ndarray:
        """The PCM this party received after `moment` (time.monotonic())."""
        chunks = [samples for at, samples in self.heard if at >= moment]
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)

    async def send_rfc4733(self, digits: str) -> None:
        """Sends digits as telephone events the way a browser's insertDTMF does."""
        transceiver = self.pc.getTransceivers()[0]
        codec = next(
            c
            for c in transceiver._codecs
            if c.mimeType.lower() == "audio/telephone-event" and c.clockRate == RATE
        )
        sender = transceiver.sender
        extensions = HeaderExtensionsMap()
        sequence = 1000
        for index, digit in enumerate(digits):
            timestamp = 480_000 + index * RATE
            steps = [(False, 960 * k) for k in range(1, 5)] + [(True, 960 * 5)] * 3
            for is_end, duration in steps:
                packet = RtpPacket(
                    payload_type=codec.payloadType,
                    sequence_number=sequence,
                    timestamp=timestamp,
                    # a browser shares the audio's SSRC and sequence numbers; aiortc's sender
                    # owns those, so the events get their own SSRC (the hub routes them by
                    # payload type either way)
                    ssrc=(sender._ssrc + 1) % 2**32,
                    payload=encode_event(digit, is_end=is_end, duration=duration),
                )
                sequence += 1
                await sender.transport._send_rtp(packet.serialize(extensions))
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.05)

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await self.pc.close()


async def connect(
    hub: MediaHub, call_id: str, party_id: str, role: str, hz: float, codec: str = "opus"
) -> Peer:
    """A browser for `party_id` (or a SIP gateway, with codec="PCMU") offers to the hub."""
    webrtc.install()  # the peer offers telephone-event as a browser does
    webrtc.use_loopback_candidates()
    pc = RTCPeerConnection(webrtc.configuration())
    tone = ToneTrack(hz)
    peer = Peer(party_id, tone, pc)
    pc.addTrack(tone)
    if codec != "opus":
        transceiver = pc.getTransceivers()[0]
        capabilities = RTCRtpSender.getCapabilities("audio")
        transceiver.setCodecPreferences(
            [c for c in capabilities.codecs if c.mimeType.lower() == f"audio/{codec.lower()}"]
        )

    def on_track(track: MediaStreamTrack) -> None:
        peer.tasks.append(asyncio.ensure_future(_keep(track, peer)))

    pc.on("track", on_track)
    await pc.setLocalDescription(await pc.createOffer())
    reply = await hub.handle(AddParty(call_id, party_id, role, pc.localDescription.sdp))
    assert isinstance(reply, Answer), reply
    await pc.setRemoteDescription(RTCSessionDescription(reply.sdp, "answer"))
    return peer


async def _keep(track: MediaStreamTrack, peer: Peer) -> None:
    converter = PcmConverter()
    with contextlib.suppress(MediaStreamError):
        while True:
            frame = await track.recv()
            now = time.monotonic()
            for samples in converter.convert(frame):  # type: ignore[arg-type]
                peer.heard.append((now, samples))


def share_at(samples: np.ndarray, hz: float, width_hz: float = 20.0) -> float:
    """The share of the signal's energy within `width_hz` of `hz` (0 for silence)."""
    if len(samples) < RATE // 10:
        raise AssertionError(f"only {len(samples)} samples heard")
    x = samples.astype(np.float64) * np.hanning(len(samples))
    power = np.abs(np.fft.rfft(x)) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / RATE)
    total = float(power[freqs > 50].sum())
    if total < 1e3 * len(samples):  # RMS of a few units: silence
        return 0.0
    band = (freqs > hz - width_hz) & (freqs < hz + width_hz)
    return float(power[band].sum()) / total


def hears(samples: np.ndarray, hz: float) -> bool:
    return share_at(samples, hz) > 0.05


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) if len(samples) else 0.0
