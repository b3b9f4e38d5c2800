"""A chat's transcript by e-mail as a mailroom action, on the engine host over SQLite with a
fake clock, without HTTP: only once the chat has ended, from the mailbox that sends
transcripts, once per chat (asking again answers the first)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import insert

from headset.bootstrap import Services
from headset.chatroom.ending import end_chat
from headset.chatroom.sessions import customer_chat
from headset.chatroom.starting import ChatForm, StartedChat, start_chat
from headset.chatroom.widgets import load_widget
from headset.core.errors import Conflict
from headset.mailroom.chat_transcripts import send_chat_transcript, transcript_senders
from headset.mailroom.mailbox_changes import save_mailbox
from headset.mailroom.mailbox_settings import MailboxIn
from headset.routing.commands import ConfigureQueue
from headset.routing.model import QueueConfig
from headset.service.operations import Operation
from headset.storage.tables import chat_widgets, tenants
from tests.services_on_sqlite import services_on_sqlite

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
KEY = "wk_shop"


@pytest_asyncio.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    async with services_on_sqlite(tmp_path, NOW, mail_internal_hosts=True) as services:
        with services.db.begin() as conn:
            conn.execute(insert(tenants).values(tenant_id="t1", name="T1", created_at=NOW))
            conn.execute(
                insert(chat_widgets).values(
                    tenant_id="t1", widget_id="shop", widget_key=KEY, display_name="Shop",
                    greeting="Hello", languages=[], offline_message="Closed",
                    allowed_origins=[], created_at=NOW,
                    topics=[{"topic_id": "sales", "label": "Buying", "queue_id": "t1-sales"}],
                )
            )  # fmt: skip
        for queue_id in ("t1-sales", "t1-mail"):
            queue = ConfigureQueue(QueueConfig(queue_id, tenant_id="t1"))
            await services.host.submit(Operation(commands=[queue], tenant_id="t1"))
        yield services


async def _sender(services: Services) -> None:
    """The tenant's mailbox that sends transcripts; its server cannot be reached (port 1)."""
    settings = MailboxIn.model_validate(
        {"address": "chat@t1.example.com", "display_name": "Shop", "queue_id": "t1-mail",
         "inbound": "smtp", "smtp": {"host": "127.0.0.1", "port": 1, "security": "none"},
         "sends_transcripts": True}
    )  # fmt: skip
    await save_mailbox(services.mailroom, "t1", "chat", settings, actor="t",
                       is_key_generated=False)  # fmt: skip


async def _chat(services: Services) -> StartedChat:
    widget = load_widget(services.chat, KEY)
    form = ChatForm("Carla", "sales", email="carla@example.com", message="Hello?")
    started = await start_chat(services.chat, widget, form)
    assert isinstance(started, StartedChat)
    return started


@pytest.mark.asyncio
async def test_the_transcript_of_an_ended_chat_is_sent_once(services: Services) -> None:
    await _sender(services)
    started = await _chat(services)
    await end_chat(services.chat, customer_chat(services.chat, KEY, started.chat_id, started.token))

    sent, is_new = await send_chat_transcript(
        services.mailroom, services.chat, KEY, started.chat_id, started.token
    )
    again, is_again_new = await send_chat_transcript(
        services.mailroom, services.chat, KEY, started.chat_id, started.token
    )

    assert (is_new, is_again_new) == (True, False)
    assert sent.to == "carla@example.com"
    assert again == sent


@pytest.mark.asyncio
async def test_no_transcript_while_the_chat_is_open(services: Services) -> None:
    await _sender(services)
    started = await _chat(services)

    with pytest.raises(Conflict) as refused:
        await send_chat_transcript(
            services.mailroom, services.chat, KEY, started.chat_id, started.token
        )

    assert refused.value.code == "chat_open"


@pytest.mark.asyncio
async def test_without_a_sending_mailbox_no_transcript_is_offered(services: Services) -> None:
    started = await _chat(services)
    await end_chat(services.chat, customer_chat(services.chat, KEY, started.chat_id, started.token))

    with pytest.raises(Conflict) as refused:
        await send_chat_transcript(
            services.mailroom, services.chat, KEY, started.chat_id, started.token
        )

    assert refused.value.code == "no_transcripts"
    assert transcript_senders(services.mailroom.mailboxes.values(), "t1") == []
