"""Commands sent over a live stream (docs/live.md, "Commands on the stream"): each runs the
same action as its HTTP route, found from the ids the message names."""

from __future__ import annotations

from typing import Any

from headset.access.caller import Caller
from headset.core.errors import Invalid, NotFound
from headset.handling import agent_state, contacts, offers
from headset.handling.requests import StateIn, WrapUpIn
from headset.service.host import EngineHost

COMMANDS = ("accept", "reject", "end", "wrap_up", "set_state")


async def run_command(host: EngineHost, who: Caller, message: dict[str, Any]) -> Any:
    """Runs one command message; returns the action's answer or raises as the route would
    (a HeadsetError, or pydantic's ValidationError for a bad field)."""
    command = message.get("command")
    if command in ("accept", "reject"):
        offer_id = _text(message, "offer_id")
        tenant_id = offers.tenant_of_offer(host, offer_id)
        act = offers.accept_offer if command == "accept" else offers.reject_offer
        return await act(host, who, tenant_id, offer_id)
    if command in ("end", "wrap_up"):
        contact_id = _text(message, "contact_id")
        owner = host.tenancy.contacts.get(contact_id)
        if owner is None:
            raise NotFound(f"no live contact {contact_id!r}")
        if command == "end":
            return await contacts.end_contact(host, who, owner, contact_id)
        body = WrapUpIn.model_validate(_fields(message, "disposition", "notes"))
        return await contacts.wrap_up(host, who, owner, contact_id, body.disposition, body.notes)
    if command == "set_state":
        tenant_id, agent_id = agent_state.own_agent(host, who)
        state = StateIn.model_validate(_fields(message, "state", "reason"))
        return await agent_state.set_agent_state(
            host, who, tenant_id, agent_id, state.state, state.reason
        )
    raise Invalid(f"unknown command {command!r}; use one of {', '.join(COMMANDS)}")


def _fields(message: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: message[k] for k in keys if k in message}


def _text(message: dict[str, Any], key: str) -> str:
    value = message.get(key)
    if not isinstance(value, str) or not value:
        raise Invalid(f"the command needs {key!r}")
    return value
