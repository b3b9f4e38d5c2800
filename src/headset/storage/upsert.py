"""Create-or-replace of one configuration row (PUT semantics), the same on both databases."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Row, Table, insert, select, update


def save_row(
    conn: Connection, table: Table, keys: Mapping[str, Any], values: Mapping[str, Any]
) -> Row[Any]:
    """Inserts the row named by `keys` with `values`, or updates it; returns it as stored."""
    where = [table.c[name] == value for name, value in keys.items()]
    if conn.execute(select(*[table.c[name] for name in keys]).where(*where)).first() is None:
        conn.execute(insert(table).values(**keys, **values))
    else:
        conn.execute(update(table).where(*where).values(**values))
    return conn.execute(select(table).where(*where)).one()
