"""API tokens' last use: noted in memory, written at most once a minute per token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from headset.service.token_uses import TokenUses
from headset.storage.database import make_engine
from headset.storage.migrate import upgrade
from headset.storage.tables import api_tokens, tenants

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _engine(tmp_path: Path) -> sa.Engine:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    upgrade(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.insert(tenants).values(tenant_id="acme", name="Acme", created_at=T0))
        for token_id in ("t_a", "t_b"):
            conn.execute(
                sa.insert(api_tokens).values(
                    token_id=token_id,
                    tenant_id="acme",
                    name=token_id,
                    role="qa",
                    token_digest=token_id * 16,
                    created_by="user:u_1",
                    created_at=T0,
                    expires_at=T0 + timedelta(days=90),
                )
            )
    return engine


def _last_used(engine: sa.Engine) -> dict[str, datetime | None]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(api_tokens.c.token_id, api_tokens.c.last_used_at))
        return {r.token_id: r.last_used_at for r in rows}


def test_many_uses_within_a_minute_make_one_write(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    uses = TokenUses()
    try:
        for second in range(0, 60, 5):
            uses.saw("t_a", T0 + timedelta(seconds=second))
        assert uses.pending == 1
        assert uses.flush(engine) == 1
        assert _last_used(engine) == {"t_a": T0, "t_b": None}
        uses.saw("t_a", T0 + timedelta(seconds=59))
        assert uses.pending == 0  # within the minute of the last write
        assert uses.flush(engine) == 0  # and no transaction at all
        uses.saw("t_a", T0 + timedelta(seconds=61))
        uses.saw("t_b", T0 + timedelta(seconds=62))
        assert uses.flush(engine) == 2
        assert _last_used(engine) == {
            "t_a": T0 + timedelta(seconds=61),
            "t_b": T0 + timedelta(seconds=62),
        }
    finally:
        engine.dispose()


def test_a_write_never_moves_the_last_use_back(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    try:
        later, earlier = TokenUses(), TokenUses()  # two processes
        later.saw("t_a", T0 + timedelta(minutes=5))
        earlier.saw("t_a", T0)
        later.flush(engine)
        earlier.flush(engine)
        assert _last_used(engine)["t_a"] == T0 + timedelta(minutes=5)
    finally:
        engine.dispose()


def test_uses_are_kept_when_the_write_fails(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    uses = TokenUses()
    uses.saw("t_a", T0)
    broken = make_engine(f"sqlite:///{tmp_path / 'missing' / 'h.db'}")
    try:
        with pytest.raises(sa.exc.OperationalError):  # no such table there
            uses.flush(broken)
        assert uses.pending == 1
        assert uses.flush(engine) == 1
        assert _last_used(engine)["t_a"] == T0
    finally:
        broken.dispose()
        engine.dispose()
