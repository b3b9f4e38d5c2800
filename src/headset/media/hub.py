"""The media hub of one process: its calls, one 20 ms clock for all of them, the commands.

`MediaHub.handle(command)` is the whole control surface; a worker process feeds it from
its pipe, tests call it directly. One clock ticks every call of the process, so a hundred
calls cost one timer. A late tick first lets the packets that queued up meanwhile reach the
parties, then catches up; more than 60 ms behind, the lost time is given up instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from headset.core.errors import HeadsetError, Invalid, NotFound
from headset.media import webrtc
from headset.media.call import Call
from headset.media.frames import read_wav
from headset.media.party import Counters, Party
from headset.media.pcm import FRAME_SECONDS, Samples
from headset.media.prompts import PromptCache
from headset.media.protocol import (
    AddParty,
    Answer,
    Command,
    CreateCall,
    Done,
    Failed,
    GetStats,
    HangUp,
    MediaEvent,
    PartyConnected,
    PartyLeft,
    PauseRecording,
    PlayPrompt,
    RemoveParty,
    Reply,
    ResumeRecording,
    SetMixPlan,
    StartRecording,
    Stats,
    StopPrompts,
    StopRecording,
)
from headset.media.settings import MediaSettings

logger = logging.getLogger(__name__)

#: Ticks later than this are counted: the process is falling behind real time.
_LATE_TICK_S = 0.010
#: Loop turns a late tick waits: a packet takes a few tasks to go from socket to buffer.
_CATCH_UP_YIELDS = 4
#: Further behind than this, the clock restarts from now instead of ticking to catch up.
_MAX_BEHIND_S = 0.060


class MediaHub:
    """Calls and their media in this process, driven by commands."""

    def __init__(self, settings: MediaSettings, emit: Callable[[MediaEvent], None]) -> None:
        webrtc.install()
        if settings.is_loopback:
            webrtc.use_loopback_candidates()
        self.settings = settings
        self.calls: dict[str, Call] = {}
        self.counters = Counters()
        self._configuration = webrtc.configuration(settings.ice_servers)
        self._prompts = PromptCache(Path(settings.prompt_cache))
        self._emit = emit
        self._clock: asyncio.Task[None] | None = None
        # its own thread for espeak-ng and file decoding: the loop's default executor may be
        # the inline one (HEADSET_MEDIA_INLINE_CODECS), which would block every call
        self._blocking = ThreadPoolExecutor(max_workers=1, thread_name_prefix="media-files")
        self._late_ticks = 0
        #: ticks given up when far behind: every party missed that many frames (gaps)
        self._skipped_ticks = 0
        self._ticks = 0
        self._cpu_started = time.process_time()
        self._wall_started = time.monotonic()

    def start(self) -> None:
        if self._clock is None:
            self._clock = asyncio.ensure_future(self._run_clock())

    async def close(self) -> None:
        for call_id in list(self.calls):
            await self._hang_up(call_id)
        if self._clock is not None:
            self._clock.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._clock
        self._blocking.shutdown(wait=False)

    async def handle(self, command: Command) -> Reply:
        """Carries out one command; a refused one becomes `Failed`, never an exception."""
        try:
            return await self._handle(command)
        except HeadsetError as exc:
            return Failed(type(exc).__name__, str(exc))
        except Exception as exc:  # a reply must always go back, or the service waits forever
            logger.exception("media command %r failed", command)
            return Failed("Conflict", f"the media hub could not do it: {exc}")

    async def _handle(self, command: Command) -> Reply:
        match command:
            case CreateCall(call_id=call_id):
                if call_id in self.calls:
                    raise Invalid(f"call {call_id!r} exists already")
                self.calls[call_id] = Call(call_id, self._emit)
                self.start()
            case AddParty(call_id=call_id, party_id=party_id, role=role, offer_sdp=sdp):
                return Answer(await self._add_party(self._call(call_id), party_id, role, sdp))
            case RemoveParty(call_id=call_id, party_id=party_id):
                call = self._call(call_id)
                party = call.party(party_id)
                del call.parties[party_id]
                await party.close()
            case SetMixPlan(call_id=call_id, plan=plan):
                self._call(call_id).set_plan(plan)
            case PlayPrompt(call_id=call_id, party_id=party_id, prompt_id=prompt_id):
                call = self._call(call_id)
                call.party(party_id)
                samples = await self._prompt_samples(command)
                call.play(party_id, prompt_id, samples)
            case StopPrompts(call_id=call_id, party_id=party_id):
                self._call(call_id).stop_prompts(party_id)
            case StartRecording(call_id=call_id, path=path):
                self._call(call_id).start_recording(Path(path))
            case PauseRecording(call_id=call_id):
                self._call(call_id).pause_recording()
            case ResumeRecording(call_id=call_id):
                self._call(call_id).resume_recording()
            case StopRecording(call_id=call_id):
                return self._call(call_id).stop_recording()
            case HangUp(call_id=call_id):
                self._call(call_id)
                await self._hang_up(call_id)
            case GetStats():
                return Stats(self.stats())
        return Done()

    def _call(self, call_id: str) -> Call:
        try:
            return self.calls[call_id]
        except KeyError:
            raise NotFound(f"no call {call_id!r} on this worker") from None

    async def _add_party(self, call: Call, party_id: str, role: str, sdp: str) -> str:
        def on_state(state: str) -> None:
            if state == "connected":
                self._emit(PartyConnected(call.call_id, party_id))
            elif state in {"failed", "closed"} and party_id in call.parties:
                self._emit(PartyLeft(call.call_id, party_id))

        party = Party(
            party_id,
            role,
            self._configuration,
            self.counters,
            call.on_digit(party_id),
            on_state,
            is_inline_decode=self.settings.is_inline_codecs,
        )
        call.add(party)
        try:
            return await party.answer(sdp)
        except BaseException:
            del call.parties[party_id]
            await party.close()
            raise

    async def _prompt_samples(self, command: PlayPrompt) -> Samples:
        loop = asyncio.get_running_loop()
        if bool(command.text) == bool(command.path):
            raise Invalid("a prompt needs either text or the path of a WAV file")
        if command.path:
            path = Path(command.path)
            if not path.is_file():
                raise NotFound(f"no prompt file {command.path!r}")
            return await loop.run_in_executor(self._blocking, read_wav, path)
        # espeak-ng runs once per text; off the media loop so no call stutters meanwhile
        return await loop.run_in_executor(
            self._blocking, self._prompts.samples, command.text, command.voice
        )

    async def _hang_up(self, call_id: str) -> None:
        call = self.calls.pop(call_id)
        if call.recording is not None:
            call.stop_recording()
        parties = list(call.parties.values())
        call.parties.clear()  # so closing them is not reported as parties leaving
        for party in parties:
            await party.close()

    async def _run_clock(self) -> None:
        loop = asyncio.get_running_loop()
        due = loop.time()
        while True:
            due += FRAME_SECONDS
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            else:
                if -delay > _LATE_TICK_S:
                    self._late_ticks += 1
                # the loop was busy: let the packets that queued up meanwhile reach the
                # parties' buffers first, or this tick and the next would find them empty
                for _ in range(_CATCH_UP_YIELDS):
                    await asyncio.sleep(0)
                if -delay > _MAX_BEHIND_S:  # far behind: give the time up, never burst
                    self._skipped_ticks += int(-delay / FRAME_SECONDS)
                    due = loop.time()
            self._ticks += 1
            for call in list(self.calls.values()):
                call.tick()
            self.counters.frames_mixed += sum(len(c.parties) for c in self.calls.values())

    def stats(self) -> dict[str, float]:
        c = self.counters
        latencies = sorted(c.latency_s)

        def quantile(q: float) -> float:
            return latencies[int(q * (len(latencies) - 1))] if latencies else 0.0

        return {
            "calls": len(self.calls),
            "ticks": self._ticks,
            "late_ticks": self._late_ticks,
            "skipped_ticks": self._skipped_ticks,
            "frames_in": c.frames_in,
            "frames_mixed": c.frames_mixed,
            "frames_sent": c.frames_sent,
            "gaps": c.gaps,
            "overflows": c.overflows,
            "outbound_drops": c.outbound_drops,
            "trims": c.trims,
            "latency_p50_s": quantile(0.5),
            "latency_p95_s": quantile(0.95),
            "cpu_s": time.process_time() - self._cpu_started,
            "openblas_threads": float(os.environ.get("OPENBLAS_NUM_THREADS", "0") or 0),
            "wall_s": time.monotonic() - self._wall_started,
        }
