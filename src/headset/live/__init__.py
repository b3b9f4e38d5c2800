"""Live streams for signed-in users: committed events fanned out by audience, with resume."""

from headset.live.event import LiveEvent, agent_audience, team_audience, tenant_audience
from headset.live.hub import LiveHub
from headset.live.protocol import (
    RESYNC_EXPIRED,
    RESYNC_SLOW_CONSUMER,
    RESYNC_UNKNOWN_SEQ,
    Message,
    event_message,
    heartbeat_message,
    parse_after,
    resync_message,
    snapshot_message,
)
from headset.live.subscription import Subscription, SubscriptionClosed

__all__ = [
    "RESYNC_EXPIRED",
    "RESYNC_SLOW_CONSUMER",
    "RESYNC_UNKNOWN_SEQ",
    "LiveEvent",
    "LiveHub",
    "Message",
    "Subscription",
    "SubscriptionClosed",
    "agent_audience",
    "event_message",
    "heartbeat_message",
    "parse_after",
    "resync_message",
    "snapshot_message",
    "team_audience",
    "tenant_audience",
]
