"""Every kind of directory item, driven through its actions the same way by the suites."""

from __future__ import annotations

import io
import wave
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table

from headset.access.roles import Role
from headset.directory import agents, canned, ivr, lists, queues, tokens, webhooks, widgets
from headset.directory.events import DirectoryEventType as E
from headset.service.host import EngineHost
from headset.storage.tables import (
    agents as agent_rows,
)
from headset.storage.tables import (
    api_tokens,
    canned_responses,
    chat_widgets,
    ivr_flows,
    voice_prompts,
)
from headset.storage.tables import (
    queues as queue_rows,
)
from headset.storage.tables import (
    webhooks as webhook_rows,
)

ACTOR = "user:manager"
#: (host, tenant, version) -> the item's id; version 2 changes what version 1 made.
Save = Callable[[EngineHost, str, int, str | None], Awaitable[str]]
Delete = Callable[[EngineHost, str, str], Awaitable[None]]


@dataclass(frozen=True)
class Case:
    """One kind: how to save (create, then change) and delete it, and what it stores."""

    name: str
    table: Table
    key: str
    save: Save
    saved: tuple[E, E]
    delete: Delete | None = None
    deleted: E | None = None


def _wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(8000)
        writer.writeframes(b"\0\0" * 800)
    return out.getvalue()


async def _canned(host: EngineHost, tenant_id: str, version: int, item_id: str | None) -> str:
    body = canned.CannedIn(shortcut="thanks", title=f"Thanks v{version}", body="Thank you!")
    saved = await canned.save_canned(host, tenant_id, item_id, body, actor=ACTOR)
    return str(saved["canned_id"])


def _simple(path: str, body: Callable[[str, int], Any]) -> Save:
    kind = lists.LIST_BY_PATH[path].kind

    async def save(host: EngineHost, tenant_id: str, version: int, item_id: str | None) -> str:
        item_id = item_id or f"{tenant_id}-{path}"
        await lists.save_item(host, kind, tenant_id, item_id, body(item_id, version), actor=ACTOR)
        return item_id

    return save


def _simple_delete(path: str) -> Delete:
    kind = lists.LIST_BY_PATH[path].kind

    async def delete(host: EngineHost, tenant_id: str, item_id: str) -> None:
        await lists.remove_item(host, kind, tenant_id, item_id, actor=ACTOR)

    return delete


async def _widget(host: EngineHost, tenant_id: str, version: int, item_id: str | None) -> str:
    item_id = item_id or "shop"
    topic = widgets.TopicIn(topic_id="help", label="Help", queue_id=f"{tenant_id}-q")
    body = widgets.WidgetIn(display_name=f"Shop v{version}", topics=[topic])
    await widgets.save_widget(host, tenant_id, item_id, body, actor=ACTOR)
    return item_id


async def _flow(host: EngineHost, tenant_id: str, version: int, item_id: str | None) -> str:
    item_id = item_id or "main"
    steps = [{"id": "queue", "type": "queue", "queue_id": f"{tenant_id}-q"}]
    data = {"name": f"Main v{version}", "steps": steps}
    await ivr.save_flow(host, tenant_id, item_id, data, actor=ACTOR)
    return item_id


async def _prompt(host: EngineHost, tenant_id: str, version: int, item_id: str | None) -> str:
    item_id = item_id or "hello"
    await ivr.save_prompt(host, tenant_id, item_id, f"Hello v{version}", _wav(), actor=ACTOR)
    return item_id


async def _token(host: EngineHost, tenant_id: str, version: int, item_id: str | None) -> str:
    if item_id is not None:  # a token's one change is its revocation
        await tokens.revoke_token(host, tenant_id, item_id, actor=ACTOR)
        return item_id
    body = tokens.TokenIn(name="CRM", role=Role.AGENT)
    return str((await tokens.create_token(host, tenant_id, body, actor=ACTOR))["token_id"])


async def _webhook(host: EngineHost, tenant_id: str, version: int, item_id: str | None) -> str:
    body = webhooks.WebhookIn(url=f"https://example.com/v{version}")
    if item_id is None:
        # internal targets allowed: no name is resolved, the suite needs no network
        made = await webhooks.create_webhook(
            host, tenant_id, body, actor=ACTOR, allow_internal=True
        )
        return str(made["webhook_id"])
    await webhooks.update_webhook(host, tenant_id, item_id, body, actor=ACTOR, allow_internal=True)
    return item_id


async def _queue(host: EngineHost, tenant_id: str, version: int, item_id: str | None) -> str:
    queue_id = item_id or f"{tenant_id}-sales"
    body = queues.QueueIn(queue_id=queue_id, name=f"Sales v{version}")
    await queues.save_queue(host, tenant_id, queue_id, body, actor=ACTOR)
    return queue_id


async def _agent(host: EngineHost, tenant_id: str, version: int, item_id: str | None) -> str:
    agent_id = item_id or f"{tenant_id}-ann"
    body = agents.AgentIn(agent_id=agent_id, display_name=f"Ann v{version}")
    await agents.save_agent(host, host.db, tenant_id, agent_id, body, actor=ACTOR)
    return agent_id


def _delete(action: Callable[..., Awaitable[None]]) -> Delete:
    async def delete(host: EngineHost, tenant_id: str, item_id: str) -> None:
        await action(host, tenant_id, item_id, actor=ACTOR)

    return delete


def _list_case(path: str, saved: E, removed: E, body: Callable[[str, int], Any]) -> Case:
    simple = lists.LIST_BY_PATH[path]
    kind = simple.kind
    return Case(
        path, kind.table, kind.key, _simple(path, body), (saved, saved), _simple_delete(path),
        removed,
    )  # fmt: skip


CASES = (
    Case("canned responses", canned_responses, "canned_id", _canned,
         (E.CANNED_RESPONSE_SAVED,) * 2, _delete(canned.delete_canned), E.CANNED_RESPONSE_DELETED),
    _list_case("teams", E.TEAM_SAVED, E.TEAM_REMOVED,
               lambda i, v: lists.TeamIn(team_id=i, name=f"Team v{v}")),
    _list_case("skills", E.SKILL_SAVED, E.SKILL_REMOVED,
               lambda i, v: lists.SkillIn(skill_id=i, name=f"Skill v{v}")),
    _list_case("dispositions", E.DISPOSITION_SAVED, E.DISPOSITION_REMOVED,
               lambda i, v: lists.CodeIn(code=i, label=f"Sold v{v}")),
    _list_case("away-reasons", E.AWAY_REASON_SAVED, E.AWAY_REASON_REMOVED,
               lambda i, v: lists.CodeIn(code=i, label=f"Lunch v{v}")),
    Case("chat widgets", chat_widgets, "widget_id", _widget, (E.CHAT_WIDGET_SAVED,) * 2,
         _delete(widgets.delete_widget), E.CHAT_WIDGET_DELETED),
    Case("IVR flows", ivr_flows, "flow_id", _flow, (E.IVR_FLOW_SAVED,) * 2,
         _delete(ivr.delete_flow), E.IVR_FLOW_DELETED),
    Case("prompts", voice_prompts, "prompt_id", _prompt, (E.VOICE_PROMPT_SAVED,) * 2,
         _delete(ivr.delete_prompt), E.VOICE_PROMPT_DELETED),
    Case("API tokens", api_tokens, "token_id", _token, (E.TOKEN_CREATED, E.TOKEN_REVOKED)),
    Case("webhooks", webhook_rows, "webhook_id", _webhook,
         (E.WEBHOOK_CREATED, E.WEBHOOK_UPDATED), _delete(webhooks.delete_webhook),
         E.WEBHOOK_DELETED),
    Case("queues", queue_rows, "queue_id", _queue, (E.QUEUE_SAVED,) * 2),
    Case("agents", agent_rows, "agent_id", _agent, (E.AGENT_SAVED,) * 2),
)  # fmt: skip
