"""Call control without media: steps, refusals, replay, and talk and hold times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from headset.calls import call as cc
from headset.calls import events as ev
from headset.calls.call import CallControl, CallStatus, RecordingState
from headset.calls.times import call_times
from headset.core.errors import Conflict, Invalid

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def answered() -> tuple[CallControl, list[ev.CallEvent]]:
    call = CallControl("c1")
    happened = [
        call.handle(cc.PressDigits("2"), at(1)),
        call.handle(cc.Queue("sales"), at(2)),
        call.handle(cc.Ring("a1"), at(5)),
        call.handle(cc.Answer("a1"), at(10)),
    ]
    return call, happened


def test_a_call_goes_from_the_ivr_through_the_queue_to_an_agent() -> None:
    call, happened = answered()
    assert [e.name for e in happened] == [
        ev.DIGITS, ev.CALL_QUEUED, ev.CALL_RINGING, ev.CALL_ANSWERED
    ]  # fmt: skip
    assert call.state.status is CallStatus.CONNECTED
    assert call.state.agent_id == "a1"
    assert call.state.answered_at == at(10)


def test_every_wire_name_is_listed_and_namespaced() -> None:
    assert all(name.startswith("voice.") for name in ev.ALL)


def test_hold_time_counts_as_hold_and_talk_is_the_rest() -> None:
    call, happened = answered()
    happened.append(call.handle(cc.Hold(), at(20)))
    happened.append(call.handle(cc.Resume(), at(50)))
    happened.append(call.handle(cc.Hold(), at(60)))
    happened.append(call.handle(cc.HangUp("customer"), at(70)))  # ends the second hold
    times = call_times("c1", happened, at(999))
    assert times.hold == timedelta(seconds=40)
    assert times.talk == timedelta(seconds=20)  # 70 - 10 - 40
    assert times.talk + times.hold == times.ended_at - times.answered_at  # type: ignore[operator]
    assert call.state.hung_up_by == "customer"


def test_times_of_a_call_still_going_on_run_to_now() -> None:
    call, happened = answered()
    happened.append(call.handle(cc.Hold(), at(20)))
    times = call_times("c1", happened, at(25))
    assert times.hold == timedelta(seconds=5)
    assert times.talk == timedelta(seconds=10)
    assert times.ended_at is None


def test_steps_the_call_cannot_take_are_refused_and_change_nothing() -> None:
    call = CallControl("c1")
    with pytest.raises(Conflict, match="only a connected call can be held"):
        call.handle(cc.Hold(), at(1))
    assert call.state.status is CallStatus.IVR
    call, _ = answered()
    with pytest.raises(Conflict, match="only a held call"):
        call.handle(cc.Resume(), at(11))
    with pytest.raises(Invalid, match="mode"):
        call.handle(cc.JoinSupervisor("u1", "shout"), at(11))
    with pytest.raises(Invalid, match="exactly one"):
        call.handle(cc.Transfer(), at(11))
    call.handle(cc.HangUp("agent"), at(12))
    with pytest.raises(Conflict, match="over"):
        call.handle(cc.HangUp("customer"), at(13))


def test_a_supervisor_joins_switches_and_leaves() -> None:
    call, _ = answered()
    call.handle(cc.JoinSupervisor("u9", "listen"), at(11))
    call.handle(cc.JoinSupervisor("u9", "whisper"), at(12))
    assert (call.state.supervisor_user_id, call.state.supervisor_mode) == ("u9", "whisper")
    with pytest.raises(Conflict, match="another supervisor"):
        call.handle(cc.JoinSupervisor("u8", "barge"), at(13))
    call.handle(cc.LeaveSupervisor(), at(14))
    assert call.state.supervisor_user_id is None


def test_recording_pauses_and_resumes_only_in_order() -> None:
    call, _ = answered()
    with pytest.raises(Conflict, match="nothing to pause"):
        call.handle(cc.PauseRecording(), at(11))
    call.handle(cc.StartRecording(), at(11))
    paused = call.handle(cc.PauseRecording("card number"), at(12))
    assert paused.data == {"reason": "card number"}
    assert call.state.recording is RecordingState.PAUSED
    call.handle(cc.ResumeRecording(), at(20))
    assert call.state.recording is RecordingState.ON


def test_a_blind_transfer_puts_the_call_back_in_a_queue_and_keeps_its_hold() -> None:
    call, _ = answered()
    call.handle(cc.Hold(), at(20))
    call.handle(cc.Transfer(queue_id="support"), at(30))
    assert call.state.status is CallStatus.QUEUED
    assert call.state.agent_id is None
    assert call.state.queue_id == "support"
    assert call.state.hold == timedelta(seconds=10)


def test_replaying_the_events_rebuilds_the_same_state() -> None:
    call, happened = answered()
    happened.append(call.handle(cc.Mute(), at(11)))
    happened.append(call.handle(cc.Hold(), at(12)))
    assert CallControl.replay("c1", happened).state == call.state


def test_an_offer_nobody_took_puts_the_call_back_in_line() -> None:
    call = CallControl("c1")
    call.handle(cc.Queue("sales"), at(1))
    call.handle(cc.Ring("a1"), at(2))
    call.handle(cc.Queue("sales"), at(22))
    assert call.state.status is CallStatus.QUEUED
    assert call.state.answered_at is None
