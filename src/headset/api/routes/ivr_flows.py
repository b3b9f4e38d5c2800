"""IVR flows and uploaded prompts of a tenant: steps as data, validated with field paths.

See docs/voice.md, "IVR flows"; the actions are directory/ivr.py.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt, reading
from headset.core.errors import Invalid
from headset.directory import ivr
from headset.directory.ivr import FlowOut, PromptOut
from headset.directory.names import Slug

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}", tags=["voice (admin)"])


@router.get("/ivr-flows")
def list_flows(tenant_id: str, who: Caller, rt: Rt) -> list[FlowOut]:
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        return [FlowOut(**f) for f in ivr.list_flows(conn, tenant_id)]


@router.get("/ivr-flows/{flow_id}")
def get_flow(tenant_id: str, flow_id: str, who: Caller, rt: Rt) -> FlowOut:
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        return FlowOut(**ivr.get_flow(conn, tenant_id, flow_id))


@router.put("/ivr-flows/{flow_id}")
async def put_flow(tenant_id: str, flow_id: Slug, request: Request, who: Caller, rt: Rt) -> FlowOut:
    """Creates or replaces a flow: `{"name", "steps": [...]}`; 422 names the field path."""
    who.check(tenant_id, Permission.CONFIG_MANAGE)
    try:
        data = await request.json()
    except ValueError:
        raise Invalid("send the flow as JSON: {name, steps}") from None
    return FlowOut(**await ivr.save_flow(rt.host, tenant_id, flow_id, data, actor=who.actor))


@router.delete("/ivr-flows/{flow_id}", status_code=204)
async def delete_flow(tenant_id: str, flow_id: str, who: Caller, rt: Rt) -> None:
    who.check(tenant_id, Permission.CONFIG_MANAGE)
    await ivr.delete_flow(rt.host, tenant_id, flow_id, actor=who.actor)


@router.get("/prompts")
def list_prompts(tenant_id: str, who: Caller, rt: Rt) -> list[PromptOut]:
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        return [PromptOut(**p) for p in ivr.list_prompts(conn, tenant_id)]


@router.put("/prompts/{prompt_id}")
async def put_prompt(
    tenant_id: str,
    prompt_id: Slug,
    request: Request,
    who: Caller,
    rt: Rt,
    name: str = Query(default="", max_length=200),
) -> PromptOut:
    """The request body is the WAV file itself; it replaces an earlier upload of the id."""
    who.check(tenant_id, Permission.CONFIG_MANAGE)
    content = await request.body()
    saved = await ivr.save_prompt(rt.host, tenant_id, prompt_id, name, content, actor=who.actor)
    return PromptOut(**saved)


@router.delete("/prompts/{prompt_id}", status_code=204)
async def delete_prompt(tenant_id: str, prompt_id: str, who: Caller, rt: Rt) -> None:
    """Removes an uploaded prompt that no IVR flow plays any more."""
    who.check(tenant_id, Permission.CONFIG_MANAGE)
    await ivr.delete_prompt(rt.host, tenant_id, prompt_id, actor=who.actor)
