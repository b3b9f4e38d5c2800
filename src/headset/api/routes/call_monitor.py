"""A supervisor on a live call: listen, whisper, barge (a third leg and its mix plan), leave,
take over.

Permissions are chat's: monitor for listen, whisper for whisper, barge for barge, take-over
for take-over; team leaders reach the calls of the teams they lead. Each join and switch is a
stored `voice.supervisor_joined {"mode"}` event, which also tells the agent. See docs/voice.md.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from headset.access.permissions import Permission, Scope
from headset.api import call_models as out
from headset.api.deps import Caller, Rt
from headset.api.principal import Principal
from headset.api.runtime import Runtime
from headset.core.errors import Conflict, Forbidden
from headset.voice.board import running
from headset.voice.live_call import JoinedLeg, LiveCall

router = APIRouter(
    prefix="/api/v1/tenants/{tenant_id}/calls/{call_id}", tags=["calls (supervisors)"]
)

_PERMISSION = {
    "listen": Permission.CHAT_MONITOR,
    "whisper": Permission.CHAT_WHISPER,
    "barge": Permission.CHAT_BARGE,
}
MODE = "^(listen|whisper|barge)$"


def _reach(rt: Runtime, who: Principal, tenant_id: str, call_id: str, mode: str) -> LiveCall:
    scope = who.check(tenant_id, _PERMISSION.get(mode, Permission.CHAT_TAKE_OVER))
    call = running(rt.switchboard).live(tenant_id, call_id)
    if scope is Scope.TEAM:
        place = rt.host.tenancy.agents.get(call.state.agent_id or "")
        if place is None or place[1] not in who.led_teams:
            raise Forbidden("this call is answered outside your teams")
    if who.user_id is None:
        raise Forbidden("an API token cannot join a call; sign in as a person")
    return call


class MonitorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mode: str = Field(pattern=MODE)
    sdp: str = Field(min_length=10, max_length=20_000)


@router.post("/monitor", status_code=201)
async def monitor(tenant_id: str, call_id: str, body: MonitorIn, who: Caller, rt: Rt) -> JoinedLeg:
    """The supervisor's browser joins the call in `mode`; the answer SDP comes back."""
    call = _reach(rt, who, tenant_id, call_id, body.mode)
    assert who.user_id is not None
    supervision = running(rt.switchboard).supervision
    return await supervision.join(call, who.user_id, body.mode, body.sdp, who.actor)


class ModeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    mode: str = Field(pattern=MODE)


@router.post("/monitor/{leg_id}")
async def switch(
    tenant_id: str, call_id: str, leg_id: str, body: ModeIn, who: Caller, rt: Rt
) -> out.MonitorModeOut:
    call = _reach(rt, who, tenant_id, call_id, body.mode)
    assert who.user_id is not None
    _own_leg(call, who)
    await running(rt.switchboard).supervision.switch(
        call, leg_id, who.user_id, body.mode, who.actor
    )
    return out.MonitorModeOut(leg_id=leg_id, mode=body.mode)


def _own_leg(call: LiveCall, who: Principal) -> None:
    if call.state.supervisor_user_id not in (None, who.user_id):
        raise Conflict("another supervisor is on this call")


@router.delete("/monitor/{leg_id}")
async def leave(tenant_id: str, call_id: str, leg_id: str, who: Caller, rt: Rt) -> out.LegStatusOut:
    call = _reach(rt, who, tenant_id, call_id, "listen")
    _own_leg(call, who)
    await running(rt.switchboard).supervision.leave(call, leg_id, who.actor)
    return out.LegStatusOut(leg_id=leg_id, status="left")


@router.post("/take-over")
async def take_over(tenant_id: str, call_id: str, who: Caller, rt: Rt) -> out.TakenOverOut:
    """The supervisor's leg becomes the agent's: the engine connects the call to the
    supervisor's own agent and releases the other agent to wrap-up, in one operation."""
    call = _reach(rt, who, tenant_id, call_id, "take_over")
    _own_leg(call, who)
    assert who.user_id is not None
    supervision = running(rt.switchboard).supervision
    released = await supervision.take_over(call, who.user_id, who.agent_id, who.actor)
    assert who.agent_id is not None  # the take-over refuses a supervisor without an agent
    return out.TakenOverOut(call_id=call_id, agent_id=who.agent_id, released_agent_id=released)
