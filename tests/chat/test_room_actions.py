"""The chat room's actions through a real engine host on SQLite with a fake clock, no HTTP:
start, message, end, leave a message, survey, the token's lifetime by the clock, and the
customer's stream turning stored events into its protocol."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import func, insert, select

from headset.bus.memory import MemoryBus
from headset.chat.audience import is_for_customer
from headset.chat.events import decode
from headset.chat.messages import AuthorKind, Visibility
from headset.chatroom import ChatRoom
from headset.chatroom.ending import end_chat
from headset.chatroom.live import CustomerStream
from headset.chatroom.messages import Author, post_message
from headset.chatroom.sessions import TOKEN_LIFETIME, CustomerChat, customer_chat
from headset.chatroom.starting import ChatForm, Closed, StartedChat, leave_message, start_chat
from headset.chatroom.surveys import answer_survey
from headset.chatroom.widgets import load_widget
from headset.core.clock import FakeClock
from headset.core.errors import Conflict, Unauthenticated
from headset.live.hub import LiveHub
from headset.routing.commands import ConfigureQueue, RegisterAgent, SetAgentState
from headset.routing.model import AgentProfile, AgentState, Membership, QueueConfig
from headset.routing.records import ContactStatus
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.database import make_engine
from headset.storage.event_log import SqlEventLog
from headset.storage.migrate import upgrade
from headset.storage.tables import (
    chat_messages,
    chat_sessions,
    chat_widgets,
    events,
    queues,
    survey_answers,
    tenants,
)

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
KEY = "wk_shop"


@pytest_asyncio.fixture
async def room(tmp_path: Path) -> AsyncIterator[ChatRoom]:
    url = f"sqlite:///{tmp_path}/chat.db"
    upgrade(url)
    db = make_engine(url)
    with db.begin() as conn:
        conn.execute(insert(tenants).values(tenant_id="t1", name="T1", created_at=NOW))
        conn.execute(insert(chat_widgets).values(**_widget()))
        # "late" opens at 10:00 on Tuesdays; NOW is a Tuesday, 9:00 UTC
        late = {"tue": [["10:00", "17:00"]]}
        conn.execute(
            insert(queues).values(
                tenant_id="t1", queue_id="t1-late", name="Late", settings={},
                business_hours=late, holidays=[],
            )
        )  # fmt: skip
    host = EngineHost(db, SqlEventLog(db), FakeClock(NOW))
    host.boot()
    await host.start()
    for queue_id in ("t1-sales", "t1-late"):
        config = QueueConfig(queue_id, tenant_id="t1")
        await host.submit(Operation(commands=[ConfigureQueue(config)]))
    try:
        yield ChatRoom(host, db, MemoryBus(), LiveHub(), attachment_max_bytes=20_000)
    finally:
        await host.stop()
        db.dispose()


def _widget() -> dict[str, Any]:
    topics = [
        {"topic_id": "sales", "label": "Buying", "queue_id": "t1-sales"},
        {"topic_id": "late", "label": "Later", "queue_id": "t1-late"},
    ]
    return {
        "tenant_id": "t1",
        "widget_id": "shop",
        "widget_key": KEY,
        "display_name": "Shop",
        "greeting": "Hello",
        "topics": topics,
        "languages": [],
        "offline_message": "Closed",
        "allowed_origins": [],
        "created_at": NOW,
    }


async def _agent_answers(room: ChatRoom) -> None:
    """An agent of the queue who is available and answers at once (auto-answer)."""
    profile = AgentProfile("ann", memberships=(Membership("t1-sales"),), auto_answer=True)
    commands = [RegisterAgent(profile), SetAgentState("ann", AgentState.AVAILABLE)]
    await room.host.submit(Operation(commands=commands, agents=[("ann", "t1", None)]))


async def _start(
    room: ChatRoom, message: str | None = "Hello?"
) -> tuple[StartedChat, CustomerChat]:
    widget = load_widget(room, KEY)
    started = await start_chat(room, widget, ChatForm("Carla", "sales", message=message))
    assert isinstance(started, StartedChat)
    return started, customer_chat(room, KEY, started.chat_id, started.token)


def _rows(room: ChatRoom, table: Any, contact_id: str) -> list[Any]:
    with room.reader.connect() as conn:
        return list(conn.execute(select(table).where(table.c.contact_id == contact_id)).all())


def _chat_events(room: ChatRoom, contact_id: str) -> list[Any]:
    with room.reader.connect() as conn:
        rows = conn.execute(
            select(events.c.type, events.c.payload).where(
                events.c.stream_id == f"contact:{contact_id}", events.c.type.like("chat.%")
            )
        ).all()
    return [decode(row.type, row.payload) for row in rows]


@pytest.mark.asyncio
async def test_a_started_chat_waits_in_line_with_its_session_and_first_message(
    room: ChatRoom,
) -> None:
    started, chat = await _start(room)

    assert started.waiting.status == "waiting"
    assert started.waiting.position == 1
    assert started.token_expires_at == NOW + TOKEN_LIFETIME
    [session] = _rows(room, chat_sessions, started.chat_id)
    assert session.customer_name == "Carla"
    assert session.customer_id == chat.customer_id
    [first] = _rows(room, chat_messages, started.chat_id)
    assert (first.seq, first.text, first.author_id) == (1, "Hello?", chat.customer_id)
    names = [event.name for event in _chat_events(room, started.chat_id)]
    assert names == ["chat.started", "chat.message_sent"]


@pytest.mark.asyncio
async def test_a_retried_message_is_the_stored_one_and_the_next_takes_the_next_seq(
    room: ChatRoom,
) -> None:
    _started, chat = await _start(room)
    author, everyone = chat.author, Visibility.EVERYONE

    sent = await post_message(room, "t1", chat.contact_id, author, everyone, "Hi", "m-1")
    again = await post_message(room, "t1", chat.contact_id, author, everyone, "Hi", "m-1")
    later = await post_message(room, "t1", chat.contact_id, author, everyone, "There?", "m-2")

    assert sent.is_new
    assert not again.is_new
    assert again.message == sent.message
    assert [sent.message["seq"], later.message["seq"]] == [2, 3]


@pytest.mark.asyncio
async def test_a_customer_ending_a_waiting_chat_abandons_it_once(room: ChatRoom) -> None:
    started, chat = await _start(room)

    await end_chat(room, chat)
    ended = customer_chat(room, KEY, started.chat_id, started.token)
    await end_chat(room, ended)  # harmless

    assert started.chat_id not in room.host.engine.state.contacts
    [session] = _rows(room, chat_sessions, started.chat_id)
    assert session.ended_at == NOW
    ends = [e for e in _chat_events(room, started.chat_id) if e.name == "chat.ended"]
    assert len(ends) == 1


@pytest.mark.asyncio
async def test_an_answered_chat_ends_in_wrap_up_and_its_survey_is_taken_once(
    room: ChatRoom,
) -> None:
    await _agent_answers(room)
    started, chat = await _start(room)
    assert started.waiting.status == "connected"
    with pytest.raises(Conflict, match="once the chat has ended"):
        await answer_survey(room, chat, 5, None)

    await end_chat(room, chat)
    assert room.host.engine.state.contacts[chat.contact_id].status is ContactStatus.WRAP_UP
    answer = await answer_survey(room, chat, 4, "  quick  ")

    assert (answer.rating, answer.comment) == (4, "quick")
    [row] = _rows(room, survey_answers, chat.contact_id)
    assert (row.queue_id, row.rating) == ("t1-sales", 4)
    with pytest.raises(Conflict) as again:
        await answer_survey(room, chat, 1, None)
    assert again.value.code == "survey_answered"


@pytest.mark.asyncio
async def test_a_left_message_is_a_callback_in_line_with_the_message(room: ChatRoom) -> None:
    widget = load_widget(room, KEY)
    form = ChatForm("Carla", "sales", email="carla@example.com", message="Call me back")

    contact_id = await leave_message(room, widget, form)

    contact = room.host.engine.state.contacts[contact_id]
    assert contact.is_callback
    assert contact.status is ContactStatus.WAITING
    [message] = _rows(room, chat_messages, contact_id)
    assert (message.client_message_id, message.text) == ("left", "Call me back")
    assert [e.name for e in _chat_events(room, contact_id)] == ["chat.message_left"]


@pytest.mark.asyncio
async def test_a_chat_token_stops_working_when_its_lifetime_has_passed(room: ChatRoom) -> None:
    started, _ = await _start(room, message=None)
    clock = room.host.clock
    assert isinstance(clock, FakeClock)

    clock.advance(TOKEN_LIFETIME - timedelta(seconds=1))
    assert customer_chat(room, KEY, started.chat_id, started.token).contact_id == started.chat_id
    clock.advance(timedelta(seconds=1))
    with pytest.raises(Unauthenticated, match="expired"):
        customer_chat(room, KEY, started.chat_id, started.token)


@pytest.mark.asyncio
async def test_a_topic_outside_its_hours_answers_closed_and_stores_nothing(
    room: ChatRoom,
) -> None:
    widget = load_widget(room, KEY)

    answer = await start_chat(room, widget, ChatForm("Carla", "late", message="Hi"))

    assert isinstance(answer, Closed)
    assert answer.next_opening_at == "2026-12-01T10:00:00+00:00"
    with room.reader.connect() as conn:
        assert conn.execute(select(chat_sessions)).first() is None


@pytest.mark.asyncio
async def test_the_customer_stream_turns_the_stored_events_into_its_protocol(
    room: ChatRoom,
) -> None:
    _, chat = await _start(room)
    stream = CustomerStream(room, chat, after=0)
    snapshot = (await stream.snapshot())["data"]
    assert snapshot["status"] == "waiting"
    assert (snapshot["position"], snapshot["last_message_seq"]) == (1, 1)
    seen = _last_seq(room)

    await _agent_answers(room)
    agent = Author(AuthorKind.AGENT, "user:u1", "Ann", "user:u1")
    await post_message(room, "t1", chat.contact_id, agent, Visibility.EVERYONE, "Hi!", "a-1")
    await post_message(room, "t1", chat.contact_id, agent, Visibility.STAFF, "psst", "a-2")
    await end_chat(room, chat)

    sent = [out for item in _hub_items(room, seen) for out in await stream.translate(item)]
    assert [m["type"] for m in sent] == ["joined", "message", "ended"]
    assert sent[1]["message"]["text"] == "Hi!"
    assert "visibility" not in sent[1]["message"]
    assert stream.sent == 2


def _last_seq(room: ChatRoom) -> int:
    with room.reader.connect() as conn:
        return int(conn.execute(select(func.max(events.c.seq))).scalar_one())


def _hub_items(room: ChatRoom, after: int) -> list[dict[str, Any]]:
    """The stored events after `after` that reach the chat's customer, as the hub sends them."""
    with room.reader.connect() as conn:
        rows = conn.execute(select(events).where(events.c.seq > after).order_by(events.c.seq))
        stored = [(row.type, row.payload) for row in rows]
    return [
        {"type": "event", "event": kind, "data": payload}
        for kind, payload in stored
        if is_for_customer(kind, payload)
    ]
