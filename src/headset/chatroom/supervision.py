"""A supervisor's ways into a chat: watch silently, whisper, barge in, take over.

Monitoring is silent but audited in the log; a whisper reaches the staff only; barging in
lets the supervisor write beside the agent (the customer sees them join); taking over
connects the chat to the supervisor's own agent and releases the other one. See docs/chat.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission
from headset.chat.events import Barged, MonitorStarted, TakenOver
from headset.chat.messages import AuthorKind, Viewer, Visibility
from headset.chatroom.messages import Author, Posted, post_message
from headset.chatroom.room import ChatRoom
from headset.chatroom.staff import Staff, barged_users, in_reach
from headset.chatroom.transcripts import transcript
from headset.core.errors import Conflict, Forbidden
from headset.routing.commands import AcceptOffer, TransferContact
from headset.routing.model import Channel
from headset.service.operations import Operation


@dataclass(frozen=True, slots=True)
class TakeOver:
    """Who answers the chat after a take-over, and who was released."""

    agent_id: str
    released_agent_id: str


async def monitor(room: ChatRoom, who: Staff, tenant_id: str, chat_id: str) -> list[dict[str, Any]]:
    """Joins silently (the log records who watched); returns the transcript, whispers too."""
    contact = in_reach(room, who, tenant_id, chat_id, Permission.CHAT_MONITOR)
    event = MonitorStarted(chat_id, who.user_id, contact.agent_id)
    await room.host.submit(
        Operation(
            events=[room.stored(tenant_id, event, who.actor)], tenant_id=tenant_id, actor=who.actor
        )
    )
    return await run_in_threadpool(transcript, room, tenant_id, chat_id, Viewer.SUPERVISOR, 0)


async def whisper(
    room: ChatRoom, who: Staff, tenant_id: str, chat_id: str, text: str, client_id: str
) -> Posted:
    """A message for the agent (and the staff watching), never for the customer."""
    in_reach(room, who, tenant_id, chat_id, Permission.CHAT_WHISPER)
    name = await run_in_threadpool(lambda: room.display_name(user_id=who.user_id))
    author = Author(AuthorKind.SUPERVISOR, who.actor, name, who.actor)
    return await post_message(room, tenant_id, chat_id, author, Visibility.STAFF, text, client_id)


async def barge(room: ChatRoom, who: Staff, tenant_id: str, chat_id: str) -> None:
    """Joins the conversation openly: the customer sees the supervisor join, and their
    messages; the agent stays and is told. Barging in twice is harmless."""
    contact = in_reach(room, who, tenant_id, chat_id, Permission.CHAT_BARGE)
    user_id = who.user_id
    if user_id is None:
        raise Forbidden("an API token cannot join a chat; sign in as a person")
    if user_id in await run_in_threadpool(barged_users, room, chat_id):
        return
    name = await run_in_threadpool(lambda: room.display_name(user_id=user_id))
    event = Barged(chat_id, user_id, name, contact.agent_id)
    await room.host.submit(
        Operation(
            events=[room.stored(tenant_id, event, who.actor)], tenant_id=tenant_id, actor=who.actor
        )
    )


async def take_over(room: ChatRoom, who: Staff, tenant_id: str, chat_id: str) -> TakeOver:
    """The caller's own agent answers from now on; the agent who answered is released.

    In the engine this is a transfer to the caller's agent and its acceptance, in one
    operation: the contact keeps its history, the released agent's capacity is free at once,
    and at no moment do two agents hold the chat.
    """
    contact = in_reach(room, who, tenant_id, chat_id, Permission.CHAT_TAKE_OVER)
    mine = who.agent_id
    agent = room.host.engine.state.agents.get(mine or "")
    if mine is None or agent is None:
        raise Conflict(
            "taking over needs an agent profile of your own (an agent linked to your user); "
            "barge in instead"
        )
    if mine == contact.agent_id:
        raise Conflict("you are answering this chat already")
    if not agent.can_take(Channel.CHAT):
        raise Conflict(
            "your agent cannot take another chat now: set yourself available, with a free chat"
        )
    released = contact.agent_id or ""
    offer_id = f"{chat_id}~{contact.offer_count + 1}"
    event = TakenOver(chat_id, released, mine, who.user_id)
    await room.host.submit(
        Operation(
            commands=[TransferContact(chat_id, agent_id=mine), AcceptOffer(offer_id)],
            events=[room.stored(tenant_id, event, who.actor)],
            tenant_id=tenant_id,
            actor=who.actor,
        )
    )
    return TakeOver(mine, released)
