"""Creating users outside the API: the first admin, and the demo's people."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import insert, select

from headset.access.passwords import Passwords, check_policy
from headset.core.errors import Conflict, NotFound
from headset.core.ids import new_id
from headset.storage.database import make_engine
from headset.storage.tables import tenants, user_tenants, users


def create_user(
    url: str,
    passwords: Passwords,
    username: str,
    display_name: str,
    role: str,
    password: str,
    tenant_ids: Sequence[str] = (),
) -> str:
    """Adds a user assigned to `tenant_ids`; refuses a taken username or a weak password."""
    check_policy(password, username)
    password_hash = passwords.hash(password)  # argon2 before, never inside, the transaction
    db = make_engine(url)
    try:
        with db.begin() as conn:
            if conn.execute(select(users.c.user_id).where(users.c.username == username)).first():
                raise Conflict(f"username {username!r} is taken")
            for tenant_id in tenant_ids:
                found = conn.execute(
                    select(tenants.c.tenant_id).where(tenants.c.tenant_id == tenant_id)
                ).first()
                if found is None:
                    raise NotFound(f"no tenant {tenant_id!r}")
            user_id = new_id("u")
            conn.execute(
                insert(users).values(
                    user_id=user_id,
                    username=username,
                    display_name=display_name,
                    role=role,
                    password_hash=password_hash,
                    created_at=datetime.now(UTC),
                )
            )
            for tenant_id in tenant_ids:
                conn.execute(insert(user_tenants).values(user_id=user_id, tenant_id=tenant_id))
    finally:
        db.dispose()
    return user_id
