"""Whether a live contact is the caller's to act on (`Caller`: access/caller.py)."""

from __future__ import annotations

from headset.access.caller import Caller
from headset.access.permissions import Scope
from headset.core.errors import Forbidden, NotFound
from headset.routing.records import ContactRecord
from headset.service.host import EngineHost


def live_contact(host: EngineHost, tenant_id: str, contact_id: str) -> ContactRecord:
    """The engine's contact, or NotFound when it is over or of another tenant."""
    contact = host.engine.state.contacts.get(contact_id)
    if contact is None or contact.tenant_id != tenant_id:
        raise NotFound(
            f"no live contact {contact_id!r} in tenant {tenant_id!r}: it is over or never existed"
        )
    return contact


def check_holds(host: EngineHost, who: Caller, scope: Scope, contact: ContactRecord) -> None:
    """Own scope: the caller's contact; team scope: a contact of one of their teams."""
    if scope is Scope.OWN or scope is Scope.TEAM:
        holder = contact.agent_id or next((o.agent_id for o in contact.offers.values()), None)
        if holder is not None and holder == who.agent_id:
            return
        if scope is Scope.TEAM and holder is not None:
            place = host.tenancy.agents.get(holder)
            if place is not None and place[1] in who.led_teams:
                return
        raise Forbidden("this contact is not yours; a supervisor or team leader can move it")


def check_may_reassign(host: EngineHost, who: Caller, scope: Scope, contact: ContactRecord) -> None:
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
        place = host.tenancy.agents.get(agent_id)
        if place is not None and place[1] in who.led_teams:
            return
    if any(kind == "leaders" and team in who.led_teams for kind, team in contact.targets):
        return
    raise Forbidden(
        "this waiting contact is not your teams' (offered to or escalated to them); "
        "a supervisor can move it",
        code="not_your_team",
    )
