"""Chat widget settings: what the customer's widget shows and where each topic is routed."""

from __future__ import annotations

from fastapi import APIRouter

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt, reading
from headset.directory import widgets
from headset.directory.names import Slug
from headset.directory.widgets import WidgetIn, WidgetOut

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/widgets", tags=["chat widgets"])


@router.get("")
def list_widgets(tenant_id: str, who: Caller, rt: Rt) -> list[WidgetOut]:
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        return [WidgetOut(**w) for w in widgets.list_widgets(conn, tenant_id)]


@router.get("/{widget_id}")
def get_widget(tenant_id: str, widget_id: str, who: Caller, rt: Rt) -> WidgetOut:
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        return WidgetOut(**widgets.get_widget(conn, tenant_id, widget_id))


@router.put("/{widget_id}")
async def put_widget(
    tenant_id: str, widget_id: Slug, body: WidgetIn, who: Caller, rt: Rt
) -> WidgetOut:
    """Creates or replaces a widget; its public `widget_key` is made once and then kept."""
    who.check(tenant_id, Permission.WIDGET_MANAGE)
    saved = await widgets.save_widget(rt.host, tenant_id, widget_id, body, actor=who.actor)
    rt.chat.origins.clear()
    return WidgetOut(**saved)


@router.delete("/{widget_id}", status_code=204)
async def delete_widget(tenant_id: str, widget_id: str, who: Caller, rt: Rt) -> None:
    """Removes the widget: its chats can no longer be reached by their customers. To pause a
    widget, save it with `is_active: false` instead (running chats go on)."""
    who.check(tenant_id, Permission.WIDGET_MANAGE)
    await widgets.delete_widget(rt.host, tenant_id, widget_id, actor=who.actor)
    rt.chat.origins.clear()
