"""Calls for signed-in agents: the softphone, the agent's leg, hold, mute, transfer, hang-up.

Only the agent the engine connected a call to acts on it (409 for anyone else); every step
is a stored `voice.*` event on the contact's timeline. See docs/voice.md, "Call control";
the actions are the switchboard's (voice/).
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission
from headset.api import call_models as out
from headset.api.deps import Caller, Rt
from headset.api.principal import Principal
from headset.api.runtime import Runtime
from headset.calls import call as cc
from headset.core.errors import Conflict
from headset.voice.board import running
from headset.voice.call_view import CallView, call_view, stored_call
from headset.voice.consultations import Consult
from headset.voice.live_call import JoinedLeg

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}", tags=["calls"])


@router.get("/voice/config")
def voice_config(tenant_id: str, who: Caller, rt: Rt) -> out.VoiceConfigOut:
    """What the softphone needs: the ICE servers, and whether the caller's agent is
    registered. Supervisors read it too (their monitor leg needs the ICE servers)."""
    who.check(tenant_id, Permission.CONTACT_READ)
    board = rt.switchboard
    servers = list(board.media_settings.ice_servers) if board else []
    registered = bool(board and who.agent_id and who.agent_id in board.softphones.registered)
    return out.VoiceConfigOut(
        enabled=board is not None,
        ice_servers=[out.IceServer(urls=u) for u in servers],
        registered=registered,
    )


class SoftphoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    registered: bool


@router.put("/agents/{agent_id}/softphone")
async def softphone(
    tenant_id: str, agent_id: str, body: SoftphoneIn, who: Caller, rt: Rt
) -> out.SoftphoneOut:
    """Registers (or unregisters) the agent's softphone: voice offers go to registered
    agents only."""
    board = running(rt.switchboard)
    on = await board.softphones.register(who, tenant_id, agent_id, body.registered)
    return out.SoftphoneOut(agent_id=agent_id, registered=on)


@router.get("/calls/{call_id}")
async def get_call(tenant_id: str, call_id: str, who: Caller, rt: Rt) -> CallView:
    """The call now: status, mode, talk and hold so far, recording, supervisor, legs."""
    scope = who.check(tenant_id, Permission.CONTACT_READ)
    row, stored = await run_in_threadpool(stored_call, rt.reader, tenant_id, call_id, scope, who)
    board = rt.switchboard
    call = board.calls.get(call_id) if board is not None else None
    return call_view(row, stored, call, rt.now())


class LegIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sdp: str = Field(min_length=10, max_length=20_000)


@router.post("/calls/{call_id}/legs", status_code=201)
async def join(tenant_id: str, call_id: str, body: LegIn, who: Caller, rt: Rt) -> JoinedLeg:
    """The connected agent's browser joins the call's media; the answer SDP comes back.
    With a consultation's id, the consulted agent joins the call it is about."""
    who.check(tenant_id, Permission.CONTACT_HANDLE)
    board = running(rt.switchboard)
    parent = board.consults.consulting(tenant_id, call_id)
    if parent is not None:
        if who.agent_id is None:
            raise Conflict("only an agent joins a consultation")
        return await board.consults.join(parent, call_id, who.agent_id, body.sdp)
    call = running(rt.switchboard).agents.mine(who, tenant_id, call_id)
    assert who.agent_id is not None
    return await board.agents.join(call, who.agent_id, body.sdp, who.actor)


class ConsultIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    queue_id: str | None = Field(default=None, max_length=64)
    agent_id: str | None = Field(default=None, max_length=64)
    team_leader: bool = False


@router.post("/calls/{call_id}/consultations", status_code=201)
async def consult(
    tenant_id: str, call_id: str, body: ConsultIn, who: Caller, rt: Rt
) -> out.ConsultationOut:
    """The customer holds; the target (a queue, an agent, any team leader) is offered a
    consultation, joins it with `/calls/{consultation_id}/legs` and talks with the agent."""
    call = running(rt.switchboard).agents.mine(who, tenant_id, call_id)
    who.check(tenant_id, Permission.CONTACT_TRANSFER)
    target = Consult(body.queue_id, body.agent_id, body.team_leader)
    consultations = running(rt.switchboard).consults
    consultation_id = await consultations.consult(call, target, who.agent_id, who.actor)
    return out.ConsultationOut(consultation_id=consultation_id)


@router.post("/calls/{call_id}/consultations/{consultation_id}/complete")
async def complete(
    tenant_id: str, call_id: str, consultation_id: str, who: Caller, rt: Rt
) -> out.CompletedOut:
    """The consulted agent takes the customer; you are released to wrap-up."""
    call = running(rt.switchboard).agents.mine(who, tenant_id, call_id)
    target = await running(rt.switchboard).consults.complete(call, consultation_id, who.actor)
    return out.CompletedOut(call_id=call_id, agent_id=target, status="transferred")


@router.post("/calls/{call_id}/consultations/{consultation_id}/conference")
async def conference(
    tenant_id: str, call_id: str, consultation_id: str, who: Caller, rt: Rt
) -> out.CallModeOut:
    """Three-way: the customer, you and the consulted agent all hear each other."""
    call = running(rt.switchboard).agents.mine(who, tenant_id, call_id)
    await running(rt.switchboard).consults.conference(call, consultation_id, who.actor)
    return out.CallModeOut(call_id=call_id, mode="conference")


@router.post("/calls/{call_id}/consultations/{consultation_id}/cancel")
async def cancel(
    tenant_id: str, call_id: str, consultation_id: str, who: Caller, rt: Rt
) -> out.CallModeOut:
    """Back to the customer: the consulted agent leaves."""
    call = running(rt.switchboard).agents.mine(who, tenant_id, call_id)
    await running(rt.switchboard).consults.cancel(call, consultation_id, who.actor)
    return out.CallModeOut(call_id=call_id, mode="connected")


async def _change(
    rt: Runtime, who: Principal, tenant_id: str, call_id: str, command: cc.CallCommand
) -> out.CallControlOut:
    call = running(rt.switchboard).agents.mine(who, tenant_id, call_id)
    await running(rt.switchboard).agents.change(call, command, who.actor)
    s = call.state
    return out.CallControlOut(call_id=call_id, status=s.status.value, is_muted=s.is_muted)


@router.post("/calls/{call_id}/hold")
async def hold(tenant_id: str, call_id: str, who: Caller, rt: Rt) -> out.CallControlOut:
    """The customer hears music, the agent silence; hold time runs."""
    return await _change(rt, who, tenant_id, call_id, cc.Hold())


@router.post("/calls/{call_id}/resume")
async def resume(tenant_id: str, call_id: str, who: Caller, rt: Rt) -> out.CallControlOut:
    return await _change(rt, who, tenant_id, call_id, cc.Resume())


@router.post("/calls/{call_id}/mute")
async def mute(tenant_id: str, call_id: str, who: Caller, rt: Rt) -> out.CallControlOut:
    """The customer stops hearing the agent."""
    return await _change(rt, who, tenant_id, call_id, cc.Mute())


@router.post("/calls/{call_id}/unmute")
async def unmute(tenant_id: str, call_id: str, who: Caller, rt: Rt) -> out.CallControlOut:
    return await _change(rt, who, tenant_id, call_id, cc.Unmute())


@router.post("/calls/{call_id}/hang-up")
async def hang_up(tenant_id: str, call_id: str, who: Caller, rt: Rt) -> out.CallStatusOut:
    """The agent ends the call: the contact goes to wrap-up."""
    call = running(rt.switchboard).agents.mine(who, tenant_id, call_id)
    await running(rt.switchboard).ending.hang_up(call, "agent", who.actor)
    return out.CallStatusOut(call_id=call_id, status="ended")


class TransferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    queue_id: str | None = Field(default=None, max_length=64)
    agent_id: str | None = Field(default=None, max_length=64)
    mode: str = Field(default="blind", pattern="^blind$")


@router.post("/calls/{call_id}/transfer")
async def transfer(
    tenant_id: str, call_id: str, body: TransferIn, who: Caller, rt: Rt
) -> out.CallStatusOut:
    """A blind transfer: the agent leaves at once (wrap-up), the caller waits for the target
    with music."""
    call = running(rt.switchboard).agents.mine(who, tenant_id, call_id)
    who.check(tenant_id, Permission.CONTACT_TRANSFER)
    await running(rt.switchboard).agents.transfer(call, body.queue_id, body.agent_id, who.actor)
    return out.CallStatusOut(call_id=call_id, status=call.state.status.value)
