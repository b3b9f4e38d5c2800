"""Each tenant's data key: made on first use, stored wrapped, opened once per process.

A tenant's first data key is made when something first needs it: wrapped by the active master
key and inserted as version 1 if the tenant has none yet, then read back, in one operation
through the engine host. Two processes making it at once therefore end with one key, and both
use it. Once opened, a data key stays in this process's memory; re-wrapping under a new master
key (`rewrap_all`, `headset vault rewrap`) changes only how it is stored, never its bytes, so
no process needs to forget what it opened. Re-wrapping needs the old master key configured
beside the new one (docs/data-protection.md, "Rotation"), and the service keeps running.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite

from headset.core.clock import Clock
from headset.service.operations import Operation, Outcome
from headset.storage.tables import tenant_keys
from headset.vault.configured import SECRET_KEY_ID, KeyRing
from headset.vault.envelope import WrappedKey, new_data_key, open_data_key, rewrap
from headset.vault.providers import KeyProvider, KeyUnavailable, WrongKey

#: How an operation is committed: the engine host's `submit`, or `in_transaction` for a command.
Submit = Callable[[Operation], Awaitable[Outcome]]


class TenantKeys:
    """Tenants' data keys, unwrapped by the configured master keys and kept in memory."""

    def __init__(self, submit: Submit, reader: Engine, ring: KeyRing, clock: Clock) -> None:
        self._submit = submit
        self._reader = reader
        self._ring = ring
        self._clock = clock
        self._opened: dict[str, bytes] = {}
        # one tenant's key is made once per process; other processes are the insert's affair
        self._making = asyncio.Lock()

    async def data_key(self, tenant_id: str) -> bytes:
        """The tenant's newest data key; the first call for a tenant makes and stores one."""
        opened = self._opened.get(tenant_id)
        if opened is not None:
            return opened
        async with self._making:
            opened = self._opened.get(tenant_id)
            if opened is not None:
                return opened
            stored = await asyncio.to_thread(self._newest, tenant_id)
            if stored is None:
                stored = await self._make(tenant_id)
            opened = await asyncio.to_thread(open_data_key, self._ring.providers, stored, tenant_id)
            self._opened[tenant_id] = opened
            return opened

    async def rewrap_all(self, active: KeyProvider | None = None) -> int:
        """Re-wraps every stored data key not under `active` (the configured active master
        key by default), one operation per tenant; returns how many keys were re-wrapped."""
        active = active or self._ring.active
        stale = await asyncio.to_thread(self._stale, active.key_id)
        count = 0
        for tenant_id, versions in stale.items():
            moved = await asyncio.to_thread(self._rewrapped, tenant_id, versions, active)
            write = partial(_replace, tenant_id=tenant_id, moved=moved)
            outcome = await self._submit(Operation(write=write, tenant_id=tenant_id))
            count += int(outcome.written)
        return count

    async def _make(self, tenant_id: str) -> WrappedKey:
        _, wrapped = await asyncio.to_thread(new_data_key, self._ring.active, tenant_id)
        write = partial(_insert_first, tenant_id=tenant_id, wrapped=wrapped, at=self._clock.now())
        outcome = await self._submit(Operation(write=write, tenant_id=tenant_id))
        stored: WrappedKey = outcome.written
        return stored

    def _rewrapped(
        self, tenant_id: str, versions: list[tuple[int, WrappedKey]], active: KeyProvider
    ) -> list[tuple[int, str, WrappedKey]]:
        moved = []
        for version, stored in versions:
            old = self._ring.providers.get(stored.key_id)
            try:
                if old is None:
                    raise KeyUnavailable("it is not configured here")
                moved.append((version, stored.key_id, rewrap(stored, old, active, tenant_id)))
            except (KeyUnavailable, WrongKey) as error:
                raise KeyUnavailable(
                    f"tenant {tenant_id}'s data key {version} is wrapped by the master key "
                    f"{stored.key_id!r} ({error}): configure that key as HEADSET_OLD_MASTER_KEY "
                    f"(or _FILE) while re-wrapping; {SECRET_KEY_ID!r} is derived from the "
                    "HEADSET_SECRET_KEY it was made with"
                ) from None
        return moved

    def _newest(self, tenant_id: str) -> WrappedKey | None:
        with self._reader.connect() as conn:
            return _newest(conn, tenant_id)

    def _stale(self, active_key_id: str) -> dict[str, list[tuple[int, WrappedKey]]]:
        t = tenant_keys.c
        query = select(t.tenant_id, t.version, t.key_id, t.wrapped).where(t.key_id != active_key_id)
        stale: dict[str, list[tuple[int, WrappedKey]]] = {}
        with self._reader.connect() as conn:
            for row in conn.execute(query.order_by(t.tenant_id, t.version)):
                stored = WrappedKey(row.key_id, bytes(row.wrapped))
                stale.setdefault(row.tenant_id, []).append((row.version, stored))
        return stale


def _newest(conn: Connection, tenant_id: str) -> WrappedKey | None:
    t = tenant_keys.c
    row = conn.execute(
        select(t.key_id, t.wrapped)
        .where(t.tenant_id == tenant_id)
        .order_by(t.version.desc())
        .limit(1)
    ).first()
    return None if row is None else WrappedKey(row.key_id, bytes(row.wrapped))


def _insert_first(
    conn: Connection, *, tenant_id: str, wrapped: WrappedKey, at: datetime
) -> WrappedKey:
    """Version 1 unless the tenant has it already (another process made it first); the
    tenant's key as stored either way."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    row = {
        "tenant_id": tenant_id,
        "version": 1,
        "key_id": wrapped.key_id,
        "wrapped": wrapped.wrapped,
        "created_at": at,
    }
    conn.execute(dialect.insert(tenant_keys).values(**row).on_conflict_do_nothing())
    stored = _newest(conn, tenant_id)
    assert stored is not None  # inserted or already there, in this transaction
    return stored


def _replace(conn: Connection, *, tenant_id: str, moved: list[tuple[int, str, WrappedKey]]) -> int:
    t = tenant_keys.c
    count = 0
    for version, old_key_id, new in moved:
        # only if still wrapped as read: a re-wrap running elsewhere is not undone
        result = conn.execute(
            update(tenant_keys)
            .where(t.tenant_id == tenant_id, t.version == version, t.key_id == old_key_id)
            .values(key_id=new.key_id, wrapped=new.wrapped)
        )
        count += result.rowcount
    return count


def in_transaction(db: Engine) -> Submit:
    """Commits an operation's write in a transaction of its own, for a command run beside the
    service (`headset vault rewrap`): re-wrapping changes no data key, so no running process
    needs to hear of it."""

    async def submit(op: Operation) -> Outcome:
        def run() -> Any:
            assert op.write is not None
            assert not op.commands
            assert not op.events
            with db.begin() as conn:
                return op.write(conn)

        return Outcome(written=await asyncio.to_thread(run))

    return submit
