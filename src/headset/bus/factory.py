"""Chooses the bus backend from a URL; drivers are imported only for the backend chosen."""

from __future__ import annotations

from headset.bus.base import DEFAULT_CHANNEL, Bus
from headset.bus.memory import MemoryBus
from headset.core.errors import Invalid

SUPPORTED_SCHEMES = ("memory://", "redis://", "rediss://")


def make_bus(url: str, channel: str = DEFAULT_CHANNEL) -> Bus:
    """`memory://` (in-process) or `redis://host:port/db` / `rediss://...` (Redis pub/sub)."""
    scheme, separator, _ = url.partition("://")
    scheme = scheme.lower()
    if separator and scheme == "memory":
        return MemoryBus()
    if separator and scheme in ("redis", "rediss"):
        # Imported here so that the embedded default runs without redis installed.
        from headset.bus.redis import RedisBus

        return RedisBus(url, channel=channel)
    # Only the scheme is echoed: the rest of a bus URL may carry a password.
    shown = f"{scheme}://" if separator else "a URL without a scheme"
    raise Invalid(
        f"unsupported bus URL ({shown}): use one of {', '.join(SUPPORTED_SCHEMES)}, "
        "e.g. memory:// or redis://localhost:6379/0"
    )
