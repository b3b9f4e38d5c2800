"""`headset db upgrade` and `headset user create`: the first steps of a new installation."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from headset.cli import main
from headset.storage.database import make_engine
from headset.storage.migrate import current_revision
from headset.storage.tables import users


def test_db_upgrade_brings_a_new_database_to_the_newest_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    assert main(["db", "upgrade", "--url", url]) == 0
    assert current_revision(url) is not None
    assert "revision" in capsys.readouterr().out


def test_user_create_adds_an_admin_with_a_hashed_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    monkeypatch.setenv("HEADSET_NEW_PASSWORD", "a-good-long-secret-9")
    assert main(["user", "create", "root", "--role", "admin", "--url", url]) == 0
    db = make_engine(url)
    with db.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == "root")).one()
    db.dispose()
    assert row.role == "admin"
    assert row.password_hash.startswith("$argon2id$")
    assert "a-good-long-secret-9" not in row.password_hash
    assert "created admin root" in capsys.readouterr().out


def test_user_create_refuses_a_weak_password_and_a_taken_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    monkeypatch.setenv("HEADSET_NEW_PASSWORD", "short")
    assert main(["user", "create", "root", "--role", "admin", "--url", url]) == 2
    assert "at least" in capsys.readouterr().err
    monkeypatch.setenv("HEADSET_NEW_PASSWORD", "a-good-long-secret-9")
    assert main(["user", "create", "root", "--role", "admin", "--url", url]) == 0
    assert main(["user", "create", "root", "--role", "agent", "--url", url]) == 2
    assert "taken" in capsys.readouterr().err


def test_serve_refuses_a_malformed_bind_address(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--bind", "nowhere"]) == 2
    assert "HEADSET_BIND" in capsys.readouterr().err
