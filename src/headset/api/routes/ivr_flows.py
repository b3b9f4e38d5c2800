"""IVR flows and uploaded prompts of a tenant: steps as data, validated with field paths.

See docs/voice.md, "IVR flows". A flow names queues and prompts of its own tenant only; a
flow a widget uses cannot be deleted.
"""

from __future__ import annotations

import io
import wave
from typing import Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import Connection, delete, insert, select, update

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt, Slug, reading, tenant_row
from headset.api.directory_events import directory_event
from headset.calls.ivr import parse_flow
from headset.core.errors import Conflict, Invalid, NotFound
from headset.service.operations import Operation
from headset.storage.tables import chat_widgets, ivr_flows, voice_prompts

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}", tags=["voice (admin)"])

#: Longest uploaded prompt.
MAX_PROMPT_S = 300.0


def flow_body(row: Any) -> dict[str, Any]:
    return {
        "flow_id": row.flow_id,
        "name": row.name,
        "steps": row.steps,
        "updated_at": row.updated_at.isoformat(),
    }


@router.get("/ivr-flows")
def list_flows(tenant_id: str, who: Caller, rt: Rt) -> list[dict[str, Any]]:
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        rows = conn.execute(
            select(ivr_flows)
            .where(ivr_flows.c.tenant_id == tenant_id)
            .order_by(ivr_flows.c.flow_id)
        )
        return [flow_body(r) for r in rows]


@router.get("/ivr-flows/{flow_id}")
def get_flow(tenant_id: str, flow_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        return flow_body(tenant_row(conn, ivr_flows, "flow_id", tenant_id, flow_id, "IVR flow"))


@router.put("/ivr-flows/{flow_id}")
async def put_flow(tenant_id: str, flow_id: Slug, request: Request, who: Caller, rt: Rt) -> Any:
    """Creates or replaces a flow: `{"name", "steps": [...]}`; 422 names the field path."""
    who.check(tenant_id, Permission.CONFIG_MANAGE)
    try:
        data = await request.json()
    except ValueError:
        raise Invalid("send the flow as JSON: {name, steps}") from None
    flow = parse_flow(data)
    for index, step in enumerate(data["steps"]):
        queue_id = step.get("queue_id")
        if queue_id and rt.host.tenancy.queues.get(queue_id) != tenant_id:
            raise Invalid(
                f"steps[{index}].queue_id: no queue {queue_id!r} in tenant {tenant_id!r}",
                field=f"steps[{index}].queue_id",
                code="unknown_queue",
            )
    prompts = {(i, s["prompt_id"]) for i, s in enumerate(data["steps"]) if s.get("prompt_id")}
    now = rt.now()

    def write(conn: Connection) -> dict[str, Any]:
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
        keys = {"tenant_id": tenant_id, "flow_id": flow_id}
        values = {"name": flow.name, "steps": data["steps"], "updated_at": now}
        where = (ivr_flows.c.tenant_id == tenant_id) & (ivr_flows.c.flow_id == flow_id)
        if conn.execute(select(ivr_flows.c.flow_id).where(where)).first() is None:
            conn.execute(insert(ivr_flows).values(**keys, **values))
        else:
            conn.execute(update(ivr_flows).where(where).values(**values))
        return flow_body(tenant_row(conn, ivr_flows, "flow_id", tenant_id, flow_id, "IVR flow"))

    event = directory_event(
        "ivr_flow_saved", tenant_id, f"ivr-flow:{flow_id}", {"flow_id": flow_id}, now, who
    )
    outcome = await rt.host.submit(
        Operation(write=write, events=[event], tenant_id=tenant_id, actor=who.actor)
    )
    return outcome.written


@router.delete("/ivr-flows/{flow_id}", status_code=204)
async def delete_flow(tenant_id: str, flow_id: str, who: Caller, rt: Rt) -> None:
    who.check(tenant_id, Permission.CONFIG_MANAGE)

    def write(conn: Connection) -> None:
        tenant_row(conn, ivr_flows, "flow_id", tenant_id, flow_id, "IVR flow")
        users = conn.execute(
            select(chat_widgets.c.widget_id).where(
                chat_widgets.c.tenant_id == tenant_id, chat_widgets.c.ivr_flow_id == flow_id
            )
        ).scalars()
        names = sorted(users)
        if names:
            raise Conflict(f"widgets {names} run this flow; choose another flow for them first")
        conn.execute(
            delete(ivr_flows).where(
                ivr_flows.c.tenant_id == tenant_id, ivr_flows.c.flow_id == flow_id
            )
        )

    event = directory_event(
        "ivr_flow_deleted", tenant_id, f"ivr-flow:{flow_id}", {"flow_id": flow_id}, rt.now(), who
    )
    await rt.host.submit(
        Operation(write=write, events=[event], tenant_id=tenant_id, actor=who.actor)
    )


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


def prompt_body(row: Any) -> dict[str, Any]:
    return {
        "prompt_id": row.prompt_id,
        "name": row.name,
        "duration_s": round(row.duration_s, 3),
        "created_at": row.created_at.isoformat(),
    }


@router.get("/prompts")
def list_prompts(tenant_id: str, who: Caller, rt: Rt) -> list[dict[str, Any]]:
    who.check(tenant_id, Permission.CONFIG_READ)
    with reading(rt) as conn:
        rows = conn.execute(
            select(
                voice_prompts.c.prompt_id,
                voice_prompts.c.name,
                voice_prompts.c.duration_s,
                voice_prompts.c.created_at,
            )
            .where(voice_prompts.c.tenant_id == tenant_id)
            .order_by(voice_prompts.c.prompt_id)
        )
        return [prompt_body(r) for r in rows]


@router.put("/prompts/{prompt_id}")
async def put_prompt(
    tenant_id: str,
    prompt_id: Slug,
    request: Request,
    who: Caller,
    rt: Rt,
    name: str = Query(default="", max_length=200),
) -> dict[str, Any]:
    """The request body is the WAV file itself; it replaces an earlier upload of the id."""
    who.check(tenant_id, Permission.CONFIG_MANAGE)
    content = await request.body()
    duration = wav_duration(content)
    now = rt.now()
    values = {
        "name": name or prompt_id,
        "duration_s": duration,
        "content": content,
        "created_at": now,
    }

    def write(conn: Connection) -> dict[str, Any]:
        where = (voice_prompts.c.tenant_id == tenant_id) & (voice_prompts.c.prompt_id == prompt_id)
        if conn.execute(select(voice_prompts.c.prompt_id).where(where)).first() is None:
            conn.execute(
                insert(voice_prompts).values(tenant_id=tenant_id, prompt_id=prompt_id, **values)
            )
        else:
            conn.execute(update(voice_prompts).where(where).values(**values))
        return {"prompt_id": prompt_id, "name": values["name"], "duration_s": round(duration, 3),
                "created_at": now.isoformat()}  # fmt: skip

    event = directory_event(
        "voice_prompt_saved", tenant_id, f"prompt:{prompt_id}", {"prompt_id": prompt_id}, now, who
    )
    outcome = await rt.host.submit(
        Operation(write=write, events=[event], tenant_id=tenant_id, actor=who.actor)
    )
    return dict(outcome.written)


@router.delete("/prompts/{prompt_id}", status_code=204)
async def delete_prompt(tenant_id: str, prompt_id: str, who: Caller, rt: Rt) -> None:
    """Removes an uploaded prompt that no IVR flow plays any more."""
    who.check(tenant_id, Permission.CONFIG_MANAGE)
    where = (voice_prompts.c.tenant_id == tenant_id) & (voice_prompts.c.prompt_id == prompt_id)

    def write(conn: Connection) -> None:
        if conn.execute(select(voice_prompts.c.prompt_id).where(where)).first() is None:
            raise NotFound(f"no prompt {prompt_id!r} in tenant {tenant_id!r}")
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
        conn.execute(delete(voice_prompts).where(where))

    event = directory_event(
        "voice_prompt_deleted", tenant_id, f"prompt:{prompt_id}", {"prompt_id": prompt_id},
        rt.now(), who,
    )  # fmt: skip
    await rt.host.submit(
        Operation(write=write, events=[event], tenant_id=tenant_id, actor=who.actor)
    )
