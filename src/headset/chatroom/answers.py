"""The answers of the chat routes, customer's and staff's, as typed models (the HTTP API
shows them; the OpenAPI schema is made from them)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class AttachmentOut(BaseModel):
    attachment_id: str
    name: str
    media_type: str
    size: int


class CustomerMessageOut(BaseModel):
    """A message as its customer sees it."""

    message_id: str
    seq: int
    client_message_id: str | None
    author_kind: str
    author_name: str
    text: str
    attachment: AttachmentOut | None
    sent_at: str


class MessageOut(CustomerMessageOut):
    """A message as the staff see it: whispers are marked `staff`."""

    contact_id: str
    visibility: str


class TopicOut(BaseModel):
    topic_id: str
    label: str
    is_open: bool
    next_opening_at: str | None


class IceServerOut(BaseModel):
    urls: str


class VoiceOut(BaseModel):
    enabled: bool
    ice_servers: list[IceServerOut]


class WidgetConfigOut(BaseModel):
    widget_key: str
    display_name: str
    greeting: str | None
    colour: str
    languages: list[str]
    topics: list[TopicOut]
    is_open: bool
    offline_message: str | None
    voice: VoiceOut
    sends_transcripts: bool


class WaitingOut(BaseModel):
    status: str
    position: int | None
    expected_wait_seconds: float | None


class StartedOut(WaitingOut):
    chat_id: str
    token: str
    token_expires_at: str


class LeftOut(BaseModel):
    contact_id: str
    status: str
    is_callback: bool


class AnsweringOut(BaseModel):
    display_name: str


class CustomerChatOut(WaitingOut):
    chat_id: str
    answering: AnsweringOut | None
    messages: list[CustomerMessageOut]


class TypingOut(BaseModel):
    is_typing: bool


class EndedOut(BaseModel):
    chat_id: str
    status: str


class SurveyOut(BaseModel):
    chat_id: str
    rating: int
    comment: str | None


class AgentAnsweringOut(AnsweringOut):
    agent_id: str


class StaffChatOut(BaseModel):
    chat_id: str
    queue_id: str
    status: str
    customer_id: str | None
    customer_name: str | None
    is_callback: bool
    answering: AgentAnsweringOut | None
    barged_user_ids: list[str]
    messages: list[MessageOut]


class MonitorOut(BaseModel):
    chat_id: str
    is_monitoring: bool
    messages: list[MessageOut]


class BargedOut(BaseModel):
    chat_id: str
    is_barged: bool


class TakenOverOut(BaseModel):
    chat_id: str
    agent_id: str
    released_agent_id: str


class CsatOut(BaseModel):
    queue_id: str
    day: date
    answers: int
    satisfied: int
    csat: float | None
