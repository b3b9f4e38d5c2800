"""`headset vault new-key` prints a master key; `headset vault rewrap` moves every tenant's
data key under it, with the previous master key configured beside it."""

from __future__ import annotations

import asyncio
import base64
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from headset.cli import main
from headset.config import Settings
from headset.core.clock import FakeClock
from headset.service.tenant_keys import TenantKeys, in_transaction
from headset.storage.database import make_engine, read_only
from headset.storage.migrate import upgrade
from headset.storage.tables import tenant_keys, tenants
from headset.vault.configured import key_ring

NOW = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
SECRET = "s" * 32


def test_new_key_prints_32_random_bytes_in_base64(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["vault", "new-key"]) == 0
    first = capsys.readouterr().out.strip()
    main(["vault", "new-key"])

    assert len(base64.b64decode(first, validate=True)) == 32
    assert capsys.readouterr().out.strip() != first


def test_rewrap_moves_every_key_under_the_new_master_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'headset.db'}"
    upgrade(url)
    db = make_engine(url)
    with db.begin() as conn:
        conn.execute(insert(tenants).values(tenant_id="t1", name="T1", created_at=NOW))
    demo = key_ring(Settings(secret_key=SECRET, is_secret_generated=False))
    keys = TenantKeys(in_transaction(db), read_only(db), demo, FakeClock(NOW))
    data_key = asyncio.run(keys.data_key("t1"))
    main(["vault", "new-key"])
    new_key = capsys.readouterr().out.strip()
    monkeypatch.setenv("HEADSET_SECRET_KEY", SECRET)  # the demo's key: derived from it
    monkeypatch.setenv("HEADSET_MASTER_KEY", new_key)

    assert main(["vault", "rewrap", "--url", url]) == 0
    assert capsys.readouterr().out.strip() == "re-wrapped 1 data keys"
    with db.connect() as conn:
        assert conn.execute(select(tenant_keys.c.key_id)).scalar_one().startswith("local:")
    only_new = key_ring(Settings(master_key=new_key))
    reopened = TenantKeys(in_transaction(db), read_only(db), only_new, FakeClock(NOW))
    assert asyncio.run(reopened.data_key("t1")) == data_key
    db.dispose()


def test_rewrap_without_the_old_master_key_says_which_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'headset.db'}"
    upgrade(url)
    db = make_engine(url)
    with db.begin() as conn:
        conn.execute(insert(tenants).values(tenant_id="t1", name="T1", created_at=NOW))
    demo = key_ring(Settings(secret_key=SECRET, is_secret_generated=False))
    asyncio.run(TenantKeys(in_transaction(db), read_only(db), demo, FakeClock(NOW)).data_key("t1"))
    db.dispose()
    monkeypatch.setenv("HEADSET_SECRET_KEY", "another secret, not the demo's")
    monkeypatch.setenv("HEADSET_MASTER_KEY", base64.b64encode(b"m" * 32).decode())

    assert main(["vault", "rewrap", "--url", url]) == 2
    assert "HEADSET_OLD_MASTER_KEY" in capsys.readouterr().err
