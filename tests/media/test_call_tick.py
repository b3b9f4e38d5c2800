"""The call's 20 ms tick with plain objects for parties: routing, prompts, recording sides."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from headset.core.errors import Conflict, NotFound
from headset.media import plan
from headset.media.call import Call
from headset.media.pcm import FRAME_SAMPLES, SILENCE, Samples
from headset.media.protocol import MediaEvent, PromptFinished, RecordingPaused
from headset.media.sources import Clip


class FakeOutgoing:
    def __init__(self) -> None:
        self.frames: list[Samples] = []

    def push(self, samples: Samples, oldest_input_at: float) -> None:
        self.frames.append(samples)


class FakeParty:
    """Says a constant value every tick (its 'voice')."""

    def __init__(self, party_id: str, role: str, voice: int) -> None:
        self.party_id, self.role, self.voice = party_id, role, voice
        self.current: Samples = SILENCE
        self.current_at = 0.0
        self.prompts: list[tuple[str, Clip]] = []
        self.outgoing = FakeOutgoing()

    def take_frame(self) -> None:
        self.current = np.full(FRAME_SAMPLES, self.voice, dtype=np.int16)
        self.current_at = 1.0

    async def close(self) -> None:
        pass

    @property
    def last(self) -> int:
        values = set(self.outgoing.frames[-1].tolist())
        assert len(values) == 1
        return values.pop()


def _call(events: list[MediaEvent]) -> tuple[Call, FakeParty, FakeParty, FakeParty]:
    call = Call("c1", events.append)
    parties = (
        FakeParty("c", "customer", 1),
        FakeParty("a", "agent", 10),
        FakeParty("s", "supervisor", 100),
    )
    for p in parties:
        call.add(p)
    return call, *parties


def test_each_party_is_sent_the_sum_of_what_its_plan_names() -> None:
    call, c, a, s = _call([])
    call.set_plan(plan.whisper("c", "a", "s"))
    call.tick()
    assert (c.last, a.last, s.last) == (10, 101, 11)
    call.set_plan(plan.barge("c", "a", "s"))
    call.tick()
    assert (c.last, a.last, s.last) == (110, 101, 11)


def test_a_party_outside_the_plan_hears_silence_and_mixing_saturates() -> None:
    call, c, a, s = _call([])
    a.voice = c.voice = 30000
    call.set_plan(plan.MixPlan({"c": frozenset({"a"}), "a": frozenset()}))
    call.tick()
    assert s.last == 0
    assert a.last == 0
    call.set_plan(plan.MixPlan({"c": frozenset(), "a": frozenset(), "s": frozenset({"c", "a"})}))
    call.tick()
    assert s.last == 32767


def test_a_prompt_plays_on_top_of_the_plan_then_is_reported_finished() -> None:
    events: list[MediaEvent] = []
    call, c, a, _ = _call(events)
    call.set_plan(plan.connected("c", "a"))
    call.play("c", "p1", np.full(FRAME_SAMPLES * 2, 1000, dtype=np.int16))
    call.tick()
    assert c.last == 1010
    assert events == []
    call.tick()
    assert c.last == 1010
    assert events == [PromptFinished("c1", "c", "p1")]
    call.tick()
    assert c.last == 10
    assert a.last == 1


def test_stopped_prompts_end_at_once_and_are_reported_finished() -> None:
    events: list[MediaEvent] = []
    call, c, _agent, _ = _call(events)
    call.set_plan(plan.connected("c", "a"))
    call.play("c", "p1", np.full(FRAME_SAMPLES * 50, 1000, dtype=np.int16))
    call.tick()
    assert c.last == 1010
    call.stop_prompts("c")  # the agent answered during the announcement
    assert events == [PromptFinished("c1", "c", "p1")]
    call.tick()
    assert c.last == 10
    assert events == [PromptFinished("c1", "c", "p1")]  # once


def test_the_recording_has_the_customer_left_and_what_the_customer_hears_right(
    tmp_path: Path,
) -> None:
    events: list[MediaEvent] = []
    call, *_ = _call(events)
    call.set_plan(plan.barge("c", "a", "s"))
    call.start_recording(tmp_path / "r.wav")
    call.tick()
    call.set_plan(plan.whisper("c", "a", "s"))  # the whisper is not on the customer's record
    call.tick()
    call.set_plan(plan.hold("c", "a"))
    call.tick()
    call.pause_recording()
    call.tick()
    assert events == [RecordingPaused("c1", 0.06)]
    stopped = call.stop_recording()
    assert stopped.duration_s == pytest.approx(0.08)
    with wave.open(str(tmp_path / "r.wav"), "rb") as w:
        data = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).reshape(4, -1, 2)
    assert [tuple(frame[0]) for frame in data] == [(1, 110), (1, 10), (1, 0), (0, 0)]


def test_unknown_parties_and_double_recordings_are_refused(tmp_path: Path) -> None:
    call, *_ = _call([])
    with pytest.raises(NotFound):
        call.set_plan(plan.connected("c", "ghost"))
    with pytest.raises(Conflict):
        call.add(FakeParty("c", "customer", 0))
    call.start_recording(tmp_path / "r.wav")
    with pytest.raises(Conflict):
        call.start_recording(tmp_path / "r2.wav")
