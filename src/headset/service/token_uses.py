"""When each API token was last used, written at most once a minute per token.

A write per request would put a database write on every integration call, and on SQLite
every write takes the one write lock. Instead a request only notes the token in memory
(`saw`, a dictionary look-up), and a background task writes the noted uses in one short
transaction every few seconds (`flush`). A token used all day long is written once a
minute; `last_used_at` is therefore at most a minute (plus the flush interval) behind.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import Engine, and_, bindparam, or_, update

from headset.storage.tables import api_tokens

log = logging.getLogger("headset.service")

#: A token's use is written at most this often.
EVERY: Final = timedelta(minutes=1)
#: How often the background task writes what was noted.
FLUSH_SECONDS: Final = 10.0
# Beyond this many tokens the memory of when each was written is dropped (bounded memory;
# the cost is one extra write per token).
_LIMIT: Final = 100_000


class TokenUses:
    """Uses of API tokens noted in memory, written to `api_tokens.last_used_at` in batches."""

    def __init__(self, every: timedelta = EVERY) -> None:
        self.every = every
        self._noted: dict[str, datetime] = {}
        self._pending: dict[str, datetime] = {}

    def saw(self, token_id: str, now: datetime) -> None:
        """A request was made with the token at `now`: no I/O, at most one write a minute."""
        last = self._noted.get(token_id)
        if last is not None and now - last < self.every:
            return
        if len(self._noted) >= _LIMIT:
            self._noted.clear()
        self._noted[token_id] = now
        self._pending[token_id] = now

    @property
    def pending(self) -> int:
        """Uses noted and not written yet."""
        return len(self._pending)

    def flush(self, db: Engine) -> int:
        """Writes the noted uses in one short transaction; returns how many tokens."""
        taken, self._pending = self._pending, {}
        if not taken:
            return 0
        statement = (
            update(api_tokens)
            .where(
                and_(
                    api_tokens.c.token_id == bindparam("id"),
                    or_(
                        api_tokens.c.last_used_at.is_(None),
                        api_tokens.c.last_used_at < bindparam("at"),
                    ),
                )
            )
            .values(last_used_at=bindparam("at"))
        )
        try:
            with db.begin() as conn:
                conn.execute(statement, [{"id": t, "at": at} for t, at in taken.items()])
        except BaseException:
            self._pending = {**taken, **self._pending}  # kept for the next round
            raise
        return len(taken)

    async def run(self, db: Engine, interval: float = FLUSH_SECONDS) -> None:
        """Flushes every `interval` seconds until cancelled (the service flushes at stop)."""
        while True:
            await asyncio.sleep(interval)
            try:
                await asyncio.to_thread(self.flush, db)
            except Exception:  # a busy or restarting database: the next round retries
                log.warning("could not record API token uses", exc_info=True)
