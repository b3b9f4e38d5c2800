"""Webhooks and their deliveries as plain data, and the port that stores deliveries."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import urlsplit

from headset.access.addresses import InternalAddress, Resolver, Unresolvable, check_public_host
from headset.core.errors import Invalid

#: Longest error text kept per attempt: enough to diagnose, small enough to list.
MAX_ERROR_LENGTH = 500


class DeliveryStatus(StrEnum):
    """Where a delivery stands: still to send (or resend), done, or given up."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Webhook:
    """A tenant's registered URL and the contact events it wants (empty: all of them)."""

    webhook_id: str
    tenant_id: str
    url: str
    secret: str
    event_types: frozenset[str] = frozenset()
    is_active: bool = True

    def wants(self, event_type: str) -> bool:
        """True if an event of `event_type` should be delivered to this webhook."""
        return self.is_active and (not self.event_types or event_type in self.event_types)


@dataclass(frozen=True, slots=True)
class Delivery:
    """One event on its way to one webhook; `attempt` counts the attempts made so far."""

    delivery_id: str
    webhook_id: str
    tenant_id: str
    event_seq: int
    event_type: str
    #: The exact bytes sent and signed, fixed when the delivery is created (`delivery_body`),
    #: so every retry carries the same body.
    body: bytes
    next_attempt_at: datetime | None
    attempt: int = 0
    status: DeliveryStatus = DeliveryStatus.PENDING
    last_status_code: int | None = None
    last_error: str | None = None
    delivered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt came to; the store records it on the delivery."""

    status: DeliveryStatus
    attempt: int
    attempted_at: datetime
    next_attempt_at: datetime | None = None
    status_code: int | None = None
    error: str | None = None

    @classmethod
    def delivered(cls, attempt: int, at: datetime, status_code: int) -> Outcome:
        """The receiver answered 2xx; `at` becomes the delivery's `delivered_at`."""
        return cls(DeliveryStatus.DELIVERED, attempt, at, status_code=status_code)

    @classmethod
    def unsuccessful(
        cls,
        attempt: int,
        at: datetime,
        retry_at: datetime | None,
        error: str,
        status_code: int | None = None,
    ) -> Outcome:
        """Another attempt at `retry_at` (status pending), or none left (status failed)."""
        status = DeliveryStatus.FAILED if retry_at is None else DeliveryStatus.PENDING
        if len(error) > MAX_ERROR_LENGTH:
            error = error[: MAX_ERROR_LENGTH - 1] + "…"
        return cls(status, attempt, at, retry_at, status_code, error)


class DeliveryStore(Protocol):
    """Where deliveries wait; the service's SQL adapter implements it (synchronously)."""

    def due(self, now: datetime, limit: int) -> list[Delivery]:
        """Pending deliveries with `next_attempt_at <= now`, oldest first, at most `limit`."""
        ...

    def record(self, delivery_id: str, outcome: Outcome) -> None:
        """Stores an attempt's outcome: attempt, status, next_attempt_at, code, error."""
        ...

    def webhook(self, webhook_id: str) -> Webhook | None:
        """The webhook as it is now (its URL and secret may have changed), or None if deleted."""
        ...


def delivery_body(
    delivery_id: str,
    event_type: str,
    seq: int,
    occurred_at: datetime,
    tenant_id: str,
    data: Mapping[str, Any],
) -> bytes:
    """The JSON body receivers get (docs/webhooks.md), as the bytes to store and sign."""
    payload = {
        "delivery_id": delivery_id,
        "event": event_type,
        "seq": seq,
        "occurred_at": occurred_at.isoformat(),
        "tenant_id": tenant_id,
        "data": dict(data),
    }
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def validate_url(
    url: str, *, allow_internal: bool = False, resolver: Resolver | None = None
) -> str:
    """Returns `url` if a webhook may be sent there; raises Invalid saying what is wrong.

    Internal hosts (loopback, private networks, link-local, in any spelling the socket layer
    accepts, or a name resolving to one) are refused unless `allow_internal`
    (`headset.access.addresses.check_public_host`). A name that does not resolve now is
    accepted: it is checked again before every delivery. Resolving blocks: async callers run
    this in a worker thread.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a port that is not a number in range
    except ValueError as exc:
        raise Invalid(f"webhook URL is not a valid URL: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise Invalid("webhook URL must start with https:// (or http://)")
    if parts.username is not None or parts.password is not None:
        # Credentials in a URL end up in logs and delivery listings; the signature
        # is how a receiver authenticates us.
        raise Invalid("webhook URL must not contain a user name or password")
    if not parts.hostname:
        raise Invalid("webhook URL must name a host, e.g. https://example.com/hooks")
    if port == 0:
        raise Invalid("webhook URL must not use port 0")
    if not allow_internal:
        default_port = 443 if parts.scheme == "https" else 80
        try:
            check_public_host(parts.hostname, port or default_port, resolver=resolver)
        except InternalAddress as refused:
            raise Invalid(
                f"webhook URL must be reachable on the internet: {refused} (the operator can "
                "allow internal targets with HEADSET_WEBHOOK_INTERNAL_TARGETS=1)"
            ) from None
        except Unresolvable:
            pass  # perhaps not yet in DNS; every delivery resolves it again
    return url
