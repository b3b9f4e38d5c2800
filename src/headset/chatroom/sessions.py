"""A customer's chat session: the token that opens it, and the chat it opens.

Starting a chat returns a token (random, stored only as its digest, expiring) that every
later call of that chat carries; a web call's session is the same kind of row with its own
token prefix (docs/voice.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select

from headset.access import tokens
from headset.chat.messages import AuthorKind
from headset.chatroom.messages import Author
from headset.chatroom.room import Reads
from headset.core.errors import NotFound, Unauthenticated
from headset.storage.tables import chat_sessions, chat_widgets

#: How long a customer's chat token works after the chat starts.
TOKEN_LIFETIME = timedelta(hours=24)
TOKEN_PREFIX = "hs_chat_"


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

    @property
    def uploader(self) -> str:
        """How the files the customer uploads are marked."""
        return f"customer:{self.customer_id}"


@dataclass(frozen=True, slots=True)
class VisitorSession:
    """The session a visitor's token opens (a chat's or a web call's), before it is stored."""

    tenant_id: str
    contact_id: str
    widget_id: str
    token_digest: str
    customer_name: str
    topic_id: str
    created_at: datetime
    expires_at: datetime


def store_session(conn: Connection, session: VisitorSession, customer_id: str | None) -> None:
    """Stores the session in the contact's transaction, once its customer is known."""
    values = {name: getattr(session, name) for name in VisitorSession.__slots__}
    conn.execute(insert(chat_sessions).values(**values, customer_id=customer_id))


def session_of_token(
    room: Reads, widget_key: str, contact_id: str, token: str | None, prefix: str, noun: str
) -> Any:
    """The chat session (a chat's or a call's) that `token` opens for `contact_id`; a token of
    another contact or widget opens nothing. `noun` words the errors ("chat", "call")."""
    if not token or not token.startswith(prefix):
        raise Unauthenticated(f"send the {noun}'s token: 'Authorization: Bearer {prefix}...'")
    with room.reader.connect() as conn:
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
    if row.expires_at <= room.now():
        raise Unauthenticated(f"this {noun} has expired; {again}")
    return row


def customer_chat(room: Reads, widget_key: str, chat_id: str, token: str | None) -> CustomerChat:
    """The chat the token opens; a token of another chat or widget opens nothing."""
    row = session_of_token(room, widget_key, chat_id, token, TOKEN_PREFIX, "chat")
    return CustomerChat(
        row.tenant_id, row.contact_id, row.customer_id, row.customer_name, row.ended_at is not None
    )
