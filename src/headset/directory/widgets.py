"""Chat widgets: what the customer's widget shows and where each topic is routed."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import Connection, select

from headset.core.errors import Invalid, NotFound
from headset.directory.events import DirectoryEventType as E
from headset.directory.ivr import FLOWS
from headset.directory.names import Name, Slug
from headset.directory.registrar import Change, Kind, columns_view, listing, load, remove, save
from headset.directory.rules import check_same_id
from headset.service.host import EngineHost
from headset.storage.tables import chat_widgets, skills

WIDGETS = Kind(
    chat_widgets, "widget_id", "chat widget", E.CHAT_WIDGET_SAVED, E.CHAT_WIDGET_DELETED,
    stream=lambda _, widget_id: f"widget:{widget_id}",
    view=columns_view(chat_widgets),
)  # fmt: skip


class TopicIn(BaseModel):
    """A choice in the pre-chat form, routed to a queue with required skills."""

    model_config = ConfigDict(extra="forbid")
    topic_id: Slug
    label: Name
    queue_id: str = Field(min_length=1, max_length=64)
    #: skill -> minimum proficiency (1-10)
    skills: dict[str, int] = Field(default={}, max_length=20)

    @field_validator("skills")
    @classmethod
    def _levels(cls, value: dict[str, int]) -> dict[str, int]:
        if any(not 1 <= m <= 10 for m in value.values()):
            raise ValueError("skill minimums are 1-10")
        return value


class WidgetIn(BaseModel):
    """A chat widget as clients send it."""

    model_config = ConfigDict(extra="forbid")
    #: Optional, as in the other configuration bodies; when given it must match the URL's.
    widget_id: Slug | None = None
    display_name: Name
    greeting: str = Field(default="", max_length=1000)
    colour: str = Field(default="#1f6feb", pattern=r"^#[0-9a-fA-F]{6}$")
    topics: list[TopicIn] = Field(min_length=1, max_length=30)
    languages: list[str] = Field(default=[], max_length=20)
    offline_message: str = Field(default="", max_length=1000)
    #: Sites that may embed the widget, as origins: `https://www.example.com`.
    allowed_origins: list[str] = Field(default=[], max_length=50)
    is_active: bool = True
    #: The "call us" button (when the service runs voice) and the IVR flow of its calls.
    voice_enabled: bool = True
    ivr_flow_id: Slug | None = None

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        for language in value:
            if not re.fullmatch(r"[a-z]{2}(-[A-Z]{2})?", language):
                raise ValueError(f"{language!r} is not a language code like en or nl-BE")
        return value

    @field_validator("allowed_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        return [_origin(o) for o in value]

    @model_validator(mode="after")
    def _unique_topics(self) -> WidgetIn:
        ids = [t.topic_id for t in self.topics]
        if len(set(ids)) != len(ids):
            raise ValueError("each topic needs its own topic_id")
        return self


class WidgetOut(BaseModel):
    """A stored chat widget, with its public key."""

    widget_id: str
    widget_key: str
    display_name: str
    greeting: str
    colour: str
    topics: list[dict[str, Any]]
    languages: list[str]
    offline_message: str
    allowed_origins: list[str]
    is_active: bool
    created_at: datetime
    voice_enabled: bool
    ivr_flow_id: str | None


def _origin(origin: str) -> str:
    parts = urlsplit(origin.strip())
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ValueError(
            f"{origin!r} is not an origin; write scheme and host, e.g. https://example.com"
        )
    return f"{parts.scheme}://{parts.netloc}".lower()


def list_widgets(conn: Connection, tenant_id: str) -> list[dict[str, Any]]:
    """The tenant's chat widgets, by id."""
    return listing(conn, WIDGETS, tenant_id)


def get_widget(conn: Connection, tenant_id: str, widget_id: str) -> dict[str, Any]:
    """One chat widget, or NotFound."""
    return WIDGETS.view(load(conn, WIDGETS, tenant_id, widget_id))


async def save_widget(
    host: EngineHost, tenant_id: str, widget_id: str, body: WidgetIn, *, actor: str
) -> dict[str, Any]:
    """Creates or replaces a widget; its public `widget_key` is made once and then kept."""
    check_same_id("widget_id", body.widget_id, widget_id)
    for topic in body.topics:
        if host.tenancy.queues.get(topic.queue_id) != tenant_id:
            raise NotFound(
                f"topic {topic.topic_id!r} names queue {topic.queue_id!r}, "
                f"not a queue of tenant {tenant_id!r}"
            )

    def check(conn: Connection) -> None:
        wanted = {s for t in body.topics for s in t.skills}
        known = set(
            conn.execute(
                select(skills.c.skill_id).where(
                    skills.c.tenant_id == tenant_id, skills.c.skill_id.in_(wanted)
                )
            ).scalars()
        )
        if wanted - known:
            raise Invalid(f"unknown skills {sorted(wanted - known)}; create them first")
        if body.ivr_flow_id is not None:  # docs/voice.md, "IVR flows"
            load(conn, FLOWS, tenant_id, body.ivr_flow_id)

    now = host.clock.now()
    on_create = {"widget_key": "wk_" + secrets.token_urlsafe(12), "created_at": now}
    values = body.model_dump(exclude={"widget_id"})
    change = Change(tenant_id, widget_id, values, actor, now, on_create=on_create, check=check)
    return await save(host, WIDGETS, change)


async def delete_widget(host: EngineHost, tenant_id: str, widget_id: str, *, actor: str) -> None:
    """Removes the widget: its chats can no longer be reached by their customers."""
    await remove(host, WIDGETS, tenant_id, widget_id, actor=actor, at=host.clock.now())
