"""Calls for signed-in agents: the softphone, the agent's leg, hold, mute, transfer, hang-up.

Only the agent the engine connected a call to acts on it (409 for anyone else); every step
is a stored `voice.*` event on the contact's timeline. See docs/voice.md, "Call control".
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt, reading
from headset.api.principal import Principal
from headset.api.routes.agents import visible
from headset.api.routes.contacts import load_contact
from headset.api.routes.voice_customer import board_of
from headset.api.runtime import Runtime
from headset.calls import call as cc
from headset.calls.call import CallStatus
from headset.calls.events import CallEvent
from headset.calls.times import call_times
from headset.core.errors import Conflict, Forbidden, Invalid, NotFound
from headset.routing.model import Channel
from headset.routing.records import ContactStatus
from headset.storage.tables import events
from headset.voice.board import LiveCall

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}", tags=["calls"])

#: A stored contact's status as a call's, for a call the switchboard no longer holds.
_ROW_STATUS = {
    ContactStatus.IVR: CallStatus.IVR,
    ContactStatus.WAITING: CallStatus.QUEUED,
    ContactStatus.OFFERED: CallStatus.RINGING,
    ContactStatus.CONNECTED: CallStatus.CONNECTED,
}


@router.get("/voice/config")
def voice_config(tenant_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    """What the softphone needs: the ICE servers, and whether the caller's agent is
    registered. Supervisors read it too (their monitor leg needs the ICE servers)."""
    who.check(tenant_id, Permission.CONTACT_READ)
    board = rt.switchboard
    servers = list(board.media_settings.ice_servers) if board else []
    registered = bool(board and who.agent_id and who.agent_id in board.softphones.registered)
    return {
        "enabled": board is not None,
        "ice_servers": [{"urls": u} for u in servers],
        "registered": registered,
    }


class SoftphoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    registered: bool


@router.put("/agents/{agent_id}/softphone")
async def softphone(
    tenant_id: str, agent_id: str, body: SoftphoneIn, who: Caller, rt: Rt
) -> dict[str, Any]:
    """Registers (or unregisters) the agent's softphone: voice offers go to registered
    agents only."""
    place = rt.host.tenancy.agents.get(agent_id)
    if agent_id == who.agent_id:
        who.check(tenant_id, Permission.AGENT_STATE_OWN)
    else:
        scope = who.check(tenant_id, Permission.AGENT_STATE_ANY)
        if place is not None and not visible(scope, who, agent_id, place[1]):
            raise Forbidden("you may register the softphones of your own teams' agents only")
    if place is None or place[0] != tenant_id:
        raise NotFound(f"no agent {agent_id!r} in tenant {tenant_id!r}")
    board = board_of(rt)
    on = await board.softphones.set_registered(agent_id, tenant_id, body.registered, who.actor)
    return {"agent_id": agent_id, "registered": on}


def _voice_row(rt: Runtime, who: Principal, tenant_id: str, call_id: str) -> Any:
    scope = who.check(tenant_id, Permission.CONTACT_READ)
    with reading(rt) as conn:
        row = load_contact(conn, tenant_id, call_id, scope, who)
        if row.channel != Channel.VOICE.value:
            raise NotFound(f"contact {call_id!r} is not a call")
        stored = conn.execute(
            select(events.c.type, events.c.occurred_at, events.c.payload)
            .where(events.c.stream_id == f"contact:{call_id}", events.c.type.like("voice.%"))
            .order_by(events.c.seq)
        ).all()
    return row, [CallEvent(e.type, e.occurred_at, dict(e.payload)) for e in stored]


@router.get("/calls/{call_id}")
async def get_call(tenant_id: str, call_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    """The call now: status, mode, talk and hold so far, recording, supervisor, legs."""
    row, stored = await run_in_threadpool(_voice_row, rt, who, tenant_id, call_id)
    board = rt.switchboard
    call = board.calls.get(call_id) if board is not None else None
    now = rt.now()
    if call is not None:
        s = call.state
        status = s.status.value
        legs = call.legs()
        supervisor = (
            {"user_id": s.supervisor_user_id, "mode": s.supervisor_mode}
            if s.supervisor_user_id
            else None
        )
        answered_at, talk, hold, recording = (
            s.answered_at,
            s.talk_until(now),
            s.hold_until(now),
            s.recording.value,
        )
    else:
        times = call_times(call_id, stored, now)
        status = _ROW_STATUS.get(row.status, CallStatus.ENDED).value
        legs, supervisor, recording = [], None, "off"
        answered_at, talk, hold = times.answered_at or row.answered_at, times.talk, times.hold
    mode = "hold" if status == "held" else "connected"
    if call is not None and call.is_conference:
        mode = "conference"
    return {
        "call_id": call_id,
        "status": status,
        "mode": mode,
        "agent_id": row.agent_id,
        "answered_at": answered_at.isoformat() if answered_at else None,
        "talk_s": round(talk.total_seconds(), 3),
        "hold_s": round(hold.total_seconds(), 3),
        "recording": {"state": recording},
        "supervisor": supervisor,
        "legs": legs,
    }


def mine(rt: Runtime, who: Principal, tenant_id: str, call_id: str) -> LiveCall:
    """The live call, if the caller's agent is the one connected to it (409 otherwise)."""
    who.check(tenant_id, Permission.CONTACT_HANDLE)
    board = board_of(rt)
    call = board.live(tenant_id, call_id)
    contact = rt.host.engine.state.contacts.get(call_id)
    agent_id = contact.agent_id if contact is not None else None
    if who.agent_id is None or agent_id != who.agent_id:
        raise Conflict(f"call {call_id!r} is not connected to your agent")
    return call


class LegIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sdp: str = Field(min_length=10, max_length=20_000)


@router.post("/calls/{call_id}/legs", status_code=201)
async def join(tenant_id: str, call_id: str, body: LegIn, who: Caller, rt: Rt) -> dict[str, str]:
    """The connected agent's browser joins the call's media; the answer SDP comes back.
    With a consultation's id, the consulted agent joins the call it is about."""
    who.check(tenant_id, Permission.CONTACT_HANDLE)
    board = board_of(rt)
    parent = board.consulting(tenant_id, call_id)
    if parent is not None:
        if who.agent_id is None:
            raise Conflict("only an agent joins a consultation")
        return await board.join_consultation(parent, call_id, who.agent_id, body.sdp)
    call = mine(rt, who, tenant_id, call_id)
    assert who.agent_id is not None
    return await board.join_agent(call, who.agent_id, body.sdp, who.actor)


class ConsultIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    queue_id: str | None = Field(default=None, max_length=64)
    agent_id: str | None = Field(default=None, max_length=64)
    team_leader: bool = False


@router.post("/calls/{call_id}/consultations", status_code=201)
async def consult(
    tenant_id: str, call_id: str, body: ConsultIn, who: Caller, rt: Rt
) -> dict[str, str]:
    """The customer holds; the target (a queue, an agent, any team leader) is offered a
    consultation, joins it with `/calls/{consultation_id}/legs` and talks with the agent."""
    call = mine(rt, who, tenant_id, call_id)
    who.check(tenant_id, Permission.CONTACT_TRANSFER)
    if sum((body.queue_id is not None, body.agent_id is not None, body.team_leader)) != 1:
        raise Invalid("consult exactly one of queue_id, agent_id or team_leader", field="queue_id")
    _check_target(rt, tenant_id, body.queue_id, body.agent_id)
    if body.agent_id is not None and body.agent_id == who.agent_id:
        raise Invalid("consult someone else", field="agent_id")
    consultation_id = await board_of(rt).consult(
        call,
        queue_id=body.queue_id,
        agent_id=body.agent_id,
        team_leader=body.team_leader,
        actor=who.actor,
    )
    return {"consultation_id": consultation_id}


@router.post("/calls/{call_id}/consultations/{consultation_id}/complete")
async def complete(
    tenant_id: str, call_id: str, consultation_id: str, who: Caller, rt: Rt
) -> dict[str, Any]:
    """The consulted agent takes the customer; you are released to wrap-up."""
    call = mine(rt, who, tenant_id, call_id)
    target = await board_of(rt).complete(call, consultation_id, who.actor)
    return {"call_id": call_id, "agent_id": target, "status": "transferred"}


@router.post("/calls/{call_id}/consultations/{consultation_id}/conference")
async def conference(
    tenant_id: str, call_id: str, consultation_id: str, who: Caller, rt: Rt
) -> dict[str, Any]:
    """Three-way: the customer, you and the consulted agent all hear each other."""
    call = mine(rt, who, tenant_id, call_id)
    await board_of(rt).conference(call, consultation_id, who.actor)
    return {"call_id": call_id, "mode": "conference"}


@router.post("/calls/{call_id}/consultations/{consultation_id}/cancel")
async def cancel(
    tenant_id: str, call_id: str, consultation_id: str, who: Caller, rt: Rt
) -> dict[str, Any]:
    """Back to the customer: the consulted agent leaves."""
    call = mine(rt, who, tenant_id, call_id)
    await board_of(rt).cancel_consultation(call, consultation_id, who.actor)
    return {"call_id": call_id, "mode": "connected"}


def _check_target(rt: Runtime, tenant_id: str, queue_id: str | None, agent_id: str | None) -> None:
    tenancy = rt.host.tenancy
    if queue_id is not None and tenancy.queues.get(queue_id) != tenant_id:
        raise NotFound(f"no queue {queue_id!r} in tenant {tenant_id!r}", field="queue_id")
    if agent_id is not None:
        place = tenancy.agents.get(agent_id)
        if place is None or place[0] != tenant_id:
            raise NotFound(f"no agent {agent_id!r} in tenant {tenant_id!r}", field="agent_id")


async def _change(
    rt: Runtime, who: Principal, tenant_id: str, call_id: str, command: cc.CallCommand
) -> dict[str, Any]:
    call = mine(rt, who, tenant_id, call_id)
    await board_of(rt).change(call, command, who.actor)
    return {"call_id": call_id, "status": call.state.status.value, "is_muted": call.state.is_muted}


@router.post("/calls/{call_id}/hold")
async def hold(tenant_id: str, call_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    """The customer hears music, the agent silence; hold time runs."""
    return await _change(rt, who, tenant_id, call_id, cc.Hold())


@router.post("/calls/{call_id}/resume")
async def resume(tenant_id: str, call_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    return await _change(rt, who, tenant_id, call_id, cc.Resume())


@router.post("/calls/{call_id}/mute")
async def mute(tenant_id: str, call_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    """The customer stops hearing the agent."""
    return await _change(rt, who, tenant_id, call_id, cc.Mute())


@router.post("/calls/{call_id}/unmute")
async def unmute(tenant_id: str, call_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    return await _change(rt, who, tenant_id, call_id, cc.Unmute())


@router.post("/calls/{call_id}/hang-up")
async def hang_up(tenant_id: str, call_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    """The agent ends the call: the contact goes to wrap-up."""
    call = mine(rt, who, tenant_id, call_id)
    await board_of(rt).hang_up(call, "agent", who.actor)
    return {"call_id": call_id, "status": "ended"}


class TransferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    queue_id: str | None = Field(default=None, max_length=64)
    agent_id: str | None = Field(default=None, max_length=64)
    mode: str = Field(default="blind", pattern="^blind$")


@router.post("/calls/{call_id}/transfer")
async def transfer(
    tenant_id: str, call_id: str, body: TransferIn, who: Caller, rt: Rt
) -> dict[str, Any]:
    """A blind transfer: the agent leaves at once (wrap-up), the caller waits for the target
    with music."""
    call = mine(rt, who, tenant_id, call_id)
    who.check(tenant_id, Permission.CONTACT_TRANSFER)
    if (body.queue_id is None) == (body.agent_id is None):
        raise Invalid("transfer to exactly one of queue_id and agent_id", field="queue_id")
    _check_target(rt, tenant_id, body.queue_id, body.agent_id)
    board = board_of(rt)
    await board.transfer(call, body.queue_id, body.agent_id, who.actor)
    return {"call_id": call_id, "status": call.state.status.value}
