"""Mailbox administration and the survey's answer as actions of the mailroom, on the engine
host over SQLite with a fake clock, without HTTP: saved and deleted with one typed directory
event each, passwords sealed and never shown, the address unique in the center, the
mailroom's own view refreshed; a survey answered once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import func, insert, select

from headset.bootstrap import Services
from headset.chat.surveys import survey_answer
from headset.core.errors import Conflict, Invalid, NotFound
from headset.mailroom.mailbox_changes import delete_mailbox, get_mailbox, save_mailbox
from headset.mailroom.mailbox_settings import MailboxIn
from headset.mailroom.survey_answers import answer_survey, is_answered, surveyed_contact
from headset.routing.commands import ConfigureQueue
from headset.routing.model import QueueConfig
from headset.service.operations import Operation
from headset.storage.tables import mailboxes, survey_answers, tenants
from tests.services_on_sqlite import services_on_sqlite

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
SMTP = {"host": "smtp.example.com", "username": "support", "password": "s3cret"}


@pytest_asyncio.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    # internal hosts allowed: no name is looked up, the tests stay offline
    async with services_on_sqlite(tmp_path, NOW, mail_internal_hosts=True) as services:
        for tenant_id in ("t1", "t2"):
            with services.db.begin() as conn:
                conn.execute(
                    insert(tenants).values(tenant_id=tenant_id, name=tenant_id, created_at=NOW)
                )
            queue = ConfigureQueue(QueueConfig(f"{tenant_id}-mail", tenant_id=tenant_id))
            await services.host.submit(Operation(commands=[queue], tenant_id=tenant_id))
        yield services


def _settings(address: str = "support@t1.example.com", **changes: Any) -> MailboxIn:
    given = {"address": address, "display_name": "Support", "queue_id": "t1-mail"}
    return MailboxIn.model_validate({"inbound": "smtp", "smtp": SMTP, **given, **changes})


async def _save(
    services: Services, mailbox_id: str, settings: MailboxIn, tenant: str = "t1"
) -> Any:
    return await save_mailbox(
        services.mailroom, tenant, mailbox_id, settings, actor="user:u1", is_key_generated=False
    )


def _events(services: Services, stream_id: str) -> list[tuple[str, dict[str, Any]]]:
    return [(e.type, dict(e.payload)) for e in services.host.event_log.read_stream(stream_id)]


@pytest.mark.asyncio
async def test_a_saved_mailbox_keeps_its_password_sealed_and_unshown(services: Services) -> None:
    saved = await _save(services, "support", _settings())

    assert saved.smtp is not None
    assert saved.smtp.has_password
    assert "s3cret" not in saved.model_dump_json()
    with services.reader.connect() as conn:
        sealed = conn.execute(select(mailboxes.c.smtp_password)).scalar_one()
    assert sealed is not None
    assert "s3cret" not in sealed
    assert services.mailroom.mailboxes[("t1", "support")].address == "support@t1.example.com"
    assert _events(services, "mailbox:t1") == [
        ("directory.mailbox_saved", {"mailbox_id": "support"})
    ]


@pytest.mark.asyncio
async def test_a_changed_server_needs_its_password_again(services: Services) -> None:
    await _save(services, "support", _settings())
    same = {**SMTP, "password": None}
    moved = {**same, "host": "elsewhere.example.com"}

    kept = await _save(services, "support", _settings(smtp=same))
    with pytest.raises(Invalid) as refused:
        await _save(services, "support", _settings(smtp=moved))

    assert kept.smtp is not None
    assert kept.smtp.has_password
    assert refused.value.code == "password_again"
    stored = get_mailbox(services.mailroom, "t1", "support").smtp
    assert stored is not None
    assert stored.host == "smtp.example.com"


@pytest.mark.asyncio
async def test_an_address_belongs_to_one_mailbox_in_the_whole_center(services: Services) -> None:
    await _save(services, "support", _settings())
    elsewhere = _settings(queue_id="t2-mail")

    with pytest.raises(Conflict) as refused:
        await _save(services, "help", elsewhere, tenant="t2")

    assert refused.value.code == "taken"
    with services.reader.connect() as conn:
        assert conn.execute(select(func.count()).select_from(mailboxes)).scalar_one() == 1
    assert _events(services, "mailbox:t2") == []


@pytest.mark.asyncio
async def test_a_queue_of_another_tenant_is_refused(services: Services) -> None:
    with pytest.raises(Invalid, match="no queue 't2-mail' in tenant 't1'"):
        await _save(services, "support", _settings(queue_id="t2-mail"))


@pytest.mark.asyncio
async def test_a_deleted_mailbox_stops_receiving(services: Services) -> None:
    await _save(services, "support", _settings())

    await delete_mailbox(services.mailroom, "t1", "support", actor="user:u1")

    assert ("t1", "support") not in services.mailroom.mailboxes
    with pytest.raises(NotFound):
        get_mailbox(services.mailroom, "t1", "support")
    assert [kind for kind, _ in _events(services, "mailbox:t1")] == [
        "directory.mailbox_saved",
        "directory.mailbox_deleted",
    ]


@pytest.mark.asyncio
async def test_a_survey_is_answered_once(services: Services) -> None:
    contact = SimpleNamespace(tenant_id="t1", contact_id="k1", queue_id="t1-mail")

    first = await answer_survey(services.host, contact, survey_answer(5, "quick"))
    again = await answer_survey(services.host, contact, survey_answer(1, None))

    assert (first, again) == (True, False)
    assert is_answered(services.reader, "t1", "k1")
    with services.reader.connect() as conn:
        assert conn.execute(select(survey_answers.c.rating)).scalars().all() == [5]
    assert _events(services, "contact:k1") == [
        ("mail.survey_answered", {"contact_id": "k1", "rating": 5})
    ]


def test_a_link_that_is_not_signed_opens_no_survey(services: Services) -> None:
    assert surveyed_contact(services.reader, services.settings.secret_key, "made-up") is None
