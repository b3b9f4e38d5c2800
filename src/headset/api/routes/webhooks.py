"""Webhooks a tenant registers for contact events, and the outcome of each delivery."""

from __future__ import annotations

from fastapi import APIRouter, Query

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt, reading
from headset.directory import webhooks
from headset.directory.webhooks import DeliveryOut, WebhookIn, WebhookMade, WebhookOut

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/webhooks", tags=["webhooks"])


@router.get("")
def list_webhooks(tenant_id: str, who: Caller, rt: Rt) -> list[WebhookOut]:
    who.check(tenant_id, Permission.WEBHOOK_MANAGE)
    with reading(rt) as conn:
        return [WebhookOut(**w) for w in webhooks.list_webhooks(conn, tenant_id)]


@router.post("", status_code=201)
async def create_webhook(tenant_id: str, body: WebhookIn, who: Caller, rt: Rt) -> WebhookMade:
    """Registers a URL; the signing secret is shown once, in this answer."""
    who.check(tenant_id, Permission.WEBHOOK_MANAGE)
    made = await webhooks.create_webhook(
        rt.host, tenant_id, body, actor=who.actor,
        allow_internal=rt.settings.webhook_internal_targets,
    )  # fmt: skip
    return WebhookMade(**made)


@router.patch("/{webhook_id}")
async def update_webhook(
    tenant_id: str, webhook_id: str, body: WebhookIn, who: Caller, rt: Rt
) -> WebhookOut:
    who.check(tenant_id, Permission.WEBHOOK_MANAGE)
    saved = await webhooks.update_webhook(
        rt.host, tenant_id, webhook_id, body, actor=who.actor,
        allow_internal=rt.settings.webhook_internal_targets,
    )  # fmt: skip
    return WebhookOut(**saved)


@router.delete("/{webhook_id}", status_code=204)
async def delete_webhook(tenant_id: str, webhook_id: str, who: Caller, rt: Rt) -> None:
    who.check(tenant_id, Permission.WEBHOOK_MANAGE)
    await webhooks.delete_webhook(rt.host, tenant_id, webhook_id, actor=who.actor)


@router.get("/{webhook_id}/deliveries")
def deliveries(
    tenant_id: str,
    webhook_id: str,
    who: Caller,
    rt: Rt,
    limit: int = Query(default=50, ge=1, le=500),
) -> list[DeliveryOut]:
    """The newest deliveries: status, attempts, last answer, next attempt."""
    who.check(tenant_id, Permission.WEBHOOK_MANAGE)
    with reading(rt) as conn:
        found = webhooks.deliveries(conn, tenant_id, webhook_id, limit)
    return [DeliveryOut(**d) for d in found]
