"""`Idempotency-Key`: a request sent again after its answer was lost does its work once.

A client that creates something (a contact) and loses the answer cannot tell whether it was
created; with the same `Idempotency-Key` it sends the request again and gets the first
answer back instead of a duplicate. Keys are per tenant and per caller (a user or a token):
another caller's key never matches. The first answer is stored durably with the work itself,
in the same transaction, as an event on the stream `idempotency:{tenant}:{hash}` (the event
log's unique (stream, version) index finds it), so a restart does not forget it.

The same key with a different body is a mistake of the client: 422 `idempotency_key_reused`.
Two requests with the same key at the same moment: the second, checked again inside the
writer's transaction, answers 409 `idempotency_key_in_use`; sent again, it gets the answer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from headset.core.errors import Conflict, Invalid
from headset.storage.event_log import NewEvent
from headset.storage.tables import events

HEADER = "Idempotency-Key"
#: The event that holds a request's first answer (no tenant: it goes to no live stream).
EVENT = "request.answered"


@dataclass(frozen=True, slots=True)
class IdempotentRequest:
    """A request with a key: where its answer is stored, and what the request was."""

    stream_id: str
    request_sha256: str


def keyed(tenant_id: str, actor: str, action: str, key: str, body_json: str) -> IdempotentRequest:
    """The request of `action` with its body as JSON, sent by `actor` in `tenant_id` with
    `key`."""
    scope = hashlib.sha256(f"{actor}\0{action}\0{key}".encode()).hexdigest()
    request = hashlib.sha256(f"{action}\0{body_json}".encode()).hexdigest()
    return IdempotentRequest(f"idempotency:{tenant_id}:{scope}", request)


def first_answer(conn: Connection, request: IdempotentRequest) -> dict[str, Any] | None:
    """The answer stored for the key, or None the first time; 422 for another request."""
    row = conn.execute(
        select(events.c.payload).where(events.c.stream_id == request.stream_id).limit(1)
    ).first()
    if row is None:
        return None
    if row.payload["request_sha256"] != request.request_sha256:
        raise Invalid(
            f"this {HEADER} was used for a different request; use a new key for a new request",
            code="idempotency_key_reused",
        )
    answer: dict[str, Any] = row.payload["answer"]
    return answer


def check_unanswered(conn: Connection, request: IdempotentRequest) -> None:
    """Inside the writer's transaction: another request with the key did not win meanwhile."""
    if first_answer(conn, request) is not None:
        raise Conflict(
            f"a request with this {HEADER} was just answered; send it again to get its answer",
            code="idempotency_key_in_use",
        )


def answered(
    request: IdempotentRequest, answer: dict[str, Any], now: datetime, actor: str
) -> NewEvent:
    """The event that stores the answer, to submit with the work it answers."""
    return NewEvent(
        stream_id=request.stream_id,
        type=EVENT,
        payload={"request_sha256": request.request_sha256, "answer": answer},
        occurred_at=now,
        tenant_id=None,
        actor=actor,
        expected_version=0,  # the log itself refuses a second answer for the key
    )
