"""One call in the hub: its parties, its mix plan, its recording, ticked every 20 ms.

On each tick every party's next incoming frame is taken, then each party is sent the mix
of the sources its plan names plus any prompt playing to it; the recording gets the
customer side (left) and the side the customer hears (right). Doing all of it in one pass
per tick keeps the parties in step: what the agent says in tick n reaches the customer,
the supervisor and the recording in the same tick. No media library here: the tick is
tested with plain objects standing in for parties.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from headset.core.errors import Conflict, Invalid, NotFound
from headset.media.pcm import SILENCE, Samples, mix
from headset.media.plan import HOLD_MUSIC, MixPlan
from headset.media.protocol import (
    ROLES,
    DigitReceived,
    MediaEvent,
    PromptFinished,
    RecordingPaused,
    RecordingResumed,
    RecordingStopped,
)
from headset.media.recording import StereoRecording
from headset.media.sources import Clip, HoldMusic

Emit = Callable[[MediaEvent], None]


class Outgoing(Protocol):
    def push(self, samples: Samples, oldest_input_at: float) -> None: ...


class _PartyLike(Protocol):
    """What the tick needs of a party (`party.Party`; plain objects in the tick's tests)."""

    party_id: str
    role: str
    current: Samples
    current_at: float
    prompts: list[tuple[str, Clip]]

    @property
    def outgoing(self) -> Outgoing: ...

    def take_frame(self) -> None: ...

    async def close(self) -> None: ...


class Call:
    """The parties, plan, prompts and recording of one call, on one worker."""

    def __init__(self, call_id: str, emit: Emit) -> None:
        self.call_id = call_id
        self.parties: dict[str, _PartyLike] = {}
        self.plan = MixPlan()
        self.recording: StereoRecording | None = None
        self._music = HoldMusic()
        self._emit = emit

    def add(self, party: _PartyLike) -> None:
        if party.party_id in self.parties:
            raise Conflict(f"party {party.party_id!r} is already in call {self.call_id!r}")
        if party.role not in ROLES:
            raise Invalid(f"role must be one of {', '.join(ROLES)}, not {party.role!r}")
        self.parties[party.party_id] = party

    def party(self, party_id: str) -> _PartyLike:
        try:
            return self.parties[party_id]
        except KeyError:
            raise NotFound(f"no party {party_id!r} in call {self.call_id!r}") from None

    def set_plan(self, plan: MixPlan) -> None:
        unknown = set(plan.hears) - set(self.parties)
        if unknown:
            raise NotFound(f"the plan names parties not in the call: {sorted(unknown)}")
        self.plan = plan

    def on_digit(self, party_id: str) -> Callable[[str, str], None]:
        def report(digit: str, method: str) -> None:
            self._emit(DigitReceived(self.call_id, party_id, digit, method))

        return report

    def play(self, party_id: str, prompt_id: str, samples: Samples) -> None:
        self.party(party_id).prompts.append((prompt_id, Clip(prompt_id, samples)))

    def stop_prompts(self, party_id: str) -> None:
        listener = self.party(party_id)
        for prompt_id, _clip in listener.prompts:
            self._emit(PromptFinished(self.call_id, party_id, prompt_id))
        listener.prompts.clear()

    def start_recording(self, path: Path) -> None:
        if self.recording is not None:
            raise Conflict(f"call {self.call_id!r} is already being recorded")
        self.recording = StereoRecording(path)

    def pause_recording(self) -> None:
        pause = self._recording().pause()
        self._emit(RecordingPaused(self.call_id, pause.start_s))

    def resume_recording(self) -> None:
        pause = self._recording().resume()
        self._emit(RecordingResumed(self.call_id, pause.end_s or 0.0))

    def stop_recording(self) -> RecordingStopped:
        recording = self._recording()
        pauses = recording.close()
        self.recording = None
        return RecordingStopped(str(recording.path), recording.offset_s, tuple(pauses))

    def _recording(self) -> StereoRecording:
        if self.recording is None:
            raise Conflict(f"call {self.call_id!r} is not being recorded")
        return self.recording

    def tick(self) -> None:
        parties = self.parties
        for party in parties.values():
            party.take_frame()
        music: Samples | None = None
        hears = self.plan.hears
        for listener_id, listener in parties.items():
            frames: list[Samples] = []
            oldest = 0.0
            for source in hears.get(listener_id, ()):
                if source == HOLD_MUSIC:
                    if music is None:
                        music = self._music.next_frame()
                    frames.append(music)
                elif (speaker := parties.get(source)) is not None:
                    frames.append(speaker.current)
                    if speaker.current_at and (not oldest or speaker.current_at < oldest):
                        oldest = speaker.current_at
            if listener.prompts:
                frames += self._prompt_frames(listener_id, listener)
            listener.outgoing.push(mix(frames), oldest)
        if self.recording is not None:
            self._record(parties)

    def _prompt_frames(self, listener_id: str, listener: _PartyLike) -> list[Samples]:
        frames = [clip.next_frame() for _, clip in listener.prompts]
        for prompt_id, clip in [p for p in listener.prompts if p[1].is_done]:
            listener.prompts.remove((prompt_id, clip))
            self._emit(PromptFinished(self.call_id, listener_id, prompt_id))
        return frames

    def _record(self, parties: dict[str, _PartyLike]) -> None:
        assert self.recording is not None
        customers = [p for p in parties.values() if p.role == "customer"]
        heard = set().union(*(self.plan.sources_for(c.party_id) for c in customers))
        others = [p.current for pid, p in parties.items() if pid in heard and p.role != "customer"]
        left = mix([c.current for c in customers]) if customers else SILENCE
        self.recording.write(left, mix(others))
