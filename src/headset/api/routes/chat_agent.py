"""Chats for signed-in users: transcript, answering, and the supervisor's four ways in.

Only the agent the engine has connected the chat to answers it. Anyone else who tries gets
409 naming who answers, unless they have barged in (then they write beside the agent, and the
customer sees them join) or taken over (then the engine connects the chat to their own agent
and releases the other one). Monitoring is silent but audited; a whisper reaches the staff
only. See docs/chat.md.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission, Scope
from headset.api.deps import Caller, Rt, reading
from headset.api.principal import Principal
from headset.api.read_audit import CHAT_TRANSCRIPT_VIEWED, audit_read
from headset.api.routes.chat_customer import MessageIn, TypingIn, attachment_response
from headset.api.routes.chat_store import (
    Author,
    chat_event,
    display_name,
    live_chat,
    post_message,
    read_attachment,
    store_attachment,
    transcript,
    typing,
)
from headset.api.routes.contacts import load_contact
from headset.api.runtime import Runtime
from headset.chat.messages import AuthorKind, Viewer, Visibility
from headset.chat.surveys import csat
from headset.core.days import day_of, local_day
from headset.core.errors import Conflict, Forbidden, Invalid, NotFound
from headset.routing.commands import AcceptOffer, TransferContact
from headset.routing.model import Channel
from headset.routing.records import ContactRecord, ContactStatus
from headset.service.operations import Operation
from headset.storage.tables import chat_sessions, events, survey_answers

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}", tags=["chat (agents)"])

BARGED = "chat.barged"


def _read_chat(rt: Runtime, who: Principal, tenant_id: str, chat_id: str) -> dict[str, Any]:
    scope = who.check(tenant_id, Permission.CONTACT_READ)
    with reading(rt) as conn:
        contact = load_contact(conn, tenant_id, chat_id, scope, who)
        if contact.channel != Channel.CHAT.value:
            raise NotFound(f"contact {chat_id!r} is not a chat")
        session = conn.execute(
            select(chat_sessions.c.customer_name, chat_sessions.c.ended_at).where(
                chat_sessions.c.tenant_id == tenant_id, chat_sessions.c.contact_id == chat_id
            )
        ).first()
    return {
        "chat_id": chat_id,
        "queue_id": contact.queue_id,
        "status": contact.status,
        "customer_id": contact.customer_id,
        "customer_name": session.customer_name if session else None,
        "is_callback": contact.is_callback,
    }


@router.get("/chats/{chat_id}")
async def get_chat(
    tenant_id: str, chat_id: str, who: Caller, rt: Rt, after: int = Query(default=0, ge=0)
) -> dict[str, Any]:
    """The chat, who answers it, and its transcript (whispers included) after `after`; the
    read is audited."""
    chat = await run_in_threadpool(_read_chat, rt, who, tenant_id, chat_id)
    messages = await run_in_threadpool(transcript, rt, tenant_id, chat_id, Viewer.SUPERVISOR, after)
    await audit_read(rt, who, tenant_id, CHAT_TRANSCRIPT_VIEWED, contact_id=chat_id, after=after)
    contact = live_chat(rt, tenant_id, chat_id)
    answering = None
    if contact is not None and contact.agent_id is not None:
        name = await run_in_threadpool(display_name, rt, agent_id=contact.agent_id)
        answering = {"agent_id": contact.agent_id, "display_name": name}
    barged = await run_in_threadpool(_barged_users, rt, chat_id)
    return {**chat, "answering": answering, "barged_user_ids": sorted(barged), "messages": messages}


def _barged_users(rt: Runtime, chat_id: str) -> set[str]:
    """Who has barged into the chat (the event log is where it is recorded)."""
    with reading(rt) as conn:
        rows = conn.execute(
            select(events.c.payload).where(
                events.c.stream_id == f"contact:{chat_id}", events.c.type == BARGED
            )
        )
        return {str(r.payload["user_id"]) for r in rows}


def _connected(rt: Runtime, tenant_id: str, chat_id: str) -> ContactRecord:
    contact = live_chat(rt, tenant_id, chat_id)
    if contact is None:
        raise NotFound(f"no live chat {chat_id!r} in tenant {tenant_id!r}: it is over")
    if contact.status is not ContactStatus.CONNECTED or contact.agent_id is None:
        raise Conflict(f"chat {chat_id!r} is {contact.status.value}; no agent is answering it")
    return contact


def _in_reach(rt: Runtime, who: Principal, scope: Scope, contact: ContactRecord) -> None:
    """Team scope reaches the chats of the teams the user leads."""
    if scope is Scope.TEAM:
        place = rt.host.tenancy.agents.get(contact.agent_id or "")
        if place is None or place[1] not in who.led_teams:
            raise Forbidden("this chat is answered outside your teams")


async def _author(
    rt: Runtime, who: Principal, tenant_id: str, contact: ContactRecord
) -> tuple[Author, str]:
    """Who the caller writes as in this chat; 409 naming who answers if they may not."""
    actor = who.actor
    if who.agent_id is not None and who.agent_id == contact.agent_id:
        who.check(tenant_id, Permission.CHAT_SEND)
        name = await run_in_threadpool(display_name, rt, agent_id=who.agent_id)
        return Author(AuthorKind.AGENT, actor, name, actor), name
    barged = await run_in_threadpool(_barged_users, rt, contact.contact_id)
    if who.user_id is not None and who.user_id in barged:
        who.check(tenant_id, Permission.CHAT_BARGE)
        name = await run_in_threadpool(display_name, rt, user_id=who.user_id)
        return Author(AuthorKind.SUPERVISOR, actor, name, actor), name
    answering = await run_in_threadpool(display_name, rt, agent_id=contact.agent_id)
    raise Conflict(
        f"{answering} is answering chat {contact.contact_id!r}; a supervisor may barge in or "
        "take over"
    )


@router.post("/chats/{chat_id}/messages", status_code=201)
async def send_message(
    tenant_id: str, chat_id: str, body: MessageIn, who: Caller, rt: Rt, response: Response
) -> dict[str, Any]:
    """A message the customer sees; a retry with the same client id answers 200, same body."""
    who.check(tenant_id, Permission.CONTACT_READ)
    contact = _connected(rt, tenant_id, chat_id)
    author, _ = await _author(rt, who, tenant_id, contact)
    message, is_new = await post_message(
        rt,
        tenant_id,
        chat_id,
        author,
        Visibility.EVERYONE,
        body.text,
        body.client_message_id,
        body.attachment_id,
    )
    if not is_new:
        response.status_code = 200
    return message


@router.post("/chats/{chat_id}/typing")
async def agent_typing(
    tenant_id: str, chat_id: str, body: TypingIn, who: Caller, rt: Rt
) -> dict[str, Any]:
    """Shown live to the customer; never stored."""
    who.check(tenant_id, Permission.CONTACT_READ)
    contact = _connected(rt, tenant_id, chat_id)
    author, name = await _author(rt, who, tenant_id, contact)
    await typing(rt, tenant_id, chat_id, author.kind.value, name, body.is_typing)
    return {"is_typing": body.is_typing}


@router.post("/chats/{chat_id}/monitor")
async def monitor(tenant_id: str, chat_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    """Joins silently: the customer and the agent see nothing; the log records who watched."""
    scope = who.check(tenant_id, Permission.CHAT_MONITOR)
    contact = _connected(rt, tenant_id, chat_id)
    _in_reach(rt, who, scope, contact)
    event = chat_event(
        rt, tenant_id, chat_id, "chat.monitor_started", who.actor, user_id=who.user_id
    )
    await rt.host.submit(Operation(events=[event], tenant_id=tenant_id, actor=who.actor))
    messages = await run_in_threadpool(transcript, rt, tenant_id, chat_id, Viewer.SUPERVISOR, 0)
    return {"chat_id": chat_id, "is_monitoring": True, "messages": messages}


class WhisperIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    client_message_id: str = Field(min_length=1, max_length=100)
    text: str = Field(min_length=1, max_length=4000)


@router.post("/chats/{chat_id}/whisper", status_code=201)
async def whisper(
    tenant_id: str, chat_id: str, body: WhisperIn, who: Caller, rt: Rt, response: Response
) -> dict[str, Any]:
    """A message for the agent (and the staff watching), never for the customer."""
    scope = who.check(tenant_id, Permission.CHAT_WHISPER)
    contact = _connected(rt, tenant_id, chat_id)
    _in_reach(rt, who, scope, contact)
    name = await run_in_threadpool(display_name, rt, user_id=who.user_id)
    author = Author(AuthorKind.SUPERVISOR, who.actor, name, who.actor)
    message, is_new = await post_message(
        rt, tenant_id, chat_id, author, Visibility.STAFF, body.text, body.client_message_id
    )
    if not is_new:
        response.status_code = 200
    return message


@router.post("/chats/{chat_id}/barge")
async def barge(tenant_id: str, chat_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    """Joins the conversation openly: the customer sees the supervisor join, and their
    messages; the agent stays and is told."""
    scope = who.check(tenant_id, Permission.CHAT_BARGE)
    contact = _connected(rt, tenant_id, chat_id)
    _in_reach(rt, who, scope, contact)
    if who.user_id is None:
        raise Forbidden("an API token cannot join a chat; sign in as a person")
    if who.user_id in await run_in_threadpool(_barged_users, rt, chat_id):
        return {"chat_id": chat_id, "is_barged": True}
    name = await run_in_threadpool(display_name, rt, user_id=who.user_id)
    event = chat_event(
        rt, tenant_id, chat_id, BARGED, who.actor, user_id=who.user_id, display_name=name
    )
    await rt.host.submit(Operation(events=[event], tenant_id=tenant_id, actor=who.actor))
    return {"chat_id": chat_id, "is_barged": True}


@router.post("/chats/{chat_id}/take-over")
async def take_over(tenant_id: str, chat_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    """The caller's own agent answers from now on; the agent who answered is released.

    In the engine this is a transfer to the caller's agent and its acceptance, in one
    operation: the contact keeps its history, the released agent's capacity is free at once,
    and at no moment do two agents hold the chat.
    """
    scope = who.check(tenant_id, Permission.CHAT_TAKE_OVER)
    contact = _connected(rt, tenant_id, chat_id)
    _in_reach(rt, who, scope, contact)
    mine = who.agent_id
    state = rt.host.engine.state
    agent = state.agents.get(mine or "")
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
    event = chat_event(
        rt,
        tenant_id,
        chat_id,
        "chat.taken_over",
        who.actor,
        from_agent_id=released,
        agent_id=mine,
        user_id=who.user_id,
    )
    await rt.host.submit(
        Operation(
            commands=[TransferContact(chat_id, agent_id=mine), AcceptOffer(offer_id)],
            events=[event],
            tenant_id=tenant_id,
            actor=who.actor,
        )
    )
    return {"chat_id": chat_id, "agent_id": mine, "released_agent_id": released}


@router.post("/chats/{chat_id}/attachments", status_code=201)
async def upload(
    tenant_id: str,
    chat_id: str,
    request: Request,
    who: Caller,
    rt: Rt,
    name: str = Query(default="attachment", max_length=1000),  # stored cleaned, at most 120
) -> dict[str, Any]:
    """The body is the file; send it with a message's `attachment_id` afterwards."""
    who.check(tenant_id, Permission.CONTACT_READ)
    contact = _connected(rt, tenant_id, chat_id)
    await _author(rt, who, tenant_id, contact)
    return await store_attachment(rt, tenant_id, chat_id, name, await request.body(), who.actor)


@router.get("/chats/{chat_id}/attachments/{attachment_id}")
async def download(
    tenant_id: str, chat_id: str, attachment_id: str, who: Caller, rt: Rt
) -> Response:
    await run_in_threadpool(_read_chat, rt, who, tenant_id, chat_id)
    row = await run_in_threadpool(read_attachment, rt, tenant_id, chat_id, attachment_id)
    return attachment_response(row)


@router.get("/stats/csat")
def csat_by_queue(
    tenant_id: str, who: Caller, rt: Rt, day: date | None = None
) -> list[dict[str, Any]]:
    """Per queue: survey answers of the tenant's day (in its time zone; default today) and
    CSAT as glossary.md defines it."""
    who.check(tenant_id, Permission.SURVEY_READ)
    zone, now = rt.host.tenancy.time_zone_of(tenant_id), rt.now()
    if day is not None and abs((day - now.date()).days) > 3660:
        raise Invalid("ask for a day within ten years of today")
    local = day_of(now, zone) if day is None else local_day(day, zone)
    day, start, end = local
    with reading(rt) as conn:
        rows = conn.execute(
            select(survey_answers.c.queue_id, survey_answers.c.rating).where(
                survey_answers.c.tenant_id == tenant_id,
                survey_answers.c.answered_at >= start,
                survey_answers.c.answered_at < end,
            )
        ).all()
    ratings: dict[str, list[int]] = {}
    for row in rows:
        ratings.setdefault(row.queue_id, []).append(row.rating)
    return [
        {
            "queue_id": queue_id,
            "day": day.isoformat(),
            "answers": len(values),
            "satisfied": sum(1 for r in values if r >= 4),
            "csat": None if (score := csat(values)) is None else round(score, 2),
        }
        for queue_id, values in sorted(ratings.items())
    ]
