"""The public chat routes the widget calls: no user account, a bearer token per chat.

`/api/v1/chat/{widget_key}` gives the widget its settings; starting a chat returns the chat id
and a token (random, stored only as its digest, expiring) that every later call of that chat
carries as `Authorization: Bearer <token>`. See docs/chat.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, insert, select, update
from starlette.concurrency import run_in_threadpool

from headset.access import tokens
from headset.api import downloads, problems
from headset.api.deps import Rt, reading
from headset.api.routes.chat_store import (
    AsRow,
    Author,
    chat_event,
    display_name,
    is_shared_with_customer,
    live_chat,
    message_body,
    place_in_line,
    post_message,
    read_attachment,
    store_attachment,
    transcript,
    typing,
)
from headset.api.runtime import Runtime
from headset.api.typed_text import TypedEmail, TypedLine, TypedText
from headset.api.visitor_limits import check_visitor, client_address
from headset.chat.audience import MESSAGE_SENT
from headset.chat.messages import AuthorKind, Viewer, Visibility, check_text
from headset.chat.surveys import survey_answer
from headset.chat.waiting import expected_wait
from headset.contacts.start import ClaimedCustomer, StartContact, for_topic
from headset.core.errors import Conflict, Invalid, NotFound, Unauthenticated
from headset.core.files import served_media_type, served_name
from headset.core.ids import new_id
from headset.core.messages import Command
from headset.customers.matching import Claim, Source
from headset.routing.commands import AbandonContact, EndContact, RequestCallback
from headset.routing.model import Channel
from headset.routing.records import ContactStatus
from headset.service.contacts import Alongside, start_contact
from headset.service.operations import Operation
from headset.storage.tables import (
    chat_messages,
    chat_sessions,
    chat_widgets,
    contacts,
    survey_answers,
)

router = APIRouter(prefix="/api/v1/chat/{widget_key}", tags=["chat (customer)"])

#: How long a customer's chat token works after the chat starts.
TOKEN_LIFETIME = timedelta(hours=24)
TOKEN_PREFIX = "hs_chat_"
LANGUAGE = r"^[a-z]{2}(-[A-Z]{2})?$"


def load_widget(rt: Runtime, widget_key: str) -> Any:
    with reading(rt) as conn:
        row = conn.execute(
            select(chat_widgets).where(
                chat_widgets.c.widget_key == widget_key, chat_widgets.c.is_active.is_(True)
            )
        ).first()
    if row is None:
        raise NotFound(f"no chat widget {widget_key[:80]!r}; check the widget's script tag")
    return row


def _topic(widget: Any, topic_id: str) -> dict[str, Any]:
    for topic in widget.topics:
        if topic["topic_id"] == topic_id:
            return dict(topic)
    raise Invalid(
        f"unknown topic {topic_id!r}; choose one of {[t['topic_id'] for t in widget.topics]}"
    )


def _opening(rt: Runtime, queue_id: str) -> tuple[bool, str | None]:
    hours = rt.host.tenancy.hours.get(queue_id)
    now = rt.now()
    if hours is None or hours.is_open(now):
        return True, None
    nxt = hours.next_opening(now)
    return False, nxt.isoformat() if nxt else None


@router.get("")
async def widget_config(widget_key: str, rt: Rt) -> dict[str, Any]:
    """What the widget shows: greeting, topics (open now or not), languages, offline text."""
    from headset.api.routes.mail_transcripts import sends_transcripts  # it imports this module
    from headset.api.routes.voice_customer import voice_block  # it imports this module

    widget = await run_in_threadpool(load_widget, rt, widget_key)
    topics = []
    for topic in widget.topics:
        is_open, next_opening = _opening(rt, topic["queue_id"])
        topics.append(
            {
                "topic_id": topic["topic_id"],
                "label": topic["label"],
                "is_open": is_open,
                "next_opening_at": next_opening,
            }
        )
    return {
        "widget_key": widget.widget_key,
        "display_name": widget.display_name,
        "greeting": widget.greeting,
        "colour": widget.colour,
        "languages": widget.languages,
        "topics": topics,
        "is_open": any(t["is_open"] for t in topics),
        "offline_message": widget.offline_message,
        "voice": voice_block(rt, widget),  # the "call us" button (docs/voice.md)
        # the "e-mail me the transcript" button at the end of a chat (docs/email.md)
        "sends_transcripts": sends_transcripts(rt, widget.tenant_id),
    }


class StartIn(BaseModel):
    """The pre-chat form."""

    model_config = ConfigDict(extra="forbid")
    name: TypedLine = Field(min_length=1, max_length=200)
    email: TypedEmail | None = None
    topic_id: str = Field(min_length=1, max_length=64)
    language: str | None = Field(default=None, pattern=LANGUAGE)
    message: TypedText | None = Field(default=None, max_length=4000)
    client_message_id: TypedLine = Field(default="first", min_length=1, max_length=100)


def _check_language(widget: Any, language: str | None) -> None:
    if language is not None and widget.languages and language not in widget.languages:
        raise Invalid(f"language {language!r} is not offered; choose one of {widget.languages}")


def _queue_of(rt: Runtime, widget: Any, topic: dict[str, Any]) -> str:
    queue_id = str(topic["queue_id"])
    if rt.host.tenancy.queues.get(queue_id) != widget.tenant_id:
        raise Conflict(f"topic {topic['topic_id']!r} has no queue any more; tell the site owner")
    return queue_id


def visitor_start(
    widget: Any,
    contact_id: str,
    topic: dict[str, Any],
    claim: Claim,
    channel: Channel = Channel.CHAT,
    *,
    is_in_ivr: bool = False,
) -> StartContact:
    """A contact a visitor starts from the widget (a chat, a left message, a web call): the
    topic's queue, skills and label; the visitor's customer is a new one carrying what they
    typed, tentatively linked to the customer it names, never that customer itself
    (customers/matching.py)."""
    customer = ClaimedCustomer(claim, Source.UNVERIFIED)
    return for_topic(
        widget.tenant_id,
        contact_id,
        channel,
        topic,
        language=claim.language,
        customer=customer,
        is_in_ivr=is_in_ivr,
    )


def _first_message(
    tenant_id: str, contact_id: str, name: str, text: str, client_id: str, now: Any
) -> dict[str, Any]:
    """The customer's opening message (its `author_id` is added once the customer is known)."""
    return {
        "tenant_id": tenant_id,
        "message_id": new_id("m"),
        "contact_id": contact_id,
        "seq": 1,
        "client_message_id": client_id,
        "author_kind": AuthorKind.CUSTOMER.value,
        "author_name": name,
        "visibility": Visibility.EVERYONE.value,
        "text": text,
        "attachment_id": None,
        "sent_at": now,
    }


@router.post("/chats", status_code=201, response_model=None)
async def start_chat(widget_key: str, body: StartIn, request: Request, rt: Rt) -> Any:
    """Queues a chat for the topic's queue; answers 409 "closed" outside business hours."""
    check_visitor(request, chats_per_address=client_address(request))
    widget = await run_in_threadpool(load_widget, rt, widget_key)
    check_visitor(request, chats_per_widget=widget.widget_id)
    topic = _topic(widget, body.topic_id)
    _check_language(widget, body.language)
    queue_id = _queue_of(rt, widget, topic)
    first = check_text(body.message) if body.message and body.message.strip() else None
    is_open, next_opening = _opening(rt, queue_id)
    if not is_open:
        return problems.problem(
            409,
            "Closed",
            f"{widget.display_name} is closed now; leave a message and we will get back to you",
            code="closed",
            offline_message=widget.offline_message,
            next_opening_at=next_opening,
        )
    tenant_id = widget.tenant_id
    contact_id = new_id("c")
    token = tokens.new_token(TOKEN_PREFIX)
    now = rt.now()
    expires_at = now + TOKEN_LIFETIME
    claim = Claim(name=body.name, email=body.email, language=body.language)
    start = visitor_start(widget, contact_id, topic, claim)
    events = [
        chat_event(
            rt,
            tenant_id,
            contact_id,
            "chat.started",
            "customer",
            widget_id=widget.widget_id,
            topic_id=body.topic_id,
        )
    ]

    def write(conn: Connection, customer_id: str | None) -> None:
        conn.execute(
            insert(chat_sessions).values(
                tenant_id=tenant_id,
                contact_id=contact_id,
                widget_id=widget.widget_id,
                token_digest=tokens.digest(token),
                customer_id=customer_id,
                customer_name=body.name,
                topic_id=body.topic_id,
                created_at=now,
                expires_at=expires_at,
            )
        )
        if first_row is not None:
            conn.execute(insert(chat_messages).values(**first_row, author_id=customer_id))

    first_row = None
    if first is not None:
        # the author id (the customer's) is known only inside the transaction; readers never
        # see it, so the event can be written before
        first_row = _first_message(
            tenant_id, contact_id, body.name, first, body.client_message_id, now
        )
        events.append(
            chat_event(
                rt,
                tenant_id,
                contact_id,
                MESSAGE_SENT,
                "customer",
                visibility=Visibility.EVERYONE.value,
                message=message_body(AsRow(first_row)),
            )
        )
    also = Alongside(write=write, events=tuple(events))
    await start_contact(rt.host, start, actor="customer", alongside=also, now=now)
    return {
        "chat_id": contact_id,
        "token": token,
        "token_expires_at": expires_at.isoformat(),
        **_waiting_info(rt, tenant_id, contact_id),
    }


def _waiting_info(rt: Runtime, tenant_id: str, contact_id: str) -> dict[str, Any]:
    """Status, place in line and expected wait (while waiting), who answers (once answered)."""
    contact = live_chat(rt, tenant_id, contact_id)
    if contact is None or contact.status is ContactStatus.WRAP_UP:
        return {"status": "ended", "position": None, "expected_wait_seconds": None}
    if contact.is_in_line:
        position, slots = place_in_line(rt, contact)
        wait = expected_wait(position, slots)
        return {
            "status": "waiting",
            "position": position,
            "expected_wait_seconds": wait.total_seconds() if wait is not None else None,
        }
    return {"status": "connected", "position": None, "expected_wait_seconds": None}


class LeaveIn(BaseModel):
    """A message left while the chat is closed: we need a way to answer it."""

    model_config = ConfigDict(extra="forbid")
    name: TypedLine = Field(min_length=1, max_length=200)
    email: TypedEmail
    topic_id: str = Field(min_length=1, max_length=64)
    language: str | None = Field(default=None, pattern=LANGUAGE)
    message: TypedText = Field(min_length=1, max_length=4000)


@router.post("/left-messages", status_code=201)
async def leave_message(widget_key: str, body: LeaveIn, request: Request, rt: Rt) -> dict[str, Any]:
    """Records the message as a chat contact queued as a callback: it keeps its place in line
    and is offered when an agent is available; the agent answers by e-mail or phone."""
    check_visitor(request, left_messages_per_address=client_address(request))
    widget = await run_in_threadpool(load_widget, rt, widget_key)
    check_visitor(request, left_messages_per_widget=widget.widget_id)
    topic = _topic(widget, body.topic_id)
    _check_language(widget, body.language)
    _queue_of(rt, widget, topic)  # refuses a topic whose queue is gone
    text = check_text(body.message)
    tenant_id, contact_id, now = widget.tenant_id, new_id("c"), rt.now()
    claim = Claim(name=body.name, email=str(body.email), language=body.language)
    start = visitor_start(widget, contact_id, topic, claim)

    def write(conn: Connection, customer_id: str | None) -> None:
        message = _first_message(tenant_id, contact_id, body.name, text, "left", now)
        conn.execute(insert(chat_messages).values(**message, author_id=customer_id))

    event = chat_event(
        rt, tenant_id, contact_id, "chat.message_left", "customer", topic_id=body.topic_id
    )
    also = Alongside(commands=(RequestCallback(contact_id),), write=write, events=(event,))
    await start_contact(rt.host, start, actor="customer", alongside=also, now=now)
    return {"contact_id": contact_id, "status": ContactStatus.WAITING.value, "is_callback": True}


# the customer's own chat ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CustomerChat:
    """A customer's chat, as their token proves it."""

    tenant_id: str
    contact_id: str
    customer_id: str
    customer_name: str
    is_ended: bool

    @property
    def author(self) -> Author:
        return Author(AuthorKind.CUSTOMER, self.customer_id, self.customer_name, "customer")


def session_of_token(
    rt: Runtime, widget_key: str, contact_id: str, token: str | None, prefix: str, noun: str
) -> Any:
    """The chat session (a chat's or a call's) that `token` opens for `contact_id`; a token of
    another contact or widget opens nothing. `noun` words the errors ("chat", "call")."""
    if not token or not token.startswith(prefix):
        raise Unauthenticated(f"send the {noun}'s token: 'Authorization: Bearer {prefix}...'")
    with reading(rt) as conn:
        row = conn.execute(
            select(chat_sessions, chat_widgets.c.widget_key)
            .join_from(
                chat_sessions,
                chat_widgets,
                (chat_sessions.c.tenant_id == chat_widgets.c.tenant_id)
                & (chat_sessions.c.widget_id == chat_widgets.c.widget_id),
            )
            .where(chat_sessions.c.token_digest == tokens.digest(token))
        ).first()
    again = "start a new chat" if noun == "chat" else "call again"
    if row is None:
        raise Unauthenticated(f"this {noun} token is unknown; {again}")
    if row.contact_id != contact_id or row.widget_key != widget_key:
        raise NotFound(f"no {noun} {contact_id[:80]!r} for this token")
    if row.expires_at <= rt.now():
        raise Unauthenticated(f"this {noun} has expired; {again}")
    return row


def customer_chat(rt: Runtime, widget_key: str, chat_id: str, token: str | None) -> CustomerChat:
    """The chat the token opens; a token of another chat or widget opens nothing."""
    row = session_of_token(rt, widget_key, chat_id, token, TOKEN_PREFIX, "chat")
    return CustomerChat(
        row.tenant_id, row.contact_id, row.customer_id, row.customer_name, row.ended_at is not None
    )


def bearer_of(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


async def _chat(rt: Runtime, request: Request, widget_key: str, chat_id: str) -> CustomerChat:
    return await run_in_threadpool(customer_chat, rt, widget_key, chat_id, bearer_of(request))


@router.get("/chats/{chat_id}")
async def get_chat(
    widget_key: str, chat_id: str, request: Request, rt: Rt, after: int = Query(default=0, ge=0)
) -> dict[str, Any]:
    """Status, place in line, who answers, and the transcript after message `after`."""
    chat = await _chat(rt, request, widget_key, chat_id)
    messages = await run_in_threadpool(
        transcript, rt, chat.tenant_id, chat_id, Viewer.CUSTOMER, after
    )
    info = _waiting_info(rt, chat.tenant_id, chat_id)
    if chat.is_ended:
        info["status"] = "ended"
    return {"chat_id": chat_id, **info, "answering": _answering(rt, chat), "messages": messages}


def _answering(rt: Runtime, chat: CustomerChat) -> dict[str, str] | None:
    contact = live_chat(rt, chat.tenant_id, chat.contact_id)
    if contact is None or contact.agent_id is None or contact.status is not ContactStatus.CONNECTED:
        return None
    return {"display_name": display_name(rt, agent_id=contact.agent_id)}


def _still_open(rt: Runtime, chat: CustomerChat) -> None:
    """Refuses writing into a chat either side has ended."""
    contact = live_chat(rt, chat.tenant_id, chat.contact_id)
    if chat.is_ended or contact is None or contact.status is ContactStatus.WRAP_UP:
        raise Conflict("this chat has ended; start a new one")


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    #: Chosen by the client (a UUID); sending again with the same id returns the same message.
    client_message_id: TypedLine = Field(min_length=1, max_length=100)
    text: TypedText = Field(default="", max_length=4000)
    attachment_id: str | None = Field(default=None, max_length=64)


@router.post("/chats/{chat_id}/messages", status_code=201)
async def send_message(
    widget_key: str, chat_id: str, body: MessageIn, request: Request, response: Response, rt: Rt
) -> dict[str, Any]:
    """Stores the customer's message; a retry with the same client id answers 200, same body."""
    chat = await _chat(rt, request, widget_key, chat_id)
    _still_open(rt, chat)
    check_visitor(request, messages_per_chat=chat_id)
    message, is_new = await post_message(
        rt,
        chat.tenant_id,
        chat_id,
        chat.author,
        Visibility.EVERYONE,
        body.text,
        body.client_message_id,
        body.attachment_id,
    )
    if not is_new:
        response.status_code = 200
    return {k: v for k, v in message.items() if k not in {"visibility", "contact_id"}}


@router.post("/chats/{chat_id}/attachments", status_code=201)
async def upload(
    widget_key: str,
    chat_id: str,
    request: Request,
    rt: Rt,
    name: str = Query(default="attachment", max_length=1000),  # stored cleaned, at most 120
) -> dict[str, Any]:
    """The request body is the file itself; its type is judged by its bytes, not its name."""
    chat = await _chat(rt, request, widget_key, chat_id)
    _still_open(rt, chat)
    check_visitor(request, uploads_per_chat=chat_id)
    content = await request.body()
    return await store_attachment(
        rt, chat.tenant_id, chat_id, name, content, f"customer:{chat.customer_id}"
    )


@router.get("/chats/{chat_id}/attachments/{attachment_id}")
async def download(
    widget_key: str, chat_id: str, attachment_id: str, request: Request, rt: Rt
) -> Response:
    chat = await _chat(rt, request, widget_key, chat_id)
    row = await run_in_threadpool(read_attachment, rt, chat.tenant_id, chat_id, attachment_id)
    mine = row.uploaded_by == f"customer:{chat.customer_id}"
    if not mine and not await run_in_threadpool(
        is_shared_with_customer, rt, chat.tenant_id, attachment_id
    ):
        raise NotFound(f"no attachment {attachment_id!r} in this chat")
    return attachment_response(row)


def attachment_response(row: Any) -> Response:
    """The file as a download with the type its bytes show now: never rendered in our
    origin, under a name that agrees with that type."""
    media_type = served_media_type(row.content)
    return downloads.download(row.content, served_name(row.name, media_type), media_type)


class TypingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    is_typing: bool


@router.post("/chats/{chat_id}/typing")
async def customer_typing(
    widget_key: str, chat_id: str, body: TypingIn, request: Request, rt: Rt
) -> dict[str, Any]:
    """Shown live to the agent (and supervisors watching); never stored."""
    chat = await _chat(rt, request, widget_key, chat_id)
    await typing(
        rt, chat.tenant_id, chat_id, AuthorKind.CUSTOMER.value, chat.customer_name, body.is_typing
    )
    return {"is_typing": body.is_typing}


@router.post("/chats/{chat_id}/end")
async def end_chat(widget_key: str, chat_id: str, request: Request, rt: Rt) -> dict[str, Any]:
    """The customer leaves: an answered chat ends (the agent wraps up), a waiting one is
    abandoned. Ending twice is harmless."""
    chat = await _chat(rt, request, widget_key, chat_id)
    if chat.is_ended:
        return {"chat_id": chat_id, "status": "ended"}
    commands: list[Command] = []
    contact = live_chat(rt, chat.tenant_id, chat_id)
    if contact is not None and contact.status is ContactStatus.CONNECTED:
        commands.append(EndContact(chat_id))
    elif contact is not None and contact.is_in_line:
        commands.append(AbandonContact(chat_id))
    now = rt.now()

    def write(conn: Connection) -> None:
        conn.execute(
            update(chat_sessions)
            .where(
                chat_sessions.c.tenant_id == chat.tenant_id,
                chat_sessions.c.contact_id == chat_id,
                chat_sessions.c.ended_at.is_(None),
            )
            .values(ended_at=now)
        )

    event = chat_event(rt, chat.tenant_id, chat_id, "chat.ended", "customer", by="customer")
    await rt.host.submit(
        Operation(
            commands=commands,
            write=write,
            events=[event],
            tenant_id=chat.tenant_id,
            actor="customer",
        )
    )
    return {"chat_id": chat_id, "status": "ended"}


class SurveyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rating: int
    comment: TypedText | None = Field(default=None, max_length=10_000)


@router.post("/chats/{chat_id}/survey", status_code=201)
async def answer_survey(
    widget_key: str, chat_id: str, body: SurveyIn, request: Request, rt: Rt
) -> dict[str, Any]:
    """Once per chat, after it has ended: a rating 1-5 and a comment; it counts in CSAT."""
    chat = await _chat(rt, request, widget_key, chat_id)
    answer = survey_answer(body.rating, body.comment)
    contact = live_chat(rt, chat.tenant_id, chat_id)
    if not chat.is_ended and contact is not None and contact.status is not ContactStatus.WRAP_UP:
        raise Conflict("the survey opens once the chat has ended")
    now = rt.now()

    def write(conn: Connection) -> dict[str, Any]:
        found = conn.execute(
            select(survey_answers.c.contact_id).where(
                survey_answers.c.tenant_id == chat.tenant_id,
                survey_answers.c.contact_id == chat_id,
            )
        ).first()
        if found is not None:
            raise Conflict(
                "this chat's survey is already answered; thank you", code="survey_answered"
            )
        queue_id = conn.execute(
            select(contacts.c.queue_id).where(
                contacts.c.tenant_id == chat.tenant_id, contacts.c.contact_id == chat_id
            )
        ).scalar_one()
        conn.execute(
            insert(survey_answers).values(
                tenant_id=chat.tenant_id,
                contact_id=chat_id,
                queue_id=queue_id,
                rating=answer.rating,
                comment=answer.comment,
                answered_at=now,
            )
        )
        return {"chat_id": chat_id, "rating": answer.rating, "comment": answer.comment}

    event = chat_event(
        rt, chat.tenant_id, chat_id, "chat.survey_answered", "customer", rating=answer.rating
    )
    outcome = await rt.host.submit(
        Operation(write=write, events=[event], tenant_id=chat.tenant_id, actor="customer")
    )
    return dict(outcome.written)
