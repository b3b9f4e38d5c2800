"""Chats for signed-in users: transcript, answering, and the supervisor's four ways in.

Who may write, monitor, whisper, barge in or take over is the chat room's rule
(headset.chatroom.staff and .supervision); these routes parse, call one action and answer.
See docs/chat.md.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission
from headset.api.chat_bodies import MessageIn, TypingIn, attachment_response
from headset.api.deps import Caller, Rt
from headset.chatroom import answers as out
from headset.chatroom import attachments, staff, supervision, surveys
from headset.chatroom.staff_view import chat_contact, read_chat
from headset.core.days import day_of, local_day
from headset.core.errors import Invalid

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}", tags=["chat (agents)"])


@router.get("/chats/{chat_id}")
async def get_chat(
    tenant_id: str, chat_id: str, who: Caller, rt: Rt, after: int = Query(default=0, ge=0)
) -> out.StaffChatOut:
    """The chat, who answers it, and its transcript (whispers included) after `after`; the
    read is audited."""
    return await read_chat(rt.chat, who, tenant_id, chat_id, after)


@router.post("/chats/{chat_id}/messages", status_code=201)
async def send_message(
    tenant_id: str, chat_id: str, body: MessageIn, who: Caller, rt: Rt, response: Response
) -> out.MessageOut:
    """A message the customer sees; a retry with the same client id answers 200, same body."""
    posted = await staff.send_as_staff(
        rt.chat, who, tenant_id, chat_id, body.text, body.client_message_id, body.attachment_id
    )
    if not posted.is_new:
        response.status_code = 200
    return out.MessageOut.model_validate(posted.message)


@router.post("/chats/{chat_id}/typing")
async def agent_typing(
    tenant_id: str, chat_id: str, body: TypingIn, who: Caller, rt: Rt
) -> out.TypingOut:
    """Shown live to the customer; never stored."""
    await staff.staff_typing(rt.chat, who, tenant_id, chat_id, body.is_typing)
    return out.TypingOut(is_typing=body.is_typing)


@router.post("/chats/{chat_id}/monitor")
async def monitor(tenant_id: str, chat_id: str, who: Caller, rt: Rt) -> out.MonitorOut:
    """Joins silently: the customer and the agent see nothing; the log records who watched."""
    messages = await supervision.monitor(rt.chat, who, tenant_id, chat_id)
    return out.MonitorOut.model_validate(
        {"chat_id": chat_id, "is_monitoring": True, "messages": messages}
    )


class WhisperIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    client_message_id: str = Field(min_length=1, max_length=100)
    text: str = Field(min_length=1, max_length=4000)


@router.post("/chats/{chat_id}/whisper", status_code=201)
async def whisper(
    tenant_id: str, chat_id: str, body: WhisperIn, who: Caller, rt: Rt, response: Response
) -> out.MessageOut:
    """A message for the agent (and the staff watching), never for the customer."""
    posted = await supervision.whisper(
        rt.chat, who, tenant_id, chat_id, body.text, body.client_message_id
    )
    if not posted.is_new:
        response.status_code = 200
    return out.MessageOut.model_validate(posted.message)


@router.post("/chats/{chat_id}/barge")
async def barge(tenant_id: str, chat_id: str, who: Caller, rt: Rt) -> out.BargedOut:
    """Joins the conversation openly: the customer sees the supervisor join, and their
    messages; the agent stays and is told."""
    await supervision.barge(rt.chat, who, tenant_id, chat_id)
    return out.BargedOut(chat_id=chat_id, is_barged=True)


@router.post("/chats/{chat_id}/take-over")
async def take_over(tenant_id: str, chat_id: str, who: Caller, rt: Rt) -> out.TakenOverOut:
    """The caller's own agent answers from now on; the agent who answered is released (a
    transfer to the caller's agent and its acceptance, in one operation)."""
    taken = await supervision.take_over(rt.chat, who, tenant_id, chat_id)
    return out.TakenOverOut(
        chat_id=chat_id, agent_id=taken.agent_id, released_agent_id=taken.released_agent_id
    )


@router.post("/chats/{chat_id}/attachments", status_code=201)
async def upload(
    tenant_id: str,
    chat_id: str,
    request: Request,
    who: Caller,
    rt: Rt,
    name: str = Query(default="attachment", max_length=1000),  # stored cleaned, at most 120
) -> out.AttachmentOut:
    """The body is the file; send it with a message's `attachment_id` afterwards."""
    content = await request.body()
    stored = await staff.staff_upload(rt.chat, who, tenant_id, chat_id, name, content)
    return out.AttachmentOut.model_validate(stored)


@router.get("/chats/{chat_id}/attachments/{attachment_id}")
async def download(
    tenant_id: str, chat_id: str, attachment_id: str, who: Caller, rt: Rt
) -> Response:
    await run_in_threadpool(chat_contact, rt.chat, who, tenant_id, chat_id)
    row = await run_in_threadpool(
        attachments.read_attachment, rt.chat, tenant_id, chat_id, attachment_id
    )
    return attachment_response(row)


@router.get("/stats/csat")
def csat_by_queue(
    tenant_id: str, who: Caller, rt: Rt, day: date | None = None
) -> list[out.CsatOut]:
    """Per queue: survey answers of the tenant's day (in its time zone; default today) and
    CSAT as glossary.md defines it."""
    who.check(tenant_id, Permission.SURVEY_READ)
    zone, now = rt.host.tenancy.time_zone_of(tenant_id), rt.now()
    if day is not None and abs((day - now.date()).days) > 3660:
        raise Invalid("ask for a day within ten years of today")
    local, start, end = day_of(now, zone) if day is None else local_day(day, zone)
    return surveys.csat_by_queue(rt.chat, tenant_id, local, start, end)
