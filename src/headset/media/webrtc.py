"""The aiortc traps, handled in one place (see docs/voice.md, "aiortc as we use it").

- ICE servers come from configuration; `RTCPeerConnection()` without one would contact a
  public STUN server.
- aiortc 1.16 offers no `telephone-event` codec, so browsers cannot send keypad digits
  (`canInsertDTMF` is false): `install()` adds it at 48 kHz and 8 kHz, and
  `intercept_telephone_events` takes those packets out of a receiver before its decoder.
- aiortc computes each outgoing frame's RFC 6465 audio level in a pure-Python loop (about a
  fifth of the hub's CPU); `install()` swaps in a numpy version.
- aiortc encodes Opus as 96 kbit/s stereo through a resampler, for music; the hub's audio is
  mono speech, so `install()` makes it 32 kbit/s mono at complexity 3 and skips the
  resampler when a frame is already 20 ms at 48 kHz (`VoiceOpusEncoder`; any Opus decoder
  plays mono packets).
- Every encode is a hop to the default thread pool and every decoded frame a hop back from a
  decoder thread per leg; for 20 ms of Opus the hops cost more than the codec.
  `InlineExecutor` encodes in place and `decode_inline` decodes in the loop (the worker's
  `is_inline_codecs` setting turns both on).
- aioice never offers loopback candidates; tests and the benchmark on 127.0.0.1 call
  `use_loopback_candidates()` (never the service).
"""

from __future__ import annotations

import concurrent.futures
import logging
import math
import threading
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import aioice.ice
import aiortc.codecs
import aiortc.codecs.opus
import aiortc.rtcrtpsender
import aiortc.rtp
import av
import numpy as np
from aiortc import RTCConfiguration, RTCIceServer, RTCRtpCodecParameters, RTCRtpReceiver
from aiortc.codecs.base import Decoder, Encoder

from headset.media.rfc4733 import CLOCK_RATES, EventTracker

logger = logging.getLogger(__name__)

_TELEPHONE_EVENT = "audio/telephone-event"
#: aiortc's own audio level, kept to show the replacement computes the same values.
PURE_PYTHON_AUDIO_LEVEL = aiortc.rtp.compute_audio_level_dbov
_installed = False


def install() -> None:
    """Adds the telephone-event codec and the vectorised audio level (idempotent)."""
    global _installed
    if _installed:
        return
    audio = aiortc.codecs.CODECS["audio"]
    taken = {c.payloadType for c in audio}
    payload_type = 101
    for rate in CLOCK_RATES:
        while payload_type in taken:
            payload_type += 1
        audio.append(
            RTCRtpCodecParameters(
                mimeType=_TELEPHONE_EVENT,
                clockRate=rate,
                channels=1,
                payloadType=payload_type,
                parameters={"0-16": None},  # events 0-16: the keypad and flash
            )
        )
        taken.add(payload_type)
    aiortc.rtp.compute_audio_level_dbov = audio_level_dbov
    any_encoder = aiortc.codecs.get_encoder  # what aiortc.rtcrtpsender imported

    def get_encoder(codec: RTCRtpCodecParameters) -> Encoder:
        if codec.mimeType.lower() == "audio/opus":
            return VoiceOpusEncoder()
        return any_encoder(codec)

    aiortc.rtcrtpsender.get_encoder = get_encoder  # type: ignore[attr-defined]
    _installed = True


#: libopus complexity (0-10) of what the hub sends.
OPUS_COMPLEXITY = 3


class VoiceOpusEncoder(aiortc.codecs.opus.OpusEncoder):
    """Opus for speech: mono, 32 kbit/s, no resampling of frames that are already 20 ms."""

    def __init__(self) -> None:
        super().__init__()
        self.codec = av.CodecContext.create("libopus", "w")
        self.codec.bit_rate = 32000
        self.codec.format = "s16"
        self.codec.layout = "mono"
        # complexity 3 of 10: measured here at 92 instead of 117 us per 20 ms frame, and
        # still SILK's speech coding; the encode is the largest single cost of the hub
        self.codec.options = {"application": "voip", "compression_level": str(OPUS_COMPLEXITY)}
        self.codec.sample_rate = 48000
        self.codec.time_base = aiortc.codecs.opus.TIME_BASE
        self.resampler = av.AudioResampler(format="s16", layout="mono", rate=48000, frame_size=960)

    def encode(self, frame: Any, force_keyframe: bool = False) -> tuple[list[bytes], Any]:
        if (
            frame.samples == 960
            and frame.sample_rate == 48000
            and frame.format.name == "s16"
            and frame.layout.name == "mono"
        ):
            packets = list(self.codec.encode(frame))
        else:
            packets = [p for f in self.resampler.resample(frame) for p in self.codec.encode(f)]
        if not packets:
            return [], None
        first = packets[0].pts or 0
        if self.first_packet_pts is None:
            self.first_packet_pts = first
        return [bytes(p) for p in packets], first - self.first_packet_pts


def audio_level_dbov(frame: Any) -> int:
    """RFC 6465 appendix A audio level of a 16-bit frame, with numpy instead of a loop."""
    count = frame.samples * len(frame.layout.channels)
    samples = np.frombuffer(frame.planes[0], dtype=np.int16, count=count).astype(np.float64)
    rms = math.sqrt(float(np.dot(samples, samples)) / max(count, 1)) / 32767
    if rms <= 0:
        return -127
    return round(min(0.0, max(-127.0, 20 * math.log10(rms))))


def configuration(ice_servers: Iterable[str] = ()) -> RTCConfiguration:
    """The peer connection configuration: only the ICE servers the settings name."""
    return RTCConfiguration(iceServers=[RTCIceServer(urls=url) for url in ice_servers])


def use_loopback_candidates() -> None:
    """Test and benchmark only: gather 127.0.0.1 as the one host candidate."""
    aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]


def intercept_telephone_events(receiver: RTCRtpReceiver, on_digit: Callable[[str], None]) -> None:
    """Takes telephone-event packets out of `receiver` and reports each digit once.

    The DTLS transport hands every packet to `receiver._handle_rtp_packet`; the wrapper sees
    the negotiated payload types there, so it works whatever number the offer gave them.
    """
    original: Callable[..., Awaitable[None]] = receiver._handle_rtp_packet
    codecs: dict[int, RTCRtpCodecParameters] = receiver._RTCRtpReceiver__codecs  # type: ignore[attr-defined]
    tracker = EventTracker()

    async def handle(packet: aiortc.rtp.RtpPacket, arrival_time_ms: int) -> None:
        codec = codecs.get(packet.payload_type)
        if codec is not None and codec.mimeType.lower() == _TELEPHONE_EVENT:
            digit = tracker.feed(packet.timestamp, packet.payload)
            if digit is not None:
                on_digit(digit)
            return
        await original(packet, arrival_time_ms=arrival_time_ms)

    receiver._handle_rtp_packet = handle  # type: ignore[method-assign]


class InlineExecutor(concurrent.futures.ThreadPoolExecutor):
    """Runs submitted work at once, in the caller's thread (for 20 ms encodes).

    A ThreadPoolExecutor only because asyncio accepts nothing else as the default executor;
    it never starts a thread. Blocking work (files, espeak-ng) must use its own executor.
    """

    def submit(
        self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any
    ) -> concurrent.futures.Future[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the awaiting coroutine, like a pool would
            future.set_exception(exc)
        return future


def decode_inline(receiver: RTCRtpReceiver) -> None:
    """Makes `receiver` decode in the event loop instead of in its decoder thread.

    Call it before the connection starts (the receiver starts its thread then). The thread
    still starts, but only waits for the receiver to stop, then ends the track as usual.
    """
    receiver._RTCRtpReceiver__decoder_queue = _InlineDecoding(receiver)  # type: ignore[attr-defined]


class _InlineDecoding:
    """Stands in for a receiver's decoder queue: `put` decodes at once, `get` waits for stop."""

    def __init__(self, receiver: RTCRtpReceiver) -> None:
        self._receiver = receiver
        self._decoder: Decoder | None = None
        self._codec_name: str | None = None
        self._stopped = threading.Event()

    def put(self, task: tuple[RTCRtpCodecParameters, Any] | None) -> None:
        if task is None:
            self._stopped.set()
            return
        codec, encoded_frame = task
        if self._decoder is None or codec.name != self._codec_name:
            self._decoder = aiortc.codecs.get_decoder(codec)
            self._codec_name = codec.name
        try:
            frames = self._decoder.decode(encoded_frame)
        except av.FFmpegError as exc:  # keep the decoder: the next packet may decode fine
            logger.warning("failed to decode a %s frame: %s", codec.name, exc)
            return
        track = self._receiver._track
        if track is not None:
            for frame in frames:
                track._queue.put_nowait(frame)

    def get(self) -> None:
        self._stopped.wait()
