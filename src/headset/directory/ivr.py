"""IVR flows and uploaded prompts of a tenant (docs/voice.md, "IVR flows").

A flow names queues and prompts of its own tenant only; a flow a widget uses, and a prompt a
flow plays, cannot be deleted.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, select

from headset.calls.ivr import parse_flow
from headset.core.errors import Conflict, Invalid
from headset.directory.events import DirectoryEventType as E
from headset.directory.registrar import Change, Kind, listing, load, remove, save
from headset.service.host import EngineHost
from headset.storage.tables import chat_widgets, ivr_flows, voice_prompts

#: Longest uploaded prompt.
MAX_PROMPT_S = 300.0


class FlowOut(BaseModel):
    """A stored IVR flow: its steps as they were sent."""

    flow_id: str
    name: str
    steps: list[dict[str, Any]]
    updated_at: str


class PromptOut(BaseModel):
    """A stored prompt's facts."""

    prompt_id: str
    name: str
    duration_s: float
    created_at: str


def flow_view(row: Any) -> dict[str, Any]:
    """A flow as the API shows it."""
    return {
        "flow_id": row.flow_id,
        "name": row.name,
        "steps": row.steps,
        "updated_at": row.updated_at.isoformat(),
    }


def prompt_view(row: Any) -> dict[str, Any]:
    """A prompt's facts as the API shows them (never its sound)."""
    return {
        "prompt_id": row.prompt_id,
        "name": row.name,
        "duration_s": round(row.duration_s, 3),
        "created_at": row.created_at.isoformat(),
    }


def _flow_unused(conn: Connection, tenant_id: str, flow_id: str) -> None:
    users = conn.execute(
        select(chat_widgets.c.widget_id).where(
            chat_widgets.c.tenant_id == tenant_id, chat_widgets.c.ivr_flow_id == flow_id
        )
    ).scalars()
    names = sorted(users)
    if names:
        raise Conflict(f"widgets {names} run this flow; choose another flow for them first")


def _prompt_unused(conn: Connection, tenant_id: str, prompt_id: str) -> None:
    flows = conn.execute(
        select(ivr_flows.c.flow_id, ivr_flows.c.steps).where(ivr_flows.c.tenant_id == tenant_id)
    )
    playing = sorted(
        row.flow_id
        for row in flows
        if any(step.get("prompt_id") == prompt_id for step in row.steps or ())
    )
    if playing:
        raise Conflict(
            f"IVR flows {playing} play this prompt; change their steps first",
            code="prompt_in_use",
        )


FLOWS = Kind(
    ivr_flows, "flow_id", "IVR flow", E.IVR_FLOW_SAVED, E.IVR_FLOW_DELETED,
    stream=lambda _, flow_id: f"ivr-flow:{flow_id}", view=flow_view, delete_check=_flow_unused,
)  # fmt: skip
PROMPTS = Kind(
    voice_prompts, "prompt_id", "prompt", E.VOICE_PROMPT_SAVED, E.VOICE_PROMPT_DELETED,
    stream=lambda _, prompt_id: f"prompt:{prompt_id}", view=prompt_view,
    delete_check=_prompt_unused,
)  # fmt: skip


def list_flows(conn: Connection, tenant_id: str) -> list[dict[str, Any]]:
    """The tenant's IVR flows, by id."""
    return listing(conn, FLOWS, tenant_id)


def get_flow(conn: Connection, tenant_id: str, flow_id: str) -> dict[str, Any]:
    """One IVR flow, or NotFound."""
    return flow_view(load(conn, FLOWS, tenant_id, flow_id))


async def save_flow(
    host: EngineHost, tenant_id: str, flow_id: str, data: Any, *, actor: str
) -> dict[str, Any]:
    """Creates or replaces a flow from its JSON (`{"name", "steps"}`); 422 names the field."""
    flow = parse_flow(data)
    steps: list[Mapping[str, Any]] = data["steps"]
    for index, step in enumerate(steps):
        queue_id = step.get("queue_id")
        if queue_id and host.tenancy.queues.get(queue_id) != tenant_id:
            raise Invalid(
                f"steps[{index}].queue_id: no queue {queue_id!r} in tenant {tenant_id!r}",
                field=f"steps[{index}].queue_id",
                code="unknown_queue",
            )
    prompts = {(i, s["prompt_id"]) for i, s in enumerate(steps) if s.get("prompt_id")}

    def check(conn: Connection) -> None:
        for index, prompt_id in sorted(prompts):
            found = conn.execute(
                select(voice_prompts.c.prompt_id).where(
                    voice_prompts.c.tenant_id == tenant_id, voice_prompts.c.prompt_id == prompt_id
                )
            ).first()
            if found is None:
                raise Invalid(
                    f"steps[{index}].prompt_id: no prompt {prompt_id!r}; upload it first",
                    field=f"steps[{index}].prompt_id",
                    code="unknown_prompt",
                )

    now = host.clock.now()
    values = {"name": flow.name, "steps": steps, "updated_at": now}
    return await save(host, FLOWS, Change(tenant_id, flow_id, values, actor, now, check=check))


async def delete_flow(host: EngineHost, tenant_id: str, flow_id: str, *, actor: str) -> None:
    """Deletes a flow that no widget runs."""
    await remove(host, FLOWS, tenant_id, flow_id, actor=actor, at=host.clock.now())


def wav_duration(content: bytes) -> float:
    """The length of a PCM WAV file, judged by its bytes; Invalid for anything else."""
    if content[:4] != b"RIFF" or content[8:12] != b"WAVE":
        raise Invalid("a prompt is a WAV file (RIFF/WAVE); this is not one", code="not_wav")
    try:
        with wave.open(io.BytesIO(content)) as reader:
            frames, rate = reader.getnframes(), reader.getframerate()
            if reader.getsampwidth() not in (1, 2, 3, 4) or rate < 8000:
                raise Invalid("a prompt is PCM audio of 8 kHz or more", code="not_wav")
    except (wave.Error, EOFError) as error:
        raise Invalid(f"this WAV file cannot be read: {error}", code="not_wav") from None
    duration = float(frames) / float(rate)
    if not 0 < duration <= MAX_PROMPT_S:
        raise Invalid(f"a prompt lasts up to {int(MAX_PROMPT_S)} seconds", code="too_long")
    return duration


def list_prompts(conn: Connection, tenant_id: str) -> list[dict[str, Any]]:
    """The tenant's prompts' facts, by id (the sound is left in the database)."""
    p = voice_prompts.c
    query = select(p.prompt_id, p.name, p.duration_s, p.created_at).where(p.tenant_id == tenant_id)
    return [prompt_view(r) for r in conn.execute(query.order_by(p.prompt_id))]


async def save_prompt(
    host: EngineHost, tenant_id: str, prompt_id: str, name: str, content: bytes, *, actor: str
) -> dict[str, Any]:
    """Stores a WAV prompt; it replaces an earlier upload of the id."""
    duration = wav_duration(content)
    now = host.clock.now()
    values = {"name": name or prompt_id, "duration_s": duration, "content": content,
              "created_at": now}  # fmt: skip
    return await save(host, PROMPTS, Change(tenant_id, prompt_id, values, actor, now))


async def delete_prompt(host: EngineHost, tenant_id: str, prompt_id: str, *, actor: str) -> None:
    """Removes an uploaded prompt that no IVR flow plays any more."""
    await remove(host, PROMPTS, tenant_id, prompt_id, actor=actor, at=host.clock.now())
