"""One party of a call: its peer connection to the hub, what it sends, what it is sent.

The incoming track is always consumed (aiortc's queue per track is unbounded) into a short
buffer of hub frames; the call takes one frame per tick from it, so a party whose packets
stop simply turns silent. The outgoing track hands aiortc the frames the call mixed for
this party, with its own continuous pts (no jumps when the plan or the sources change).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable

from aiortc import MediaStreamTrack, RTCConfiguration, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError
from av.frame import Frame

from headset.core.errors import Invalid
from headset.media import webrtc
from headset.media.dtmf import InbandDetector
from headset.media.frames import PcmConverter, to_audio_frame
from headset.media.pcm import FRAME_SAMPLES, SILENCE, Samples
from headset.media.sources import Clip

#: Frames kept for the call's next ticks: up to 100 ms of jitter before the oldest is dropped.
INBOUND_FRAMES = 5
#: Frames buffered before a party's voice plays: absorbs arrival jitter (20 ms of delay).
PRIME_FRAMES = 2
#: Every this many ticks, a buffer that never fell below TRIM_DEPTH frames loses one: the
#: delay a burst of packets added is given back (a 20 ms skip, rare, instead of lasting delay).
TRIM_TICKS = 50
TRIM_DEPTH = 3
#: Frames waiting for aiortc's sender; more means the sender is not pulling (not connected).
OUTBOUND_FRAMES = 5


class Counters:
    """What a worker adds up for the benchmark and metrics (plain attributes, cheap)."""

    __slots__ = (
        "frames_in",
        "frames_mixed",
        "frames_sent",
        "gaps",
        "latency_s",
        "outbound_drops",
        "overflows",
        "trims",
    )

    def __init__(self) -> None:
        self.frames_in = 0
        self.frames_mixed = 0
        self.frames_sent = 0
        #: ticks on which a talking party had no frame ready (an audible gap)
        self.gaps = 0
        #: incoming frames dropped because more than INBOUND_FRAMES were waiting
        self.overflows = 0
        #: mixed frames dropped because the sender was not taking them (a gap for the listener)
        self.outbound_drops = 0
        #: frames skipped to shorten a buffer that stayed long (see TRIM_TICKS)
        self.trims = 0
        #: a sample of residence times in the hub, arrival to the sender taking the mix
        self.latency_s: deque[float] = deque(maxlen=2000)


class OutgoingTrack(MediaStreamTrack):
    """What one party hears: the frames its call mixes for it, paced by the call's ticks."""

    kind = "audio"

    def __init__(self, counters: Counters) -> None:
        super().__init__()
        self._queue: asyncio.Queue[tuple[Samples, float]] = asyncio.Queue()
        self._pts = 0
        self._counters = counters

    def push(self, samples: Samples, oldest_input_at: float) -> None:
        if self._queue.qsize() >= OUTBOUND_FRAMES:
            self._queue.get_nowait()
            if self._pts:  # before the connection is up the sender takes nothing yet
                self._counters.outbound_drops += 1
        self._queue.put_nowait((samples, oldest_input_at))

    async def recv(self) -> Frame:
        if self.readyState != "live":
            raise MediaStreamError
        samples, input_at = await self._queue.get()
        frame = to_audio_frame(samples, self._pts)
        self._pts += FRAME_SAMPLES
        self._counters.frames_sent += 1
        if input_at:
            self._counters.latency_s.append(time.monotonic() - input_at)
        return frame


class Party:
    """A customer, agent or supervisor connected to the hub."""

    def __init__(
        self,
        party_id: str,
        role: str,
        configuration: RTCConfiguration,
        counters: Counters,
        on_digit: Callable[[str, str], None],
        on_state: Callable[[str], None],
        is_inline_decode: bool = False,
    ) -> None:
        self.party_id = party_id
        self.role = role
        self.pc = RTCPeerConnection(configuration)
        self.outgoing = OutgoingTrack(counters)
        self.inbound: deque[tuple[Samples, float]] = deque()
        #: this tick's frame of the party's voice, and when it arrived (0 for silence)
        self.current: Samples = SILENCE
        self.current_at = 0.0
        self.prompts: list[tuple[str, Clip]] = []
        self._counters = counters
        self._on_digit = on_digit
        self._detector: InbandDetector | None = InbandDetector()
        self._is_playing = False
        self._ticks_since_trim = 0
        self._least_depth = INBOUND_FRAMES
        self._consumer: asyncio.Task[None] | None = None
        self._drains: list[asyncio.Task[None]] = []
        self._is_inline_decode = is_inline_decode
        self.pc.on("track", self._on_track)
        self.pc.on("connectionstatechange", lambda: on_state(self.pc.connectionState))

    async def answer(self, offer_sdp: str) -> str:
        """Accepts the party's offer; the answer carries every host candidate (no trickle)."""
        try:
            await self.pc.setRemoteDescription(RTCSessionDescription(offer_sdp, "offer"))
        except Exception as exc:  # aiortc raises several kinds for a malformed offer
            raise Invalid(f"the SDP offer cannot be used: {exc}", field="offer_sdp") from exc
        if not any(t.kind == "audio" for t in self.pc.getTransceivers()):
            raise Invalid("the SDP offer has no audio")
        for transceiver in self.pc.getTransceivers():
            if transceiver.kind == "audio":  # before any packet can arrive
                webrtc.intercept_telephone_events(transceiver.receiver, self._rfc4733_digit)
                if self._is_inline_decode:
                    webrtc.decode_inline(transceiver.receiver)
        self.pc.addTrack(self.outgoing)
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        description = self.pc.localDescription
        assert description is not None  # set just above
        return description.sdp

    def _on_track(self, track: MediaStreamTrack) -> None:
        if track.kind == "audio" and self._consumer is None:
            self._consumer = asyncio.ensure_future(self._consume(track))
        else:  # a second or video track: consume it all the same, its queue would grow
            self._drains.append(asyncio.ensure_future(_drain(track)))

    async def _consume(self, track: MediaStreamTrack) -> None:
        converter = PcmConverter()
        with contextlib.suppress(MediaStreamError):
            while True:
                frame = await track.recv()
                now = time.monotonic()
                for samples in converter.convert(frame):  # type: ignore[arg-type]
                    self._counters.frames_in += 1
                    if len(self.inbound) >= INBOUND_FRAMES:
                        self.inbound.popleft()
                        self._counters.overflows += 1
                    self.inbound.append((samples, now))

    def _rfc4733_digit(self, digit: str) -> None:
        self._detector = None  # the leg sends events: its audio must not report them again
        self._on_digit(digit, "rfc4733")

    def take_frame(self) -> None:
        """Moves this tick's frame of the party's voice into `current`.

        Playing starts (and restarts after an underrun) once `PRIME_FRAMES` are buffered,
        so the ordinary jitter of packet arrival does not turn into gaps.
        """
        if not self._is_playing and len(self.inbound) >= PRIME_FRAMES:
            self._is_playing = True
        if self._is_playing and self.inbound:
            self.current, self.current_at = self.inbound.popleft()
            self._trim()
            if self._detector is not None and (digit := self._detector.feed(self.current)):
                self._on_digit(digit, "inband")
            return
        if self._is_playing:
            self._counters.gaps += 1
            self._is_playing = False
        self.current, self.current_at = SILENCE, 0.0

    def _trim(self) -> None:
        self._least_depth = min(self._least_depth, len(self.inbound))
        self._ticks_since_trim += 1
        if self._ticks_since_trim >= TRIM_TICKS:
            if self._least_depth >= TRIM_DEPTH:
                self.inbound.popleft()
                self._counters.trims += 1
            self._ticks_since_trim, self._least_depth = 0, INBOUND_FRAMES

    async def close(self) -> None:
        for task in [self._consumer, *self._drains]:
            if task is not None:
                task.cancel()
        await self.pc.close()


async def _drain(track: MediaStreamTrack) -> None:
    with contextlib.suppress(MediaStreamError):
        while True:
            await track.recv()
