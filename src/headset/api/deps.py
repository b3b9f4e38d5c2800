"""Request dependencies: the runtime, the caller, and reading the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from headset.api.principal import Principal
from headset.api.runtime import Runtime, runtime_of
from headset.api.tenant_exists import require_tenant


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


@contextmanager
def reading(runtime: Runtime) -> Iterator[Connection]:
    with runtime.reader.connect() as conn:
        yield conn
