"""Webhooks a tenant registers for contact events, and the outcome of each delivery."""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, delete, insert, select, update

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt, reading
from headset.api.directory_events import directory_event
from headset.core.errors import NotFound
from headset.core.ids import new_id
from headset.service.operations import Operation
from headset.storage.tables import webhook_deliveries, webhooks
from headset.webhooks.model import validate_url

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/webhooks", tags=["webhooks"])


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(max_length=2000)
    #: Event types to send (e.g. routing.contact_queued); empty: every contact event.
    event_types: list[str] = Field(default=[], max_length=50)
    is_active: bool = True


async def _checked_url(url: str, rt: Any) -> str:
    """The URL if webhooks may go there; its host name is resolved in a worker thread."""
    return await asyncio.to_thread(
        validate_url, url, allow_internal=rt.settings.webhook_internal_targets
    )


def hook_body(row: Any, *, with_secret: bool = False) -> dict[str, Any]:
    body = {c: getattr(row, c) for c in [col.name for col in webhooks.c] if c not in ("secret",)}
    if with_secret:
        body["secret"] = row.secret
    return body


@router.get("")
def list_webhooks(tenant_id: str, who: Caller, rt: Rt) -> list[dict[str, Any]]:
    who.check(tenant_id, Permission.WEBHOOK_MANAGE)
    with reading(rt) as conn:
        rows = conn.execute(select(webhooks).where(webhooks.c.tenant_id == tenant_id))
        return [hook_body(r) for r in rows]


@router.post("", status_code=201)
async def create_webhook(tenant_id: str, body: WebhookIn, who: Caller, rt: Rt) -> dict[str, Any]:
    """Registers a URL; the signing secret is shown once, in this answer."""
    who.check(tenant_id, Permission.WEBHOOK_MANAGE)
    url = await _checked_url(body.url, rt)
    webhook_id = new_id("wh")
    values = {
        "tenant_id": tenant_id,
        "webhook_id": webhook_id,
        "url": url,
        "secret": secrets.token_urlsafe(32),
        "event_types": sorted(set(body.event_types)),
        "is_active": body.is_active,
        "created_at": rt.now(),
    }

    def write(conn: Connection) -> None:
        conn.execute(insert(webhooks).values(**values))

    event = directory_event(
        "webhook_created",
        tenant_id,
        f"webhook:{webhook_id}",
        {"webhook_id": webhook_id, "url": url},
        rt.now(),
        who,
    )
    await rt.host.submit(Operation(write=write, events=[event], actor=who.actor))
    return values


@router.patch("/{webhook_id}")
async def update_webhook(
    tenant_id: str, webhook_id: str, body: WebhookIn, who: Caller, rt: Rt
) -> dict[str, Any]:
    who.check(tenant_id, Permission.WEBHOOK_MANAGE)
    values = {
        "url": await _checked_url(body.url, rt),
        "event_types": sorted(set(body.event_types)),
        "is_active": body.is_active,
    }

    def write(conn: Connection) -> Any:
        where = (webhooks.c.tenant_id == tenant_id, webhooks.c.webhook_id == webhook_id)
        if conn.execute(update(webhooks).where(*where).values(**values)).rowcount == 0:
            raise NotFound(f"no webhook {webhook_id!r} in tenant {tenant_id!r}")
        return hook_body(conn.execute(select(webhooks).where(*where)).one())

    event = directory_event(
        "webhook_updated", tenant_id, f"webhook:{webhook_id}", values, rt.now(), who
    )
    outcome = await rt.host.submit(Operation(write=write, events=[event], actor=who.actor))
    return dict(outcome.written)


@router.delete("/{webhook_id}", status_code=204)
async def delete_webhook(tenant_id: str, webhook_id: str, who: Caller, rt: Rt) -> None:
    who.check(tenant_id, Permission.WEBHOOK_MANAGE)

    def write(conn: Connection) -> None:
        where = (webhooks.c.tenant_id == tenant_id, webhooks.c.webhook_id == webhook_id)
        if conn.execute(delete(webhooks).where(*where)).rowcount == 0:
            raise NotFound(f"no webhook {webhook_id!r} in tenant {tenant_id!r}")

    event = directory_event(
        "webhook_deleted",
        tenant_id,
        f"webhook:{webhook_id}",
        {"webhook_id": webhook_id},
        rt.now(),
        who,
    )
    await rt.host.submit(Operation(write=write, events=[event], actor=who.actor))


@router.get("/{webhook_id}/deliveries")
def deliveries(
    tenant_id: str,
    webhook_id: str,
    who: Caller,
    rt: Rt,
    limit: int = Query(default=50, ge=1, le=500),
) -> list[dict[str, Any]]:
    """The newest deliveries: status, attempts, last answer, next attempt."""
    who.check(tenant_id, Permission.WEBHOOK_MANAGE)
    d = webhook_deliveries.c
    with reading(rt) as conn:
        if (
            conn.execute(
                select(webhooks.c.webhook_id).where(
                    webhooks.c.tenant_id == tenant_id, webhooks.c.webhook_id == webhook_id
                )
            ).first()
            is None
        ):
            raise NotFound(f"no webhook {webhook_id!r} in tenant {tenant_id!r}")
        rows = conn.execute(
            select(webhook_deliveries)
            .where(d.tenant_id == tenant_id, d.webhook_id == webhook_id)
            .order_by(d.created_at.desc(), d.event_seq.desc())
            .limit(limit)
        )
        return [
            {c: getattr(r, c) for c in [col.name for col in webhook_deliveries.c] if c != "body"}
            for r in rows
        ]
