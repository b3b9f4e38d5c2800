"""The agent's actions on the engine host with a fake clock, without HTTP: accept, reject,
end, wrap up, set state; ring and wrap-up time-outs come when the clock says so."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Row, select

from headset.core.errors import Conflict, Forbidden, Invalid, NotFound
from headset.handling.agent_state import set_agent_state
from headset.handling.contacts import end_contact, transfer, wrap_up
from headset.handling.notes import add_note
from headset.handling.offers import accept_offer, reject_offer
from headset.routing.model import AgentState
from headset.routing.records import ContactStatus
from headset.storage.tables import contacts, notes
from tests.handling.conftest import (
    AGENT,
    LEADER,
    OTHER_AGENT,
    QUEUE,
    SUPERVISOR,
    TENANT,
    Desk,
    FakeCaller,
)


async def _available(desk: Desk, *callers: FakeCaller) -> None:
    for who in callers:
        assert who.agent_id is not None
        await set_agent_state(desk.host, who, TENANT, who.agent_id, AgentState.AVAILABLE, None)


async def _connected(desk: Desk, contact_id: str) -> None:
    """A contact started, offered to a1 (the only agent available) and accepted."""
    await _available(desk, AGENT)
    await desk.start(contact_id)
    [offer_id] = desk.offers_of("a1")
    await accept_offer(desk.host, AGENT, TENANT, offer_id)


def _row(desk: Desk, contact_id: str) -> Row[Any]:
    with desk.services.reader.connect() as conn:
        return conn.execute(select(contacts).where(contacts.c.contact_id == contact_id)).one()


@pytest.mark.asyncio
async def test_an_accepted_offer_connects_the_contact_to_the_agent(desk: Desk) -> None:
    await _available(desk, AGENT)
    await desk.start("c1")
    [offer_id] = desk.offers_of("a1")

    answer = await accept_offer(desk.host, AGENT, TENANT, offer_id)

    assert (answer.contact_id, answer.status) == ("c1", "connected")
    assert desk.host.engine.state.contacts["c1"].agent_id == "a1"
    assert desk.host.engine.state.agents["a1"].state is AgentState.BUSY


@pytest.mark.asyncio
async def test_only_the_agent_offered_may_answer_and_only_while_it_rings(desk: Desk) -> None:
    await _available(desk, AGENT)
    await desk.start("c1")
    [offer_id] = desk.offers_of("a1")

    with pytest.raises(Forbidden):
        await accept_offer(desk.host, OTHER_AGENT, TENANT, offer_id)
    await accept_offer(desk.host, AGENT, TENANT, offer_id)
    with pytest.raises(Conflict):
        await reject_offer(desk.host, AGENT, TENANT, offer_id)


@pytest.mark.asyncio
async def test_a_rejected_offer_goes_to_another_agent(desk: Desk) -> None:
    await _available(desk, AGENT, OTHER_AGENT)
    await desk.start("c1")
    first = "a1" if desk.offers_of("a1") else "a2"
    second, who = ("a2", AGENT) if first == "a1" else ("a1", OTHER_AGENT)
    [offer_id] = desk.offers_of(first)

    answer = await reject_offer(desk.host, who, TENANT, offer_id)

    assert answer.status == "rejected"
    assert desk.offers_of(first) == []
    assert len(desk.offers_of(second)) == 1


@pytest.mark.asyncio
async def test_an_offer_expires_after_the_ring_timeout(desk: Desk) -> None:
    await _available(desk, AGENT)
    await desk.start("c1")
    [offer_id] = desk.offers_of("a1")

    desk.clock.advance(timedelta(seconds=19))
    await desk.fire_due_timers()
    assert desk.offers_of("a1") == [offer_id]  # rings for the queue's 20 s
    desk.clock.advance(timedelta(seconds=1))
    await desk.fire_due_timers()

    assert offer_id not in desk.host.engine.state.offers
    assert desk.host.engine.state.contacts["c1"].status is ContactStatus.WAITING
    with pytest.raises(Conflict):
        await accept_offer(desk.host, AGENT, TENANT, offer_id)


@pytest.mark.asyncio
async def test_ending_starts_wrap_up_and_wrap_up_stores_the_disposition_and_notes(
    desk: Desk,
) -> None:
    await _connected(desk, "c1")
    with pytest.raises(Conflict):  # the conversation is still going on
        await wrap_up(desk.host, AGENT, TENANT, "c1", "resolved", None)

    ended = await end_contact(desk.host, AGENT, TENANT, "c1")
    assert ended.status == "wrap_up"
    assert desk.host.engine.state.agents["a1"].state is AgentState.WRAP_UP
    done = await wrap_up(desk.host, AGENT, TENANT, "c1", "resolved", "refund sent")

    assert (done.status, done.disposition) == ("completed", "resolved")
    assert "c1" not in desk.host.engine.state.contacts
    row = _row(desk, "c1")
    assert (row.status, row.disposition) == ("completed", "resolved")
    with desk.services.reader.connect() as conn:
        texts = conn.execute(select(notes.c.text, notes.c.author_user_id)).all()
    assert [tuple(t) for t in texts] == [("refund sent", "u1")]


@pytest.mark.asyncio
async def test_an_unknown_disposition_is_refused_and_nothing_is_stored(desk: Desk) -> None:
    await _connected(desk, "c1")
    await end_contact(desk.host, AGENT, TENANT, "c1")

    with pytest.raises(Invalid, match="unknown disposition"):
        await wrap_up(desk.host, AGENT, TENANT, "c1", "made-up", "a note")

    assert desk.host.engine.state.contacts["c1"].status is ContactStatus.WRAP_UP
    with desk.services.reader.connect() as conn:
        assert conn.execute(select(notes)).all() == []


@pytest.mark.asyncio
async def test_wrap_up_ends_by_itself_after_the_wrap_up_duration(desk: Desk) -> None:
    await _connected(desk, "c1")
    await end_contact(desk.host, AGENT, TENANT, "c1")

    desk.clock.advance(timedelta(seconds=29))
    await desk.fire_due_timers()
    assert desk.host.engine.state.contacts["c1"].status is ContactStatus.WRAP_UP
    desk.clock.advance(timedelta(seconds=1))
    await desk.fire_due_timers()

    assert "c1" not in desk.host.engine.state.contacts
    assert desk.host.engine.state.agents["a1"].state is AgentState.AVAILABLE


@pytest.mark.asyncio
async def test_only_the_agent_ends_their_contact_and_a_supervisor_may_move_it(
    desk: Desk,
) -> None:
    await _connected(desk, "c1")

    with pytest.raises(Forbidden, match="not yours"):
        await end_contact(desk.host, OTHER_AGENT, TENANT, "c1")
    with pytest.raises(Forbidden, match="not yours"):
        await end_contact(desk.host, LEADER, TENANT, "c1")  # a leader handles their own only
    moved = await transfer(desk.host, SUPERVISOR, TENANT, "c1", QUEUE, None)

    assert (moved.status, moved.queue_id) == ("waiting", QUEUE)
    assert desk.host.engine.state.contacts["c1"].agent_id is None


@pytest.mark.asyncio
async def test_a_contact_of_another_tenant_or_over_is_not_found(desk: Desk) -> None:
    with pytest.raises(NotFound):
        await end_contact(desk.host, LEADER, TENANT, "c-none")
    with pytest.raises(NotFound):
        await transfer(desk.host, SUPERVISOR, "t2", "c-none", QUEUE, None)


@pytest.mark.asyncio
async def test_away_needs_a_reason_and_is_what_the_engine_holds(desk: Desk) -> None:
    with pytest.raises(Invalid, match="say why"):
        await set_agent_state(desk.host, AGENT, TENANT, "a1", AgentState.AWAY, None)

    answer = await set_agent_state(desk.host, AGENT, TENANT, "a1", AgentState.AWAY, "lunch")

    assert (answer.state, answer.reason) == ("away", "lunch")
    assert desk.host.engine.state.agents["a1"].state is AgentState.AWAY


@pytest.mark.asyncio
async def test_an_agent_sets_only_their_own_state(desk: Desk) -> None:
    with pytest.raises(Forbidden):
        await set_agent_state(desk.host, OTHER_AGENT, TENANT, "a1", AgentState.AVAILABLE, None)
    answer = await set_agent_state(desk.host, SUPERVISOR, TENANT, "a1", AgentState.OFFLINE, None)

    assert answer.state == "offline"


@pytest.mark.asyncio
async def test_a_team_leader_sets_the_state_of_their_teams_agents_only(desk: Desk) -> None:
    answer = await set_agent_state(desk.host, LEADER, TENANT, "a1", AgentState.AVAILABLE, None)
    assert answer.state == "available"  # a1 is of team blue, which the leader leads

    with pytest.raises(Forbidden, match="your own teams"):
        await set_agent_state(desk.host, LEADER, TENANT, "a2", AgentState.AVAILABLE, None)


@pytest.mark.asyncio
async def test_a_note_is_stored_with_its_typed_event_on_the_contacts_stream(desk: Desk) -> None:
    await desk.start("c1")

    note = await add_note(desk.host, SUPERVISOR, TENANT, "c1", "called back twice")

    stream = desk.host.event_log.read_stream("contact:c1")
    [stored] = [e for e in stream if e.type == "contact.note_added"]  # its stable wire name
    assert dict(stored.payload) == {"note_id": note.note_id}
    assert (note.author_user_id, note.text) == ("u3", "called back twice")
    with pytest.raises(NotFound):  # an agent sees notes of their own contacts only
        await add_note(desk.host, AGENT, TENANT, "c1", "mine?")
