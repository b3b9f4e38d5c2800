"""The composition root builds every service of a process, connects them, and stops them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert

from headset.access.passwords import FAST_FOR_TESTS
from headset.bootstrap import Services, start_services, stop_services
from headset.config import Settings
from headset.core.clock import FakeClock
from headset.routing.commands import ConfigureQueue
from headset.routing.model import QueueConfig
from headset.service.operations import Operation
from headset.storage.tables import tenants

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _settings(tmp_path: Path, mail_receiver_bind: str | None = None) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'headset.db'}",
        secret_key="k" * 32,
        is_secret_generated=False,
        mail_receiver_bind=mail_receiver_bind,
    )


@pytest.mark.asyncio
async def test_the_root_builds_every_service_with_the_clock_and_passwords_it_is_given(
    tmp_path: Path,
) -> None:
    clock = FakeClock(NOW)
    services = await start_services(_settings(tmp_path), clock=clock, passwords=FAST_FOR_TESTS)
    try:
        assert type(services) is Services
        assert services.now() == NOW
        assert services.host.clock is clock
        assert services.passwords is FAST_FOR_TESTS
        assert services.switchboard is None  # voice is off unless HEADSET_VOICE=1
        assert services.mailroom.receiver_port is None  # no HEADSET_MAIL_RECEIVER_BIND
        assert services.sign_ins.per_minute == services.settings.sign_ins_per_minute
        assert {task.get_name() for task in services.tasks} == {
            "headset-webhooks",
            "headset-token-uses",
        }
    finally:
        await stop_services(services)
    assert all(task.cancelled() or task.done() for task in services.tasks)


@pytest.mark.asyncio
async def test_a_committed_event_reaches_the_live_hub_through_the_bus(tmp_path: Path) -> None:
    services = await start_services(
        _settings(tmp_path), clock=FakeClock(NOW), passwords=FAST_FOR_TESTS
    )
    try:
        with services.db.begin() as conn:
            conn.execute(insert(tenants).values(tenant_id="t1", name="T1", created_at=NOW))
        before = services.hub.last_seq
        await services.host.submit(
            Operation(commands=[ConfigureQueue(QueueConfig("t1-sales", tenant_id="t1"))])
        )
        assert services.hub.last_seq > before
        # the host's events are counted in the process's metrics
        assert services.metrics.registry.get_sample_value("headset_events_total") == 1
    finally:
        await stop_services(services)


@pytest.mark.asyncio
async def test_the_mailroom_receives_where_the_settings_say(tmp_path: Path) -> None:
    settings = _settings(tmp_path, mail_receiver_bind="127.0.0.1:0")
    services = await start_services(settings, clock=FakeClock(NOW), passwords=FAST_FOR_TESTS)
    try:
        assert services.mailroom.receiver_port is not None
    finally:
        await stop_services(services)
    assert services.mailroom.server is None


@pytest.mark.asyncio
async def test_the_root_configures_the_tenant_keys_with_the_settings_master_key(
    tmp_path: Path,
) -> None:
    services = await start_services(
        _settings(tmp_path), clock=FakeClock(NOW), passwords=FAST_FOR_TESTS
    )
    try:
        with services.db.begin() as conn:
            conn.execute(insert(tenants).values(tenant_id="t1", name="T1", created_at=NOW))
        data_key = await services.tenant_keys.data_key("t1")
    finally:
        await stop_services(services)
    restarted = await start_services(
        _settings(tmp_path), clock=FakeClock(NOW), passwords=FAST_FOR_TESTS
    )
    try:
        assert await restarted.tenant_keys.data_key("t1") == data_key
    finally:
        await stop_services(restarted)
