"""Events of web chat: typed messages with the stable wire names the event log already holds.

Each class names its wire name (`chat.message_sent`) and turns into the payload stored with
it (`payload()`); `decode` turns a stored or live event back into its class, so listeners
(the customer's live stream) match types, not strings. `agent_id` addresses an event to the
agent answering the chat; it is left out of the payload when nobody answers, as it always was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from headset.core.messages import Event, message


@message
class ChatEvent(Event):
    """An event of one chat conversation (its contact's stream)."""

    contact_id: str

    def payload(self) -> dict[str, Any]:
        """The event's fields as stored; `agent_id` only when someone answers."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        if data.get("agent_id", "") is None:
            del data["agent_id"]
        return data


@message
class ChatStarted(ChatEvent):
    widget_id: str
    topic_id: str
    agent_id: str | None = None

    @property
    def name(self) -> str:
        return "chat.started"


@message
class MessageSent(ChatEvent):
    """A message was stored; `message` is its body as the API shows it."""

    visibility: str
    message: Mapping[str, Any]
    agent_id: str | None = None

    @property
    def name(self) -> str:
        return "chat.message_sent"


@message
class MessageLeft(ChatEvent):
    """A customer left a message while the chat was closed (a callback)."""

    topic_id: str
    agent_id: str | None = None

    @property
    def name(self) -> str:
        return "chat.message_left"


@message
class ChatEnded(ChatEvent):
    by: str
    agent_id: str | None = None

    @property
    def name(self) -> str:
        return "chat.ended"


@message
class SurveyAnswered(ChatEvent):
    rating: int
    agent_id: str | None = None

    @property
    def name(self) -> str:
        return "chat.survey_answered"


@message
class AttachmentUploaded(ChatEvent):
    """A file was stored (never addressed to the agent: a message carrying it is)."""

    attachment_id: str
    media_type: str
    size: int

    @property
    def name(self) -> str:
        return "chat.attachment_uploaded"


@message
class MonitorStarted(ChatEvent):
    user_id: str | None
    agent_id: str | None = None

    @property
    def name(self) -> str:
        return "chat.monitor_started"


@message
class Barged(ChatEvent):
    """A supervisor joined the conversation openly."""

    user_id: str
    display_name: str
    agent_id: str | None = None

    @property
    def name(self) -> str:
        return "chat.barged"


@message
class TakenOver(ChatEvent):
    """A supervisor's own agent answers from now on; `from_agent_id` is released."""

    from_agent_id: str
    agent_id: str
    user_id: str | None

    @property
    def name(self) -> str:
        return "chat.taken_over"


@message
class Typing(ChatEvent):
    """Someone is typing (or stopped): a signal, never stored."""

    who: str
    display_name: str
    is_typing: bool

    @property
    def name(self) -> str:
        return "chat.typing"


_TYPES: tuple[type[ChatEvent], ...] = (
    ChatStarted,
    MessageSent,
    MessageLeft,
    ChatEnded,
    SurveyAnswered,
    AttachmentUploaded,
    MonitorStarted,
    Barged,
    TakenOver,
    Typing,
)


def wire_name(cls: type[ChatEvent]) -> str:
    """The wire name of a chat event class (a property of its instances, decision 0004)."""
    return cls(**{f.name: "" for f in fields(cls)}).name


#: Every chat event class by its wire name.
BY_NAME: dict[str, type[ChatEvent]] = {wire_name(cls): cls for cls in _TYPES}


def decode(name: str | None, payload: Mapping[str, Any]) -> ChatEvent | None:
    """The chat event of a stored or live event, or None for any other (or malformed) one."""
    cls = BY_NAME.get(name or "")
    if cls is None:
        return None
    known = {f.name for f in fields(cls)}
    try:
        return cls(**{k: v for k, v in payload.items() if k in known})
    except TypeError:
        return None
