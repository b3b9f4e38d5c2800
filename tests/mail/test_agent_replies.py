"""The agent's reply and its retry as actions of the mailroom, on the engine host over
SQLite with a fake clock, without HTTP: only the agent connected to the e-mail contact
replies; a server that cannot be reached leaves the reply "failed" with its typed event, and
the conversation's read is recorded in the audit trail."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import insert

from headset.access.permissions import Permission
from headset.access.roles import Role
from headset.api.principal import Principal
from headset.bootstrap import Services
from headset.core.errors import Conflict, Invalid
from headset.mailroom import agent_replies
from headset.mailroom.agent_replies import ReplyIn
from headset.mailroom.conversations import read_conversation
from headset.mailroom.mailbox_changes import save_mailbox
from headset.mailroom.mailbox_settings import MailboxIn
from headset.mailroom.timer_report import timer_report
from headset.routing.commands import ConfigureQueue, RegisterAgent, SetAgentState
from headset.routing.model import AgentProfile, AgentState, Membership, QueueConfig
from headset.service.operations import Operation
from headset.storage.tables import tenants
from tests.mail.messages import plain
from tests.services_on_sqlite import services_on_sqlite

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
AGENT = Principal(Role.AGENT, frozenset({"t1"}), user_id="u1", agent_id="a1")
OTHER = Principal(Role.AGENT, frozenset({"t1"}), user_id="u2", agent_id="a2")
#: Nothing listens on port 1: every hand-over fails at once, with the system's answer.
CLOSED = {"host": "127.0.0.1", "port": 1, "security": "none"}


@pytest_asyncio.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    async with services_on_sqlite(tmp_path, NOW, mail_internal_hosts=True) as services:
        with services.db.begin() as conn:
            conn.execute(insert(tenants).values(tenant_id="t1", name="T1", created_at=NOW))
        queue = ConfigureQueue(QueueConfig("t1-mail", tenant_id="t1"))
        await services.host.submit(Operation(commands=[queue], tenant_id="t1"))
        for agent_id in ("a1", "a2"):
            profile = AgentProfile(
                agent_id, memberships=(Membership("t1-mail"),), auto_answer=agent_id == "a1"
            )
            commands = [RegisterAgent(profile)]
            if agent_id == "a1":
                commands.append(SetAgentState("a1", AgentState.AVAILABLE))
            await services.host.submit(
                Operation(commands=commands, tenant_id="t1", agents=[(agent_id, "t1", None)])
            )
        yield services


async def _contact(services: Services) -> str:
    """The customer's mail, connected to agent a1 (auto-answer) at once."""
    settings = MailboxIn.model_validate(
        {"address": "support@t1.example.com", "display_name": "Support", "queue_id": "t1-mail",
         "inbound": "smtp", "smtp": CLOSED}
    )  # fmt: skip
    await save_mailbox(services.mailroom, "t1", "support", settings, actor="t",
                       is_key_generated=False)  # fmt: skip
    mailbox = services.mailroom.mailboxes[("t1", "support")]
    delivered = await services.mailroom.ingest.deliver(mailbox, plain(to=mailbox.address))
    assert delivered.contact_id is not None
    live = services.host.engine.state.contacts[delivered.contact_id]
    assert live.agent_id == "a1"
    return delivered.contact_id


def _events(services: Services, contact_id: str) -> list[str]:
    return [e.type for e in services.host.event_log.read_stream(f"contact:{contact_id}")]


async def _reply(services: Services, who: Principal, contact_id: str, **body: Any) -> Any:
    return await agent_replies.reply(
        services.mailroom, who, "t1", contact_id, ReplyIn(text="On its way.", **body),
        idempotency_key=None, max_body_bytes=services.settings.max_body_bytes,
    )  # fmt: skip


@pytest.mark.asyncio
async def test_a_reply_the_server_did_not_take_is_failed_and_can_be_tried_again(
    services: Services,
) -> None:
    contact_id = await _contact(services)

    sent = await _reply(services, AGENT, contact_id)
    again = await agent_replies.retry(services.mailroom, AGENT, "t1", contact_id, sent.mail_id)

    assert (sent.status, sent.attempts, sent.direction) == ("failed", 1, "outbound")
    assert sent.error
    assert (again.status, again.attempts) == ("failed", 2)
    assert _events(services, contact_id).count("mail.failed") == 2


@pytest.mark.asyncio
async def test_only_the_connected_agent_replies(services: Services) -> None:
    contact_id = await _contact(services)

    with pytest.raises(Conflict, match="agent a1 is answering"):
        await _reply(services, OTHER, contact_id)

    assert "mail.failed" not in _events(services, contact_id)


@pytest.mark.asyncio
async def test_a_file_that_is_not_base64_is_refused_before_anything_is_sent(
    services: Services,
) -> None:
    contact_id = await _contact(services)
    files = [{"name": "a.txt", "content": "not base64!"}]

    with pytest.raises(Invalid, match="not valid base64"):
        await _reply(services, AGENT, contact_id, files=files)

    assert "mail.failed" not in _events(services, contact_id)


@pytest.mark.asyncio
async def test_reading_the_conversation_is_audited(services: Services) -> None:
    contact_id = await _contact(services)
    scope = AGENT.check("t1", Permission.CONTACT_READ)

    conversation = await read_conversation(
        services.mailroom, AGENT, AGENT.actor, "t1", contact_id, scope,
        services.settings.max_body_bytes,
    )  # fmt: skip

    assert [m.kind for m in conversation.messages] == ["message"]
    assert conversation.timers.first_response is not None
    assert conversation.timers.first_response.is_running
    audit = services.host.event_log.read_stream("audit:t1")
    assert [(e.type, dict(e.payload)) for e in audit] == [
        ("audit.mail_conversation_viewed", {"contact_id": contact_id})
    ]


@pytest.mark.asyncio
async def test_the_timer_report_lists_open_mail_in_the_callers_scope(services: Services) -> None:
    contact_id = await _contact(services)
    scope = AGENT.check("t1", Permission.CONTACT_READ)

    mine = timer_report(services.mailroom, AGENT, "t1", scope, open_only=True, since=None, limit=10)
    others = timer_report(services.mailroom, OTHER, "t1", scope, open_only=True, since=None,
                          limit=10)  # fmt: skip

    assert [item.contact_id for item in mine.items] == [contact_id]
    assert mine.items[0].timers.resolution is not None
    assert others.items == []
