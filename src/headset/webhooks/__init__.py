"""Signed deliveries of contact events to the URLs tenants register, with retries.

The pure parts (signing, schedule, model) are importable without httpx; the deliverer,
which does the HTTP, is imported from `headset.webhooks.deliverer`.
"""

from headset.webhooks.model import (
    Delivery,
    DeliveryStatus,
    DeliveryStore,
    Outcome,
    Webhook,
    delivery_body,
    validate_url,
)
from headset.webhooks.schedule import DEFAULT_DELAYS, RetryPolicy, next_attempt_at
from headset.webhooks.signing import SIGNATURE_HEADER, sign, verify

__all__ = [
    "DEFAULT_DELAYS",
    "SIGNATURE_HEADER",
    "Delivery",
    "DeliveryStatus",
    "DeliveryStore",
    "Outcome",
    "RetryPolicy",
    "Webhook",
    "delivery_body",
    "next_attempt_at",
    "sign",
    "validate_url",
    "verify",
]
