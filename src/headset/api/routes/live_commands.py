"""Commands sent over a live stream: an agent desktop answers offers without an HTTP request.

`{"type": "command", "id": "7", "command": "accept", "offer_id": "..."}` is answered with
`{"type": "reply", "id": "7", "ok": true, "data": {...}}`, or with `"ok": false` and the same
status, title and detail an HTTP call would get. The checks are the HTTP routes' own: both
call the same action of headset.handling.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pydantic import ValidationError

from headset.api.principal import Principal
from headset.api.problems import status_of
from headset.api.routes.agents import StateIn
from headset.api.routes.handling import WrapUpIn
from headset.api.runtime import Runtime
from headset.core.errors import HeadsetError, Invalid, NotFound
from headset.handling import agent_state, contacts, offers

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
    return {**reply, "ok": True, "data": asdict(data)}


async def _dispatch(rt: Runtime, who: Principal, message: dict[str, Any]) -> Any:
    command, host = message.get("command"), rt.host
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
