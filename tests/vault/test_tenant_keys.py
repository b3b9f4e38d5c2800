"""Tenants' data keys stored wrapped, on SQLite and PostgreSQL: made once, opened after a
restart, re-wrapped under a new master key without changing a byte of any data key."""

from __future__ import annotations

import asyncio
import base64
import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import Engine, insert, select

from headset.config import Pkcs11Settings, Settings
from headset.core.clock import FakeClock
from headset.service.host import EngineHost
from headset.service.tenant_keys import TenantKeys, in_transaction
from headset.storage.database import make_engine, read_only
from headset.storage.event_log import SqlEventLog
from headset.storage.migrate import upgrade
from headset.storage.tables import tenant_keys, tenants
from headset.vault.configured import KeyRing, key_ring
from headset.vault.hsm import Pkcs11KeyProvider
from headset.vault.providers import KeyUnavailable
from tests.postgres_server import postgres_server, postgres_url
from tests.vault.conftest import Token

__all__ = ["postgres_server", "postgres_url"]  # fixtures, re-exported for pytest to find

NOW = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
TENANTS = ("t1", "t2")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'headset.db'}"
        upgrade(url)
        return url
    migrated: str = request.getfixturevalue("postgres_url")
    return migrated


@pytest.fixture
def db(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    with engine.begin() as conn:
        for tenant_id in TENANTS:
            conn.execute(
                insert(tenants).values(tenant_id=tenant_id, name=tenant_id, created_at=NOW)
            )
    yield engine
    engine.dispose()


@pytest_asyncio.fixture
async def host(db: Engine) -> AsyncIterator[EngineHost]:
    host = EngineHost(db, SqlEventLog(db), FakeClock(NOW))
    host.boot()
    await host.start()
    try:
        yield host
    finally:
        await host.stop()


def _key_file(folder: Path, name: str) -> str:
    path = folder / name
    path.write_text(base64.b64encode(os.urandom(32)).decode())
    return str(path)


def _ring(**settings: object) -> KeyRing:
    return key_ring(Settings(secret_key="s" * 32, is_secret_generated=False, **settings))  # type: ignore[arg-type]


def _keys(host: EngineHost, ring: KeyRing) -> TenantKeys:
    return TenantKeys(host.submit, read_only(host.db), ring, host.clock)


def _stored(db: Engine) -> list[tuple[str, int, str, bytes]]:
    t = tenant_keys.c
    with db.connect() as conn:
        rows = conn.execute(
            select(t.tenant_id, t.version, t.key_id, t.wrapped).order_by(t.tenant_id)
        )
        return [(r.tenant_id, r.version, r.key_id, bytes(r.wrapped)) for r in rows]


@pytest.mark.asyncio
async def test_first_use_makes_version_1_once(host: EngineHost, db: Engine) -> None:
    ring = _ring()
    one, other = _keys(host, ring), _keys(host, ring)  # two processes' worth of memory

    opened = await asyncio.gather(one.data_key("t1"), other.data_key("t1"), one.data_key("t1"))

    assert len(set(opened)) == 1
    assert len(opened[0]) == 32
    assert [(tenant, version) for tenant, version, _, _ in _stored(db)] == [("t1", 1)]


@pytest.mark.asyncio
async def test_two_writers_making_a_key_at_once_end_with_one(database_url: str, db: Engine) -> None:
    ring = _ring()
    engines = [make_engine(database_url) for _ in range(2)]
    try:
        writers = [
            TenantKeys(in_transaction(e), read_only(e), ring, FakeClock(NOW)) for e in engines
        ]
        first, second = await asyncio.gather(*(w.data_key("t2") for w in writers))
    finally:
        for engine in engines:
            engine.dispose()

    assert first == second
    assert [(tenant, version) for tenant, version, _, _ in _stored(db)] == [("t2", 1)]


@pytest.mark.asyncio
async def test_the_stored_key_is_wrapped_and_a_restart_opens_it(
    host: EngineHost, db: Engine
) -> None:
    ring = _ring()
    data_key = await _keys(host, ring).data_key("t1")

    [(_, _, key_id, wrapped)] = _stored(db)
    assert data_key not in wrapped
    assert key_id == "secret-key"
    assert await _keys(host, _ring()).data_key("t1") == data_key


@pytest.mark.asyncio
async def test_rotation_between_key_files_keeps_every_data_key(
    host: EngineHost, db: Engine, tmp_path: Path
) -> None:
    old_file, new_file = _key_file(tmp_path, "old.key"), _key_file(tmp_path, "new.key")
    before = _keys(host, _ring(master_key_file=old_file))
    keys = {tenant_id: await before.data_key(tenant_id) for tenant_id in TENANTS}

    rotating = _ring(master_key_file=new_file, old_master_key_file=old_file)
    count = await _keys(host, rotating).rewrap_all()

    assert count == 2
    assert {key_id for _, _, key_id, _ in _stored(db)} == {rotating.active.key_id}
    after = _keys(host, _ring(master_key_file=new_file))  # the old key is gone now
    assert {tenant_id: await after.data_key(tenant_id) for tenant_id in TENANTS} == keys
    assert await _keys(host, rotating).rewrap_all() == 0


@pytest.mark.asyncio
async def test_a_key_wrapped_by_an_unconfigured_master_key_is_unavailable(
    host: EngineHost, tmp_path: Path
) -> None:
    old_file, new_file = _key_file(tmp_path, "old.key"), _key_file(tmp_path, "new.key")
    await _keys(host, _ring(master_key_file=old_file)).data_key("t1")
    without_old = _keys(host, _ring(master_key_file=new_file))

    with pytest.raises(KeyUnavailable, match="HEADSET_OLD_MASTER_KEY"):
        await without_old.rewrap_all()
    with pytest.raises(KeyUnavailable, match="is not configured here"):
        await without_old.data_key("t1")


@pytest.mark.asyncio
async def test_rotation_into_a_pkcs11_token(
    host: EngineHost, db: Engine, tmp_path: Path, softhsm: Token
) -> None:
    old_file = _key_file(tmp_path, "old.key")
    hsm = Pkcs11Settings(softhsm.library, softhsm.label, softhsm.pin, softhsm.new_key_label())
    Pkcs11KeyProvider(hsm.library, hsm.token_label, hsm.pin, hsm.key_label).create_key()
    keys = {t: await _keys(host, _ring(master_key_file=old_file)).data_key(t) for t in TENANTS}

    rotating = _ring(pkcs11=hsm, old_master_key_file=old_file)
    assert await _keys(host, rotating).rewrap_all() == 2

    assert {key_id for _, _, key_id, _ in _stored(db)} == {rotating.active.key_id}
    assert rotating.active.key_id.startswith("pkcs11:")
    after = _keys(host, _ring(pkcs11=hsm))
    assert {t: await after.data_key(t) for t in TENANTS} == keys
