"""Chat widget settings: what the customer's widget shows and where each topic is routed."""

from __future__ import annotations

import re
import secrets
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import Connection, delete, insert, select, update

from headset.access.permissions import Permission
from headset.api.deps import Caller, Name, Rt, Slug, reading, tenant_row
from headset.api.directory_events import directory_event
from headset.core.errors import Conflict, Invalid, NotFound
from headset.service.operations import Operation
from headset.storage.tables import chat_widgets, ivr_flows, skills

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/widgets", tags=["chat widgets"])


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
        out = []
        for origin in value:
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
            out.append(f"{parts.scheme}://{parts.netloc}".lower())
        return out

    @model_validator(mode="after")
    def _unique_topics(self) -> WidgetIn:
        ids = [t.topic_id for t in self.topics]
        if len(set(ids)) != len(ids):
            raise ValueError("each topic needs its own topic_id")
        return self


def widget_body(row: Any) -> dict[str, Any]:
    return {c.name: getattr(row, c.name) for c in chat_widgets.c if c.name != "tenant_id"}


def _one(conn: Connection, tenant_id: str, widget_id: str) -> Any:
    return tenant_row(conn, chat_widgets, "widget_id", tenant_id, widget_id, "chat widget")


@router.get("")
def list_widgets(tenant_id: str, who: Caller, rt: Rt) -> list[dict[str, Any]]:
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        rows = conn.execute(
            select(chat_widgets)
            .where(chat_widgets.c.tenant_id == tenant_id)
            .order_by(chat_widgets.c.widget_id)
        )
        return [widget_body(r) for r in rows]


@router.get("/{widget_id}")
def get_widget(tenant_id: str, widget_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        return widget_body(_one(conn, tenant_id, widget_id))


@router.put("/{widget_id}")
async def put_widget(
    tenant_id: str, widget_id: Slug, body: WidgetIn, who: Caller, rt: Rt
) -> dict[str, Any]:
    """Creates or replaces a widget; its public `widget_key` is made once and then kept."""
    who.check(tenant_id, Permission.WIDGET_MANAGE)
    if body.widget_id is not None and body.widget_id != widget_id:
        raise Conflict(f"the body's widget_id {body.widget_id!r} differs from the URL's")
    for topic in body.topics:
        if rt.host.tenancy.queues.get(topic.queue_id) != tenant_id:
            raise NotFound(
                f"topic {topic.topic_id!r} names queue {topic.queue_id!r}, "
                f"not a queue of tenant {tenant_id!r}"
            )
    values = body.model_dump(exclude={"widget_id"})
    now = rt.now()

    def write(conn: Connection) -> dict[str, Any]:
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
            tenant_row(conn, ivr_flows, "flow_id", tenant_id, body.ivr_flow_id, "IVR flow")
        keys = {"tenant_id": tenant_id, "widget_id": widget_id}
        found = conn.execute(
            select(chat_widgets.c.widget_id).where(
                chat_widgets.c.tenant_id == tenant_id, chat_widgets.c.widget_id == widget_id
            )
        ).first()
        if found is None:
            conn.execute(
                insert(chat_widgets).values(
                    **keys, widget_key="wk_" + secrets.token_urlsafe(12), created_at=now, **values
                )
            )
        else:
            conn.execute(
                update(chat_widgets)
                .where(chat_widgets.c.tenant_id == tenant_id, chat_widgets.c.widget_id == widget_id)
                .values(**values)
            )
        return widget_body(_one(conn, tenant_id, widget_id))

    event = directory_event(
        "chat_widget_saved", tenant_id, f"widget:{widget_id}", {"widget_id": widget_id}, now, who
    )
    outcome = await rt.host.submit(
        Operation(write=write, events=[event], tenant_id=tenant_id, actor=who.actor)
    )
    rt.chat.origins.clear()
    return dict(outcome.written)


@router.delete("/{widget_id}", status_code=204)
async def delete_widget(tenant_id: str, widget_id: str, who: Caller, rt: Rt) -> None:
    """Removes the widget: its chats can no longer be reached by their customers. To pause a
    widget, save it with `is_active: false` instead (running chats go on)."""
    who.check(tenant_id, Permission.WIDGET_MANAGE)

    def write(conn: Connection) -> None:
        _one(conn, tenant_id, widget_id)
        conn.execute(
            delete(chat_widgets).where(
                chat_widgets.c.tenant_id == tenant_id, chat_widgets.c.widget_id == widget_id
            )
        )

    event = directory_event(
        "chat_widget_deleted",
        tenant_id,
        f"widget:{widget_id}",
        {"widget_id": widget_id},
        rt.now(),
        who,
    )
    await rt.host.submit(
        Operation(write=write, events=[event], tenant_id=tenant_id, actor=who.actor)
    )
    rt.chat.origins.clear()
