"""Webhooks a tenant registers for contact events, and the outcome of each delivery."""

from __future__ import annotations

import asyncio
import secrets
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, select

from headset.core.ids import new_id
from headset.directory.events import DirectoryEventType as E
from headset.directory.registrar import Change, Kind, columns_view, load, remove, save
from headset.service.host import EngineHost
from headset.storage.tables import webhook_deliveries, webhooks
from headset.webhooks.model import validate_url

HOOKS = Kind(
    webhooks, "webhook_id", "webhook", E.WEBHOOK_CREATED, E.WEBHOOK_DELETED,
    stream=lambda _, webhook_id: f"webhook:{webhook_id}",
    view=columns_view(webhooks, "secret"),
)  # fmt: skip


class WebhookIn(BaseModel):
    """A webhook as clients send it."""

    model_config = ConfigDict(extra="forbid")
    url: str = Field(max_length=2000)
    #: Event types to send (e.g. routing.contact_queued); empty: every contact event.
    event_types: list[str] = Field(default=[], max_length=50)
    is_active: bool = True


class WebhookOut(BaseModel):
    """A stored webhook, without its signing secret."""

    tenant_id: str
    webhook_id: str
    url: str
    event_types: list[str]
    is_active: bool
    created_at: datetime


class WebhookMade(WebhookOut):
    """A webhook just registered, with its signing secret: shown this once."""

    secret: str


class DeliveryOut(BaseModel):
    """One delivery of an event to a webhook."""

    delivery_id: str
    tenant_id: str
    webhook_id: str
    event_seq: int
    event_type: str
    attempt: int
    status: str
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime


def list_webhooks(conn: Connection, tenant_id: str) -> list[dict[str, Any]]:
    """The tenant's webhooks, without their signing secrets."""
    rows = conn.execute(select(webhooks).where(webhooks.c.tenant_id == tenant_id))
    return [{"tenant_id": tenant_id, **HOOKS.view(r)} for r in rows]


async def _values(body: WebhookIn, allow_internal: bool) -> dict[str, Any]:
    # the URL's host name is resolved to refuse internal targets: in a worker thread
    url = await asyncio.to_thread(validate_url, body.url, allow_internal=allow_internal)
    return {"url": url, "event_types": sorted(set(body.event_types)), "is_active": body.is_active}


async def create_webhook(
    host: EngineHost, tenant_id: str, body: WebhookIn, *, actor: str, allow_internal: bool = False
) -> dict[str, Any]:
    """Registers a URL webhooks may go to; the answer holds the signing secret, shown once."""
    webhook_id, now = new_id("wh"), host.clock.now()
    values = {**await _values(body, allow_internal), "secret": secrets.token_urlsafe(32),
              "created_at": now}  # fmt: skip
    url = values["url"]
    data = {"webhook_id": webhook_id, "url": url}
    await save(host, HOOKS, Change(tenant_id, webhook_id, values, actor, now, "create", data=data))
    return {"tenant_id": tenant_id, "webhook_id": webhook_id, **values}


async def update_webhook(
    host: EngineHost,
    tenant_id: str,
    webhook_id: str,
    body: WebhookIn,
    *,
    actor: str,
    allow_internal: bool = False,
) -> dict[str, Any]:
    """Changes a webhook's URL, event types and whether it is active."""
    values, now = await _values(body, allow_internal), host.clock.now()
    change = Change(
        tenant_id, webhook_id, values, actor, now, "update", data=values, event=E.WEBHOOK_UPDATED
    )
    return {"tenant_id": tenant_id, **await save(host, HOOKS, change)}


async def delete_webhook(host: EngineHost, tenant_id: str, webhook_id: str, *, actor: str) -> None:
    """Deletes a webhook of the tenant."""
    await remove(host, HOOKS, tenant_id, webhook_id, actor=actor, at=host.clock.now())


def deliveries(
    conn: Connection, tenant_id: str, webhook_id: str, limit: int
) -> list[dict[str, Any]]:
    """The webhook's newest deliveries: status, attempts, last answer, next attempt."""
    load(conn, HOOKS, tenant_id, webhook_id)
    d = webhook_deliveries.c
    rows = conn.execute(
        select(webhook_deliveries)
        .where(d.tenant_id == tenant_id, d.webhook_id == webhook_id)
        .order_by(d.created_at.desc(), d.event_seq.desc())
        .limit(limit)
    )
    shown = [c.name for c in webhook_deliveries.c if c.name != "body"]
    return [{name: getattr(r, name) for name in shown} for r in rows]
