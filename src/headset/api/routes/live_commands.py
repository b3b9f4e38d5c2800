"""Commands sent over a live stream: an agent desktop answers offers without an HTTP request.

`{"type": "command", "id": "7", "command": "accept", "offer_id": "..."}` is answered with
`{"type": "reply", "id": "7", "ok": true, "data": {...}}`, or with `"ok": false` and the same
status, title and detail an HTTP call would get: the command runs the same action of
headset.handling (handling/stream_commands.py); this module only shapes the reply.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pydantic import ValidationError

from headset.api.principal import Principal
from headset.api.problems import status_of
from headset.api.runtime import Runtime
from headset.core.errors import HeadsetError
from headset.handling import stream_commands


async def run_command(rt: Runtime, who: Principal, message: dict[str, Any]) -> dict[str, Any]:
    """Runs one command message; returns the reply message (never raises for bad input)."""
    reply: dict[str, Any] = {"type": "reply", "id": message.get("id")}
    try:
        data = await stream_commands.run_command(rt.host, who, message)
    except HeadsetError as error:
        status, title = status_of(error)
        return {**reply, "ok": False, "status": status, "title": title, "detail": str(error)}
    except ValidationError as error:
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        return {**reply, "ok": False, "status": 422, "title": "Invalid request", "detail": detail}
    return {**reply, "ok": True, "data": asdict(data)}
