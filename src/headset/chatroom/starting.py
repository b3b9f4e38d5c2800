"""Starting a chat and leaving a message: a visitor's contact, started through start_contact.

A chat's session (its token's digest) and its first message, or a left message and its
callback, are the channel's own part of the one operation that starts the contact
(service/contacts.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert

from headset.access import tokens
from headset.chat.events import ChatStarted, MessageLeft, MessageSent
from headset.chat.messages import AuthorKind, Visibility, check_text
from headset.chatroom.attachments import row_of
from headset.chatroom.messages import Author, message_body, message_row
from headset.chatroom.room import ChatRoom
from headset.chatroom.sessions import (
    TOKEN_LIFETIME,
    TOKEN_PREFIX,
    VisitorSession,
    store_session,
)
from headset.chatroom.status import Waiting, waiting
from headset.chatroom.widgets import check_language, opening, queue_of, topic_of
from headset.contacts.start import ClaimedCustomer, StartContact, for_topic
from headset.core.ids import new_id
from headset.customers.matching import Claim, Source
from headset.routing.commands import RequestCallback
from headset.routing.model import Channel
from headset.service.contacts import Alongside, start_contact
from headset.storage.event_log import NewEvent
from headset.storage.tables import chat_messages


@dataclass(frozen=True, slots=True)
class ChatForm:
    """The pre-chat form, or the leave-a-message form (then `email` and `message` are set)."""

    name: str
    topic_id: str
    email: str | None = None
    language: str | None = None
    message: str | None = None
    client_message_id: str = "first"


@dataclass(frozen=True, slots=True)
class StartedChat:
    """A chat once it is queued: its id, the customer's token, and where it stands."""

    chat_id: str
    token: str
    token_expires_at: datetime
    waiting: Waiting


@dataclass(frozen=True, slots=True)
class Closed:
    """The topic's queue is closed now: leave a message instead."""

    display_name: str
    offline_message: str | None
    next_opening_at: str | None


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


def _first_row(
    widget: Any, contact_id: str, form: ChatForm, text: str, client_id: str, now: datetime
) -> dict[str, Any]:
    """The customer's opening message (its `author_id`, the customer's, is set in the
    transaction, once the customer is known)."""
    author = Author(AuthorKind.CUSTOMER, "", form.name, "customer")
    row = message_row(
        widget.tenant_id, contact_id, 1, author, text, client_message_id=client_id, sent_at=now
    )
    del row["author_id"]
    return row


async def start_chat(room: ChatRoom, widget: Any, form: ChatForm) -> StartedChat | Closed:
    """Queues a chat for the topic's queue, or says it is closed outside business hours."""
    topic = topic_of(widget, form.topic_id)
    check_language(widget, form.language)
    queue_id = queue_of(room, widget, topic)
    text = form.message
    first = check_text(text) if text and text.strip() else None
    is_open, next_opening = opening(room, queue_id)
    if not is_open:
        return Closed(widget.display_name, widget.offline_message, next_opening)
    tenant_id, contact_id, now = widget.tenant_id, new_id("c"), room.now()
    token = tokens.new_token(TOKEN_PREFIX)
    claim = Claim(name=form.name, email=form.email, language=form.language)
    started = ChatStarted(contact_id, widget.widget_id, form.topic_id)
    events: list[NewEvent] = [room.stored(tenant_id, started, "customer")]
    first_row = None
    if first is not None:
        # the author id (the customer's) is known only inside the transaction; readers never
        # see it, so the event can be written before
        first_row = _first_row(widget, contact_id, form, first, form.client_message_id, now)
        body = message_body(row_of(first_row))
        sent = MessageSent(contact_id, Visibility.EVERYONE.value, body)
        events.append(room.stored(tenant_id, sent, "customer"))

    session = VisitorSession(
        tenant_id,
        contact_id,
        widget.widget_id,
        tokens.digest(token),
        form.name,
        form.topic_id,
        now,
        now + TOKEN_LIFETIME,
    )

    def write(conn: Connection, customer_id: str | None) -> None:
        store_session(conn, session, customer_id)
        if first_row is not None:
            conn.execute(insert(chat_messages).values(**first_row, author_id=customer_id))

    start = visitor_start(widget, contact_id, topic, claim)
    also = Alongside(write=write, events=tuple(events))
    await start_contact(room.host, start, actor="customer", alongside=also, now=now)
    return StartedChat(contact_id, token, session.expires_at, waiting(room, tenant_id, contact_id))


async def leave_message(room: ChatRoom, widget: Any, form: ChatForm) -> str:
    """Records the message as a chat contact queued as a callback (it keeps its place in
    line and is offered when an agent is available); returns the contact's id."""
    topic = topic_of(widget, form.topic_id)
    check_language(widget, form.language)
    queue_of(room, widget, topic)  # refuses a topic whose queue is gone
    text = check_text(form.message or "")
    tenant_id, contact_id, now = widget.tenant_id, new_id("c"), room.now()
    claim = Claim(name=form.name, email=form.email, language=form.language)

    def write(conn: Connection, customer_id: str | None) -> None:
        message = _first_row(widget, contact_id, form, text, "left", now)
        conn.execute(insert(chat_messages).values(**message, author_id=customer_id))

    left = MessageLeft(contact_id, form.topic_id)
    event = room.stored(tenant_id, left, "customer")
    also = Alongside(commands=(RequestCallback(contact_id),), write=write, events=(event,))
    start = visitor_start(widget, contact_id, topic, claim)
    await start_contact(room.host, start, actor="customer", alongside=also, now=now)
    return contact_id
