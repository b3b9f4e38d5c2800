"""Commands on live contacts: accept or reject an offer, end, wrap up, transfer, escalate,
callback, abandon."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import Connection, insert, select

from headset.access.permissions import Permission, Scope
from headset.api.deps import Caller, Rt
from headset.api.principal import Principal
from headset.core.errors import Conflict, Forbidden, Invalid, NotFound
from headset.core.ids import new_id
from headset.core.messages import Command
from headset.routing.commands import (
    AbandonContact,
    AcceptOffer,
    EndContact,
    EscalateContact,
    FinishWrapUp,
    RejectOffer,
    RequestCallback,
    TransferContact,
)
from headset.routing.records import ContactRecord, ContactStatus
from headset.service.operations import Operation, Write
from headset.storage.tables import dispositions, notes

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}", tags=["contact handling"])


def _live(rt: Any, tenant_id: str, contact_id: str) -> ContactRecord:
    contact: ContactRecord | None = rt.host.engine.state.contacts.get(contact_id)
    if contact is None or contact.tenant_id != tenant_id:
        raise NotFound(
            f"no live contact {contact_id!r} in tenant {tenant_id!r}: it is over or never existed"
        )
    return contact


def _allowed(rt: Any, who: Principal, scope: Scope, contact: ContactRecord) -> None:
    """Own scope: the caller's contact; team scope: a contact of one of their teams."""
    if scope is Scope.OWN or scope is Scope.TEAM:
        holder = contact.agent_id or next((o.agent_id for o in contact.offers.values()), None)
        if holder is not None and holder == who.agent_id:
            return
        if scope is Scope.TEAM and holder is not None:
            place = rt.host.tenancy.agents.get(holder)
            if place is not None and place[1] in who.led_teams:
                return
        raise Forbidden("this contact is not yours; a supervisor or team leader can move it")


def _may_reassign(rt: Any, who: Principal, scope: Scope, contact: ContactRecord) -> None:
    """Team scope: a waiting contact that is their teams' business, as on their wallboard.

    That is one offered to (ringing at) an agent of a team they lead or to themselves, routed
    to such an agent by name, or escalated to their team's leaders. A contact that waits only
    in a queue is the floor's, not a team's: a supervisor moves it.
    """
    if scope is not Scope.TEAM:
        return
    agents = {o.agent_id for o in contact.offers.values()}
    agents |= {target for kind, target in contact.targets if kind == "agent"}
    if who.agent_id is not None and who.agent_id in agents:
        return
    for agent_id in agents:
        place = rt.host.tenancy.agents.get(agent_id)
        if place is not None and place[1] in who.led_teams:
            return
    if any(kind == "leaders" and team in who.led_teams for kind, team in contact.targets):
        return
    raise Forbidden(
        "this waiting contact is not your teams' (offered to or escalated to them); "
        "a supervisor can move it",
        code="not_your_team",
    )


async def _run(
    rt: Any, who: Principal, tenant_id: str, command: Command, write: Write | None = None
) -> None:
    await rt.host.submit(
        Operation(commands=[command], write=write, tenant_id=tenant_id, actor=who.actor)
    )


@router.post("/offers/{offer_id}/accept")
async def accept(tenant_id: str, offer_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    offer = _offer(rt, who, tenant_id, offer_id)
    await _run(rt, who, tenant_id, AcceptOffer(offer_id))
    return {
        "offer_id": offer_id,
        "contact_id": offer.contact_id,
        "status": ContactStatus.CONNECTED.value,
    }


@router.post("/offers/{offer_id}/reject")
async def reject(tenant_id: str, offer_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    offer = _offer(rt, who, tenant_id, offer_id)
    await _run(rt, who, tenant_id, RejectOffer(offer_id))
    return {"offer_id": offer_id, "contact_id": offer.contact_id, "status": "rejected"}


def _offer(rt: Any, who: Principal, tenant_id: str, offer_id: str) -> Any:
    who.check(tenant_id, Permission.CONTACT_HANDLE)
    offer = rt.host.engine.state.offers.get(offer_id)
    if offer is None or rt.host.tenancy.contacts.get(offer.contact_id) != tenant_id:
        raise Conflict(f"offer {offer_id!r} is no longer pending: answered, rejected or expired")
    if offer.agent_id != who.agent_id:
        raise Forbidden("this offer was made to another agent")
    return offer


@router.post("/contacts/{contact_id}/end")
async def end(tenant_id: str, contact_id: str, who: Caller, rt: Rt) -> dict[str, str]:
    """The conversation is over; wrap-up starts."""
    scope = who.check(tenant_id, Permission.CONTACT_HANDLE)
    _allowed(rt, who, scope, _live(rt, tenant_id, contact_id))
    await _run(rt, who, tenant_id, EndContact(contact_id))
    return {"contact_id": contact_id, "status": ContactStatus.WRAP_UP.value}


class WrapUpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    disposition: str | None = Field(default=None, max_length=64)
    notes: str | None = Field(default=None, max_length=10_000)


@router.post("/contacts/{contact_id}/wrap-up")
async def wrap_up(
    tenant_id: str, contact_id: str, body: WrapUpIn, who: Caller, rt: Rt
) -> dict[str, Any]:
    """Finishes after-contact work with a disposition and notes."""
    scope = who.check(tenant_id, Permission.CONTACT_HANDLE)
    contact = _live(rt, tenant_id, contact_id)
    _allowed(rt, who, scope, contact)
    if contact.status is not ContactStatus.WRAP_UP:
        raise Conflict(f"contact {contact_id!r} is {contact.status.value}; end it first")
    now = rt.now()

    def write(conn: Connection) -> None:
        if (
            body.disposition is not None
            and conn.execute(
                select(dispositions.c.code).where(
                    dispositions.c.tenant_id == tenant_id, dispositions.c.code == body.disposition
                )
            ).first()
            is None
        ):
            raise Invalid(f"unknown disposition {body.disposition!r}; pick one of the list")
        if body.notes:
            conn.execute(
                insert(notes).values(
                    tenant_id=tenant_id,
                    note_id=new_id("n"),
                    contact_id=contact_id,
                    author_user_id=who.user_id or who.actor,
                    text=body.notes,
                    created_at=now,
                )
            )

    await _run(rt, who, tenant_id, FinishWrapUp(contact_id, body.disposition), write)
    return {
        "contact_id": contact_id,
        "status": ContactStatus.COMPLETED.value,
        "disposition": body.disposition,
    }


class TransferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    queue_id: str | None = None
    agent_id: str | None = None

    @model_validator(mode="after")
    def _one(self) -> TransferIn:
        if (self.queue_id is None) == (self.agent_id is None):
            raise ValueError("give exactly one of queue_id and agent_id")
        return self


@router.post("/contacts/{contact_id}/transfer")
async def transfer(
    tenant_id: str, contact_id: str, body: TransferIn, who: Caller, rt: Rt
) -> dict[str, Any]:
    """To another queue or agent of the tenant; a waiting contact is reassigned."""
    contact = _live(rt, tenant_id, contact_id)
    if contact.is_in_line:
        scope = who.check(tenant_id, Permission.CONTACT_REASSIGN)
        _may_reassign(rt, who, scope, contact)
    else:
        scope = who.check(tenant_id, Permission.CONTACT_TRANSFER)
        _allowed(rt, who, scope, contact)
    if body.queue_id is not None and rt.host.tenancy.queues.get(body.queue_id) != tenant_id:
        raise NotFound(f"no queue {body.queue_id!r} in tenant {tenant_id!r}")
    if body.agent_id is not None:
        place = rt.host.tenancy.agents.get(body.agent_id)
        if place is None or place[0] != tenant_id:
            raise NotFound(f"no agent {body.agent_id!r} in tenant {tenant_id!r}")
    await _run(rt, who, tenant_id, TransferContact(contact_id, body.queue_id, body.agent_id))
    return {"contact_id": contact_id, "status": ContactStatus.WAITING.value, **body.model_dump()}


class EscalateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: Literal["team_leader"] = "team_leader"
    team_id: str | None = None


@router.post("/contacts/{contact_id}/escalate")
async def escalate(
    tenant_id: str, contact_id: str, body: EscalateIn, who: Caller, rt: Rt
) -> dict[str, Any]:
    """Raises the contact to the team leaders of the agent's team (or of `team_id`)."""
    scope = who.check(tenant_id, Permission.CONTACT_ESCALATE)
    contact = _live(rt, tenant_id, contact_id)
    _allowed(rt, who, scope, contact)
    team_id = body.team_id
    if team_id is None:
        place = rt.host.tenancy.agents.get(contact.agent_id or "")
        team_id = place[1] if place else None
    if team_id is None:
        raise Invalid("the agent has no team; name the team_id to escalate to")
    leaders = rt.host.engine.state.leaders.get(team_id, set())
    if not any(rt.host.tenancy.agents.get(a, ("",))[0] == tenant_id for a in leaders):
        raise NotFound(f"team {team_id!r} of tenant {tenant_id!r} has no team leader to ask")
    await _run(rt, who, tenant_id, EscalateContact(contact_id, team_id))
    return {"contact_id": contact_id, "status": ContactStatus.WAITING.value, "team_id": team_id}


@router.post("/contacts/{contact_id}/callback")
async def callback(tenant_id: str, contact_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    """The waiting customer asks to be called back; the contact keeps its place."""
    who.check(tenant_id, Permission.CONTACT_CALLBACK)
    _live(rt, tenant_id, contact_id)
    await _run(rt, who, tenant_id, RequestCallback(contact_id))
    return {"contact_id": contact_id, "is_callback": True}


@router.post("/contacts/{contact_id}/abandon")
async def abandon(tenant_id: str, contact_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    """The customer left before an answer (the API channel reports it)."""
    who.check(tenant_id, Permission.CONTACT_CREATE)
    _live(rt, tenant_id, contact_id)
    await _run(rt, who, tenant_id, AbandonContact(contact_id))
    return {"contact_id": contact_id, "status": ContactStatus.ABANDONED.value}
