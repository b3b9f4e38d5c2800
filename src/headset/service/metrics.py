"""Prometheus metrics of one process: queue sizes, routing latency, events/s, clients."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class Metrics:
    """One registry per app, so several apps (tests) can live in one process."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.events = Counter("headset_events_total", "Events stored in the log", registry=r)
        self.operations = Counter(
            "headset_operations_total", "Operations committed by the writer", registry=r
        )
        self.routing_seconds = Histogram(
            "headset_routing_seconds",
            "Time the engine took for one operation's commands",
            buckets=(1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 1e-2, 5e-2),
            registry=r,
        )
        self.commit_batch = Histogram(
            "headset_commit_batch_operations",
            "Operations committed together in one transaction",
            buckets=(1, 2, 5, 10, 20, 50, 100, 200, 500),
            registry=r,
        )
        self.waiting = Gauge(
            "headset_queue_waiting", "Contacts waiting or ringing", ["queue"], registry=r
        )
        self.clients = Gauge("headset_live_clients", "Connected live streams", registry=r)
        self.contact_to_offer = Histogram(
            "headset_contact_offer_seconds",
            "From an API contact's request until its events (the offer among them) are "
            "published to the live streams",
            buckets=(
                0.001,
                0.002,
                0.003,
                0.005,
                0.0075,
                0.01,
                0.015,
                0.02,
                0.025,
                0.03,
                0.04,
                0.05,
                0.075,
                0.1,
                0.15,
                0.25,
                0.5,
                1.0,
            ),
            registry=r,
        )
