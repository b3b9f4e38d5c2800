"""Commands sent over a live stream: an agent desktop answers offers without an HTTP request.

`{"type": "command", "id": "7", "command": "accept", "offer_id": "..."}` is answered with
`{"type": "reply", "id": "7", "ok": true, "data": {...}}`, or with `"ok": false` and the same
status, title and detail an HTTP call would get. The checks are the HTTP routes' own: the
command runs through the same function.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from headset.api.principal import Principal
from headset.api.problems import status_of
from headset.api.routes import agents, handling
from headset.api.runtime import Runtime
from headset.core.errors import Conflict, HeadsetError, Invalid, NotFound

COMMANDS = ("accept", "reject", "end", "wrap_up", "set_state")


async def run_command(rt: Runtime, who: Principal, message: dict[str, Any]) -> dict[str, Any]:
    """Runs one command message; returns the reply message (never raises for bad input)."""
    reply: dict[str, Any] = {"type": "reply", "id": message.get("id")}
    try:
        data = await _dispatch(rt, who, message)
    except HeadsetError as error:
        status, title = status_of(error)
        return {**reply, "ok": False, "status": status, "title": title, "detail": str(error)}
    except ValidationError as error:
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        return {**reply, "ok": False, "status": 422, "title": "Invalid request", "detail": detail}
    return {**reply, "ok": True, "data": data}


async def _dispatch(rt: Runtime, who: Principal, message: dict[str, Any]) -> dict[str, Any]:
    command = message.get("command")
    host = rt.host
    if command in ("accept", "reject"):
        offer_id = _text(message, "offer_id")
        offer = host.engine.state.offers.get(offer_id)
        if offer is None:
            raise Conflict(
                f"offer {offer_id!r} is no longer pending: answered, rejected or expired"
            )
        tenant_id = host.tenancy.contacts.get(offer.contact_id, "")
        route = handling.accept if command == "accept" else handling.reject
        return await route(tenant_id, offer_id, who, rt)
    if command in ("end", "wrap_up"):
        contact_id = _text(message, "contact_id")
        owner = host.tenancy.contacts.get(contact_id)
        if owner is None:
            raise NotFound(f"no live contact {contact_id!r}")
        tenant_id = owner
        if command == "end":
            return await handling.end(tenant_id, contact_id, who, rt)
        body = handling.WrapUpIn.model_validate(
            {k: message[k] for k in ("disposition", "notes") if k in message}
        )
        return await handling.wrap_up(tenant_id, contact_id, body, who, rt)
    if command == "set_state":
        if who.agent_id is None or who.agent_id not in host.tenancy.agents:
            raise Conflict("only an agent has a state; this user is no agent")
        body_state = agents.StateIn.model_validate(
            {k: message[k] for k in ("state", "reason") if k in message}
        )
        tenant_id = host.tenancy.agents[who.agent_id][0]
        return await agents.set_state(tenant_id, who.agent_id, body_state, who, rt)
    raise Invalid(f"unknown command {command!r}; use one of {', '.join(COMMANDS)}")


def _text(message: dict[str, Any], key: str) -> str:
    value = message.get(key)
    if not isinstance(value, str) or not value:
        raise Invalid(f"the command needs {key!r}")
    return value
