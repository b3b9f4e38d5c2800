"""save_row: a PUT creates the row the first time and replaces its values afterwards."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, func, insert, select

from headset.storage.tables import skills, tenants
from headset.storage.upsert import save_row


def test_save_row_creates_then_replaces_one_row(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(insert(tenants).values(tenant_id="t", name="T", created_at=datetime.now(UTC)))
        first = save_row(conn, skills, {"tenant_id": "t", "skill_id": "nl"}, {"name": "Dutch"})
        second = save_row(
            conn, skills, {"tenant_id": "t", "skill_id": "nl"}, {"name": "Nederlands"}
        )
        count = conn.execute(select(func.count()).select_from(skills)).scalar_one()
    assert first.name == "Dutch"
    assert second.name == "Nederlands"
    assert count == 1
