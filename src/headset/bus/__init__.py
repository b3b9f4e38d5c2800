"""Fan-out of committed events between processes; the backend is chosen by URL."""

from headset.bus.base import DEFAULT_CHANNEL, Bus, BusUnavailable, Handler
from headset.bus.factory import SUPPORTED_SCHEMES, make_bus
from headset.bus.memory import MemoryBus

# RedisBus is not re-exported: importing it imports redis, an optional dependency.
__all__ = [
    "DEFAULT_CHANNEL",
    "SUPPORTED_SCHEMES",
    "Bus",
    "BusUnavailable",
    "Handler",
    "MemoryBus",
    "make_bus",
]
