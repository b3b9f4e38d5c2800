"""The public chat routes the widget calls: no user account, a bearer token per chat.

`/api/v1/chat/{widget_key}` gives the widget its settings; starting a chat returns the chat id
and a token that every later call of that chat carries as `Authorization: Bearer <token>`.
The actions are the chat room's (headset.chatroom); the bodies and the token's header are
api/chat_bodies.py's, shared with the staff's chat, web call and transcript routes. See
docs/chat.md.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from headset.api import problems
from headset.api.chat_bodies import (
    LANGUAGE,
    MessageIn,
    TypingIn,
    attachment_response,
    bearer_of,
)
from headset.api.deps import Rt
from headset.api.runtime import Runtime
from headset.api.typed_text import TypedEmail, TypedLine, TypedText
from headset.api.visitor_limits import check_visitor, client_address
from headset.chat.messages import Viewer, Visibility
from headset.chatroom import answers as out
from headset.chatroom import attachments, config, ending, starting, status, surveys
from headset.chatroom.messages import post_message, typing
from headset.chatroom.sessions import CustomerChat, customer_chat
from headset.chatroom.starting import ChatForm
from headset.chatroom.transcripts import transcript
from headset.chatroom.widgets import load_widget
from headset.routing.records import ContactStatus

router = APIRouter(prefix="/api/v1/chat/{widget_key}", tags=["chat (customer)"])


@router.get("")
async def widget_config(widget_key: str, rt: Rt) -> out.WidgetConfigOut:
    """What the widget shows: greeting, topics (open now or not), languages, offline text."""
    widget = await run_in_threadpool(load_widget, rt, widget_key)
    body = config.widget_config(rt.chat, widget, rt.switchboard, rt.mailroom.mailboxes.values())
    return out.WidgetConfigOut.model_validate(body)


class StartIn(BaseModel):
    """The pre-chat form."""

    model_config = ConfigDict(extra="forbid")
    name: TypedLine = Field(min_length=1, max_length=200)
    email: TypedEmail | None = None
    topic_id: str = Field(min_length=1, max_length=64)
    language: str | None = Field(default=None, pattern=LANGUAGE)
    message: TypedText | None = Field(default=None, max_length=4000)
    client_message_id: TypedLine = Field(default="first", min_length=1, max_length=100)


@router.post("/chats", status_code=201, response_model=out.StartedOut)
async def start_chat(widget_key: str, body: StartIn, request: Request, rt: Rt) -> Any:
    """Queues a chat for the topic's queue; answers 409 "closed" outside business hours."""
    check_visitor(request, chats_per_address=client_address(request))
    widget = await run_in_threadpool(load_widget, rt, widget_key)
    check_visitor(request, chats_per_widget=widget.widget_id)
    started = await starting.start_chat(rt.chat, widget, ChatForm(**body.model_dump()))
    if isinstance(started, starting.Closed):
        return problems.problem(
            409,
            "Closed",
            f"{started.display_name} is closed now; leave a message and we will get back to you",
            code="closed",
            offline_message=started.offline_message,
            next_opening_at=started.next_opening_at,
        )
    return out.StartedOut(
        chat_id=started.chat_id,
        token=started.token,
        token_expires_at=started.token_expires_at.isoformat(),
        **vars_of(started.waiting),
    )


def vars_of(waiting: status.Waiting) -> dict[str, Any]:
    return {
        "status": waiting.status,
        "position": waiting.position,
        "expected_wait_seconds": waiting.expected_wait_seconds,
    }


class LeaveIn(BaseModel):
    """A message left while the chat is closed: we need a way to answer it."""

    model_config = ConfigDict(extra="forbid")
    name: TypedLine = Field(min_length=1, max_length=200)
    email: TypedEmail
    topic_id: str = Field(min_length=1, max_length=64)
    language: str | None = Field(default=None, pattern=LANGUAGE)
    message: TypedText = Field(min_length=1, max_length=4000)


@router.post("/left-messages", status_code=201)
async def leave_message(widget_key: str, body: LeaveIn, request: Request, rt: Rt) -> out.LeftOut:
    """Records the message as a chat contact queued as a callback: it keeps its place in line
    and is offered when an agent is available; the agent answers by e-mail or phone."""
    check_visitor(request, left_messages_per_address=client_address(request))
    widget = await run_in_threadpool(load_widget, rt, widget_key)
    check_visitor(request, left_messages_per_widget=widget.widget_id)
    form = ChatForm(**{**body.model_dump(), "email": str(body.email)})
    contact_id = await starting.leave_message(rt.chat, widget, form)
    return out.LeftOut(contact_id=contact_id, status=ContactStatus.WAITING.value, is_callback=True)


# the customer's own chat ----------------------------------------------------------------


async def _chat(rt: Runtime, request: Request, widget_key: str, chat_id: str) -> CustomerChat:
    return await run_in_threadpool(customer_chat, rt, widget_key, chat_id, bearer_of(request))


@router.get("/chats/{chat_id}")
async def get_chat(
    widget_key: str, chat_id: str, request: Request, rt: Rt, after: int = Query(default=0, ge=0)
) -> out.CustomerChatOut:
    """Status, place in line, who answers, and the transcript after message `after`."""
    chat = await _chat(rt, request, widget_key, chat_id)
    messages = await run_in_threadpool(
        transcript, rt, chat.tenant_id, chat_id, Viewer.CUSTOMER, after
    )
    info = vars_of(status.waiting(rt.chat, chat.tenant_id, chat_id))
    if chat.is_ended:
        info["status"] = "ended"
    name = await run_in_threadpool(status.answering_name, rt.chat, chat)
    answering = out.AnsweringOut(display_name=name) if name is not None else None
    return out.CustomerChatOut.model_validate(
        {"chat_id": chat_id, **info, "answering": answering, "messages": messages}
    )


@router.post("/chats/{chat_id}/messages", status_code=201)
async def send_message(
    widget_key: str, chat_id: str, body: MessageIn, request: Request, response: Response, rt: Rt
) -> out.CustomerMessageOut:
    """Stores the customer's message; a retry with the same client id answers 200, same body."""
    chat = await _chat(rt, request, widget_key, chat_id)
    status.check_open(rt.chat, chat)
    check_visitor(request, messages_per_chat=chat_id)
    posted = await post_message(
        rt.chat,
        chat.tenant_id,
        chat_id,
        chat.author,
        Visibility.EVERYONE,
        body.text,
        body.client_message_id,
        body.attachment_id,
    )
    if not posted.is_new:
        response.status_code = 200
    return out.CustomerMessageOut.model_validate(posted.message)


@router.post("/chats/{chat_id}/attachments", status_code=201)
async def upload(
    widget_key: str,
    chat_id: str,
    request: Request,
    rt: Rt,
    name: str = Query(default="attachment", max_length=1000),  # stored cleaned, at most 120
) -> out.AttachmentOut:
    """The request body is the file itself; its type is judged by its bytes, not its name."""
    chat = await _chat(rt, request, widget_key, chat_id)
    status.check_open(rt.chat, chat)
    check_visitor(request, uploads_per_chat=chat_id)
    content = await request.body()
    stored = await attachments.store_attachment(
        rt.chat, chat.tenant_id, chat_id, name, content, chat.uploader
    )
    return out.AttachmentOut.model_validate(stored)


@router.get("/chats/{chat_id}/attachments/{attachment_id}")
async def download(
    widget_key: str, chat_id: str, attachment_id: str, request: Request, rt: Rt
) -> Response:
    chat = await _chat(rt, request, widget_key, chat_id)
    row = await run_in_threadpool(
        attachments.customer_attachment,
        rt.chat,
        chat.tenant_id,
        chat_id,
        attachment_id,
        chat.uploader,
    )
    return attachment_response(row)


@router.post("/chats/{chat_id}/typing")
async def customer_typing(
    widget_key: str, chat_id: str, body: TypingIn, request: Request, rt: Rt
) -> out.TypingOut:
    """Shown live to the agent (and supervisors watching); never stored."""
    chat = await _chat(rt, request, widget_key, chat_id)
    author = chat.author
    await typing(rt.chat, chat.tenant_id, chat_id, author.kind, author.name, body.is_typing)
    return out.TypingOut(is_typing=body.is_typing)


@router.post("/chats/{chat_id}/end")
async def end_chat(widget_key: str, chat_id: str, request: Request, rt: Rt) -> out.EndedOut:
    """The customer leaves: an answered chat ends (the agent wraps up), a waiting one is
    abandoned. Ending twice is harmless."""
    chat = await _chat(rt, request, widget_key, chat_id)
    await ending.end_chat(rt.chat, chat)
    return out.EndedOut(chat_id=chat_id, status="ended")


class SurveyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rating: int
    comment: TypedText | None = Field(default=None, max_length=10_000)


@router.post("/chats/{chat_id}/survey", status_code=201)
async def answer_survey(
    widget_key: str, chat_id: str, body: SurveyIn, request: Request, rt: Rt
) -> out.SurveyOut:
    """Once per chat, after it has ended: a rating 1-5 and a comment; it counts in CSAT."""
    chat = await _chat(rt, request, widget_key, chat_id)
    answer = await surveys.answer_survey(rt.chat, chat, body.rating, body.comment)
    return out.SurveyOut(chat_id=chat_id, rating=answer.rating, comment=answer.comment)
