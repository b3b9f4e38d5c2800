"""A chat widget as the customer's side meets it: its topics, languages and opening hours."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from headset.chatroom.room import ChatRoom, Reads
from headset.core.errors import Conflict, Invalid, NotFound
from headset.storage.tables import chat_widgets


@dataclass(frozen=True, slots=True)
class TopicHours:
    """Whether a topic's queue is open now, and when it opens next if not."""

    topic_id: str
    label: str
    is_open: bool
    next_opening_at: str | None


def load_widget(room: Reads, widget_key: str) -> Any:
    """The active widget of that key; 404 naming the key otherwise."""
    with room.reader.connect() as conn:
        row = conn.execute(
            select(chat_widgets).where(
                chat_widgets.c.widget_key == widget_key, chat_widgets.c.is_active.is_(True)
            )
        ).first()
    if row is None:
        raise NotFound(f"no chat widget {widget_key[:80]!r}; check the widget's script tag")
    return row


def topic_of(widget: Any, topic_id: str) -> dict[str, Any]:
    """The widget's topic of that id; 422 listing the topics otherwise."""
    for topic in widget.topics:
        if topic["topic_id"] == topic_id:
            return dict(topic)
    raise Invalid(
        f"unknown topic {topic_id!r}; choose one of {[t['topic_id'] for t in widget.topics]}"
    )


def check_language(widget: Any, language: str | None) -> None:
    """Refuses a language the widget does not offer (a widget without languages takes any)."""
    if language is not None and widget.languages and language not in widget.languages:
        raise Invalid(f"language {language!r} is not offered; choose one of {widget.languages}")


def queue_of(room: ChatRoom, widget: Any, topic: dict[str, Any]) -> str:
    """The topic's queue; 409 when it no longer belongs to the widget's tenant."""
    queue_id = str(topic["queue_id"])
    if room.host.tenancy.queues.get(queue_id) != widget.tenant_id:
        raise Conflict(f"topic {topic['topic_id']!r} has no queue any more; tell the site owner")
    return queue_id


def opening(room: ChatRoom, queue_id: str) -> tuple[bool, str | None]:
    """Whether the queue is open now, and its next opening (ISO text) if it is not."""
    hours = room.host.tenancy.hours.get(queue_id)
    now = room.now()
    if hours is None or hours.is_open(now):
        return True, None
    nxt = hours.next_opening(now)
    return False, nxt.isoformat() if nxt else None


def topic_hours(room: ChatRoom, widget: Any) -> list[TopicHours]:
    """Every topic of the widget with its opening now."""
    out = []
    for topic in widget.topics:
        is_open, next_opening = opening(room, topic["queue_id"])
        out.append(TopicHours(topic["topic_id"], topic["label"], is_open, next_opening))
    return out
