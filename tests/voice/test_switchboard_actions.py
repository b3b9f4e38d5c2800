"""The switchboard's actions on the engine host with a fake clock and fake media (no HTTP)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import insert

from headset.calls import call as cc
from headset.calls.call import CallStatus
from headset.core.errors import Conflict, Forbidden, Invalid, NotFound
from headset.media import protocol as mp
from headset.routing.model import AgentProfile
from headset.routing.records import ContactStatus
from headset.storage import codec
from headset.storage.event_log import StoredEvent
from headset.storage.tables import agents
from headset.voice import calling
from headset.voice.consultations import Consult
from headset.voice.live_call import CallerView
from tests.handling.conftest import AGENT, LEADER, OTHER_AGENT, SUPERVISOR
from tests.voice.switchboard import NOW, QUEUE, TENANT, Board

pytestmark = pytest.mark.asyncio


def names(desk: Board, call_id: str) -> list[str]:
    stored = desk.host.event_log.read_stream(f"contact:{call_id}")
    return [e.type for e in stored if e.type.startswith("voice.")]


async def test_an_offer_rings_the_call_and_a_missed_one_puts_it_back_in_line(desk: Board) -> None:
    call = await desk.queued_call("c1")
    await desk.settle(call, lambda: call.state.status is CallStatus.RINGING)
    desk.clock.advance(timedelta(seconds=21))  # past the queue's ring timeout
    await desk.fire_due_timers()
    await desk.settle(call, lambda: call.state.status is CallStatus.QUEUED)
    assert names(desk, "c1") == ["voice.call_queued", "voice.call_ringing", "voice.call_queued"]
    stored = desk.host.event_log.read_stream("contact:c1")
    assert {e.actor for e in stored if e.type == "voice.call_ringing"} == {"system:voice"}


async def test_the_connected_agent_joins_holds_and_hangs_up_to_wrap_up(desk: Board) -> None:
    call = await desk.queued_call("c2")
    await desk.settle(call, lambda: call.state.status is CallStatus.RINGING)
    await desk.accept("c2")
    board = desk.board
    with pytest.raises(Conflict):
        board.agents.connected(TENANT, "c2", "a2")
    assert board.agents.connected(TENANT, "c2", "a1") is call
    leg = await board.agents.join(call, "a1", "v=0 offer", "user:u1")
    assert leg.sdp == f"answer-of-{leg.leg_id}"
    await board.agents.change(call, cc.Hold(), "user:u1")
    desk.clock.advance(timedelta(seconds=5))
    await board.agents.change(call, cc.Resume(), "user:u1")
    await board.ending.hang_up(call, "agent", "user:u1")
    assert names(desk, "c2")[-4:] == [
        "voice.call_answered", "voice.call_held", "voice.call_resumed", "voice.call_ended",
    ]  # fmt: skip
    assert desk.host.engine.state.contacts["c2"].status is ContactStatus.WRAP_UP
    assert "c2" not in board.calls
    assert mp.HangUp("c2") in desk.media.sent


async def test_a_blind_transfer_names_exactly_one_target_of_the_tenant(desk: Board) -> None:
    call = await desk.queued_call("c3")
    await desk.settle(call, lambda: call.state.status is CallStatus.RINGING)
    await desk.accept("c3")
    await desk.board.agents.join(call, "a1", "v=0 offer", "user:u1")
    with pytest.raises(Invalid):
        await desk.board.agents.transfer(call, None, None, "user:u1")
    with pytest.raises(NotFound):
        await desk.board.agents.transfer(call, "elsewhere", None, "user:u1")
    await desk.board.agents.transfer(call, QUEUE, None, "user:u1")
    await desk.settle(call, lambda: call.agent_leg is None)
    assert call.state.status is CallStatus.QUEUED
    assert "voice.call_transferred" in names(desk, "c3")


async def test_a_consultation_needs_one_target_and_a_connected_call(desk: Board) -> None:
    call = await desk.queued_call("c4")
    consults = desk.board.consults
    with pytest.raises(Invalid):
        await consults.consult(call, Consult(QUEUE, "a1"), None, "user:u1")
    with pytest.raises(Conflict):
        await consults.consult(call, Consult(queue_id=QUEUE), None, "user:u1")
    assert desk.board.consultations == {}


async def test_a_supervisor_cannot_take_over_before_joining(desk: Board) -> None:
    call = await desk.queued_call("c5")
    await desk.settle(call, lambda: call.state.status is CallStatus.RINGING)
    await desk.accept("c5")
    await desk.board.agents.join(call, "a1", "v=0 offer", "user:u1")
    with pytest.raises(Conflict, match="join the call first"):
        await desk.board.supervision.take_over(call, "u3", None, "user:u3")
    leg = await desk.board.supervision.join(call, "u3", "listen", "v=0 offer", "user:u3")
    with pytest.raises(Conflict, match="agent profile of your own"):
        await desk.board.supervision.take_over(call, "u3", None, "user:u3")
    await desk.board.supervision.leave(call, leg.leg_id, "user:u3")
    assert names(desk, "c5")[-2:] == ["voice.supervisor_joined", "voice.supervisor_left"]


async def test_recording_on_demand_is_refused_where_the_queue_never_records(desk: Board) -> None:
    call = await desk.queued_call("c6")
    await desk.settle(call, lambda: call.state.status is CallStatus.RINGING)
    await desk.accept("c6")
    await desk.board.agents.join(call, "a1", "v=0 offer", "user:u1")
    assert call.recording_policy == "none"
    with pytest.raises(Conflict, match="never recorded"):
        await desk.board.recorder.start_on_demand(call, "user:u1")
    call.recording_policy = "on_demand"
    await desk.board.recorder.start_on_demand(call, "user:u1")
    await desk.board.recorder.pause(call, "card number", "user:u1")
    await desk.board.ending.hang_up(call, "agent", "user:u1")
    assert names(desk, "c6")[-3:] == [
        "voice.recording_started", "voice.recording_paused", "voice.call_ended",
    ]  # fmt: skip


async def test_the_caller_hanging_up_while_in_line_abandons_the_contact(desk: Board) -> None:
    call = await desk.queued_call("c7")
    await desk.settle(call, lambda: call.state.status is CallStatus.RINGING)
    await calling.customer_hangs_up(desk.board, "c7")
    await calling.customer_hangs_up(desk.board, "c7")  # twice changes nothing
    assert desk.host.engine.state.contacts.get("c7") is None
    stored = desk.host.event_log.read_stream("contact:c7")
    assert "routing.contact_abandoned" in [e.type for e in stored]
    assert names(desk, "c7")[-1] == "voice.call_ended"
    assert desk.board.caller_view("c7") == CallerView("c7", "ended")


async def test_the_switchboard_does_not_follow_its_own_steps(desk: Board) -> None:
    call = await desk.queued_call("c8")
    await desk.settle(call, lambda: call.state.status is CallStatus.RINGING)
    ended = {"contact_id": "c8", "agent_id": "a1", "wrap_up_due_at": NOW.isoformat(),
             "at": NOW.isoformat()}  # fmt: skip
    own = StoredEvent(1, "contact:c8", 1, "routing.contact_ended", ended, NOW, NOW, TENANT,
                      "system:voice", None)  # fmt: skip
    before = set(call.tasks)
    desk.board.follower.on_committed([own])
    assert set(call.tasks) == before  # nothing spawned: its own step is not followed
    assert call.state.status is CallStatus.RINGING
    desk.board.follower.on_committed([replace(own, actor="user:u1")])
    await desk.settle(call, lambda: call.state.status is CallStatus.ENDED)


async def test_a_softphone_is_registered_by_its_agent_or_by_who_may_set_that_agents_state(
    desk: Board,
) -> None:
    profile = desk.host.engine.state.agents["a1"].profile
    with desk.host.db.begin() as conn:
        conn.execute(
            insert(agents).values(
                tenant_id=TENANT, agent_id="a1", display_name="Ada", team_id="blue",
                profile={"profile": codec.encode_value(profile, AgentProfile), "input": {}},
            )
        )  # fmt: skip
    phones = desk.board.softphones
    with pytest.raises(Forbidden):  # another agent may not
        await phones.register(OTHER_AGENT, TENANT, "a1", True)
    with pytest.raises(Forbidden, match="your own teams' agents only"):
        await phones.register(replace(LEADER, led_teams=frozenset({"red"})), TENANT, "a1", True)
    with pytest.raises(NotFound):  # an agent this tenant does not have
        await phones.register(SUPERVISOR, TENANT, "zz", True)
    assert "a1" not in phones.registered

    assert await phones.register(AGENT, TENANT, "a1", True) is True
    assert "a1" in phones.registered
    assert await phones.register(LEADER, TENANT, "a1", False) is False  # a1 is of team blue
    assert "a1" not in phones.registered
    changed = [
        e for e in desk.host.event_log.read_stream("agent:a1") if e.type.startswith("voice.")
    ]
    assert [e.actor for e in changed] == ["user:u1", "user:u4"]
