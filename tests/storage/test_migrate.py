"""Migrations build exactly the schema of tables.py, on SQLite and PostgreSQL, idempotently."""

from __future__ import annotations

import ast
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, MetaData, String, inspect

from headset.storage import tables
from headset.storage.database import make_engine
from headset.storage.migrate import SCRIPT_LOCATION, current_revision, upgrade


def _differences(url: str, metadata: MetaData) -> list[Any]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_server_default": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def test_an_empty_database_has_no_revision(empty_url: str) -> None:
    assert current_revision(empty_url) is None


def test_upgrade_builds_exactly_the_tables_module(empty_url: str) -> None:
    upgrade(empty_url)

    assert current_revision(empty_url) == "0010"
    assert _differences(empty_url, tables.metadata) == []


def test_the_comparison_would_notice_a_drift(empty_url: str) -> None:
    upgrade(empty_url)
    drifted = MetaData(naming_convention=tables.metadata.naming_convention)
    for table in tables.metadata.tables.values():
        table.to_metadata(drifted)
    drifted.tables["events"].append_column(Column("extra", String(10)))

    assert [diff[0] for diff in _differences(empty_url, drifted)] == ["add_column"]


def test_upgrade_twice_is_harmless(empty_url: str) -> None:
    upgrade(empty_url)
    upgrade(empty_url)

    assert current_revision(empty_url) == "0010"
    engine = make_engine(empty_url)
    try:
        names = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert names == {*tables.metadata.tables, "alembic_version"}


def test_the_migration_scripts_ship_inside_the_package() -> None:
    assert (SCRIPT_LOCATION / "env.py").is_file()
    assert (SCRIPT_LOCATION / "script.py.mako").is_file()
    assert sorted(p.name for p in (SCRIPT_LOCATION / "versions").glob("*.py")) == [
        "0001_initial.py",
        "0002_chat.py",
        "0003_team_targets.py",
        "0004_mail.py",
        "0005_mail_outbox.py",
        "0006_voice.py",
        "0007_token_expiry.py",
        "0008_customer_matches.py",
        "0009_mail_passwords.py",
        "0010_tenant_keys.py",
    ]


def test_migrations_never_import_application_code() -> None:
    for path in SCRIPT_LOCATION.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.startswith("headset") for name in names), (path.name, names)


def test_tokens_made_before_expiry_existed_get_ninety_days(empty_url: str) -> None:
    """Revision 0007: a token without an end works for 90 days after the upgrade."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert, select

    upgrade(empty_url, "0006")
    engine = make_engine(empty_url)
    made = datetime(2026, 1, 5, tzinfo=UTC)
    try:
        with engine.begin() as conn:
            tenant = {"tenant_id": "acme", "name": "Acme", "created_at": made}
            conn.execute(insert(tables.tenants).values(**tenant))
            old_columns = {c.name for c in tables.api_tokens.c} - {"expires_at"}
            row = {
                "token_id": "t_old",
                "tenant_id": "acme",
                "name": "crm",
                "role": "manager",
                "token_digest": "0" * 64,
                "created_by": "user:u_1",
                "created_at": made,
            }
            assert set(row) <= old_columns
            conn.execute(insert(tables.api_tokens).values(**row))
    finally:
        engine.dispose()
    before = datetime.now(UTC)
    upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        with engine.connect() as conn:
            ends = conn.execute(select(tables.api_tokens.c.expires_at)).scalar_one()
            verified = conn.execute(select(tables.sessions.c.is_second_factor_verified)).first()
    finally:
        engine.dispose()
    assert before + timedelta(days=89) < ends < datetime.now(UTC) + timedelta(days=91)
    assert verified is None  # no sessions; the column exists
