"""Sessions: signing out, ending a user's access, and when the current session ends."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, delete, select, update

from headset.access.tokens import session_digest
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.tables import api_tokens, sessions


async def sign_out(host: EngineHost, secret_key: str, session_id: str) -> None:
    """Ends the session whose cookie holds `session_id` (none: nothing to end)."""
    digest = session_digest(secret_key, session_id)

    def write(conn: Connection) -> None:
        conn.execute(delete(sessions).where(sessions.c.session_digest == digest))

    await host.submit(Operation(write=write))


def end_access(
    conn: Connection, user_id: str, now: datetime, *, keep_session: str | None = None
) -> None:
    """Ends every session of the user (but `keep_session`, a digest) and revokes the API
    tokens they made: after a new password, role, second factor, or a disabled account.

    A token belongs to the person who made it: whoever took over their account may have made
    tokens to keep a way in, and those end with the account's recovery. The directory event
    of the change clears the credential cache, so nothing cached outlives this.
    """
    ended = delete(sessions).where(sessions.c.user_id == user_id)
    if keep_session is not None:
        ended = ended.where(sessions.c.session_digest != keep_session)
    conn.execute(ended)
    conn.execute(
        update(api_tokens)
        .where(api_tokens.c.created_by == f"user:{user_id}", api_tokens.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def session_expires_at(reader: Engine, secret_key: str, session_id: str) -> datetime | None:
    """When the session whose cookie holds `session_id` ends (None: no such session)."""
    digest = session_digest(secret_key, session_id)
    with reader.connect() as conn:
        found = conn.execute(
            select(sessions.c.expires_at).where(sessions.c.session_digest == digest)
        ).scalar_one_or_none()
    return found.astimezone(UTC) if found is not None else None
