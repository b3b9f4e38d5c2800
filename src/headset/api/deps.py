"""Request dependencies: the runtime, the caller, and reading the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Depends, Request
from pydantic import StringConstraints
from sqlalchemy import Connection, Row, Table, select
from starlette.concurrency import run_in_threadpool

from headset.api.principal import Principal
from headset.api.runtime import Runtime, runtime_of
from headset.api.tenant_exists import require_tenant
from headset.core.errors import Invalid, NotFound


async def caller(request: Request) -> Principal:
    """Authenticates the request: from the credential cache, or in a thread on a miss."""
    runtime = runtime_of(request)
    credential = runtime.credential(request)
    if credential is not None:
        principal = runtime.admit(credential, request, request.method)
    else:
        principal = await run_in_threadpool(runtime.principal, request, request.method)
    tenant_id = request.path_params.get("tenant_id")
    if tenant_id is not None and principal.tenant_ids is None:
        await require_tenant(request, runtime, tenant_id)  # the admin sees "every" tenant
    return principal


Caller = Annotated[Principal, Depends(caller)]


async def runtime(request: Request) -> Runtime:
    """The process's runtime (async: a plain function would cost a thread-pool hop)."""
    return runtime_of(request)


Rt = Annotated[Runtime, Depends(runtime)]

#: Identifiers chosen by clients: short, readable, safe in URLs.
Slug = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{0,62}$", strip_whitespace=True)
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]


@contextmanager
def reading(runtime: Runtime) -> Iterator[Connection]:
    with runtime.reader.connect() as conn:
        yield conn


def check_time_zone(name: str) -> None:
    """Refuses a time zone name the IANA database does not know."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(
            f"unknown time zone {name!r}; use a name like Europe/Riga",
            field="time_zone",
            code="unknown_time_zone",
            params={"value": name},
        ) from None


def tenant_row(
    conn: Connection, table: Table, key: str, tenant_id: str, item_id: str, noun: str
) -> Row[Any]:
    """The tenant's row of `table` whose `key` is `item_id`; NotFound naming the `noun`."""
    row = conn.execute(
        select(table).where(table.c.tenant_id == tenant_id, table.c[key] == item_id)
    ).first()
    if row is None:
        raise NotFound(f"no {noun} {item_id!r} in tenant {tenant_id!r}")
    return row
