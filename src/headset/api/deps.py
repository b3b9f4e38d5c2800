"""Request dependencies: the runtime, the caller, ids, and reading the database."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from pydantic import StringConstraints
from sqlalchemy import Connection

from headset.api.principal import Principal
from headset.api.runtime import Runtime, runtime_of


def caller(request: Request) -> Principal:
    """Authenticates the request (runs in the thread pool: it reads the database)."""
    runtime = runtime_of(request)
    with runtime.reader.connect() as conn:
        return runtime.principal(conn, request, request.method)


Caller = Annotated[Principal, Depends(caller)]
Rt = Annotated[Runtime, Depends(runtime_of)]

#: Identifiers chosen by clients: short, readable, safe in URLs.
Slug = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]{0,62}$", strip_whitespace=True)
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]


@contextmanager
def reading(runtime: Runtime) -> Iterator[Connection]:
    with runtime.reader.connect() as conn:
        yield conn


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"
