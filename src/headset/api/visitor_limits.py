"""Rate limits for anonymous visitors: chats, left messages and calls started per client
address and per widget; messages and uploads per chat (docs/chat.md, "Rate limits").

One `RateLimit` (access/rate_limits.py) per rule, with the rates of `Settings.visitor_rates`;
a refusal is `TooManyAttempts`, answered 429 with `Retry-After`. The buckets live in the
process (like sign-in's lockout): several processes each allow the rate.

The client address is the socket peer (`request.client.host`). Behind a reverse proxy that
is the proxy's address, so every visitor shares one bucket; Headset reads no
`X-Forwarded-For` of its own accord (anyone can send one). An operator behind a proxy runs
uvicorn with `--proxy-headers --forwarded-allow-ips=<the proxy>`, which makes the peer the
real client before Headset sees it.
"""

from __future__ import annotations

from dataclasses import fields

from starlette.requests import HTTPConnection

from headset.access.rate_limits import RateLimit
from headset.api.runtime import Runtime
from headset.config import VisitorRates


class VisitorLimits:
    """The visitor rules of one process, by their `VisitorRates` field name."""

    def __init__(self, rates: VisitorRates) -> None:
        self._limits = {
            f.name: RateLimit(f.name.replace("_", " "), getattr(rates, f.name))
            for f in fields(rates)
        }

    def __getitem__(self, rule: str) -> RateLimit:
        return self._limits[rule]


def client_address(connection: HTTPConnection) -> str:
    """Who is asking, as far as a rate limit can tell: the socket peer's address."""
    return connection.client.host if connection.client is not None else "unknown"


def check_visitor(connection: HTTPConnection, **keys: str) -> None:
    """Takes a token from each named rule's bucket for its key (`chats_per_address=addr`);
    the first empty one raises `TooManyAttempts`."""
    state = connection.app.state
    runtime: Runtime = state.runtime
    limits: VisitorLimits | None = getattr(state, "visitor_limits", None)
    if limits is None:
        limits = state.visitor_limits = VisitorLimits(runtime.settings.visitor_rates)
    now = runtime.now()
    for rule, key in keys.items():
        limits[rule].check(key, now)
