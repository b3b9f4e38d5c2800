"""Which tenant, stream and live audiences each engine event belongs to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from headset.chat.audience import customer_audience, is_for_customer
from headset.core.messages import Event
from headset.directory.events import DirectoryEventType, decode
from headset.live.event import agent_audience, team_audience, tenant_audience
from headset.routing import events as ev
from headset.routing.business_hours import BusinessHours, parse_hours
from headset.routing.commands import ConfigureQueue
from headset.routing.model import QueueConfig
from headset.storage import codec
from headset.storage.event_log import NewEvent, StoredEvent

#: The directory events that give a tenant its time zone (data field "time_zone").
TIME_ZONE_EVENTS = frozenset({DirectoryEventType.TENANT_CREATED, DirectoryEventType.TENANT_UPDATED})


class Tenancy:
    """Remembers the tenant of every live contact and of every agent and queue."""

    def __init__(self) -> None:
        self.contacts: dict[str, str] = {}
        self.agents: dict[str, tuple[str, str | None]] = {}
        self.queues: dict[str, str] = {}
        #: Business hours per queue (queues without an entry are always open).
        self.hours: dict[str, BusinessHours] = {}
        #: Each tenant's time zone: its day is "today" (docs/kpis.md, "Today").
        self.time_zones: dict[str, str] = {}

    def time_zone_of(self, tenant_id: str) -> str:
        return self.time_zones.get(tenant_id, "UTC")

    def learn_time_zones(self, stored: Iterable[StoredEvent]) -> dict[str, str]:
        """Takes the tenants' time zones from committed tenant events; returns the changed."""
        changed: dict[str, str] = {}
        for event in decode(stored):
            tenant_id = event.tenant_id
            zone = event.data.get("time_zone") if event.type in TIME_ZONE_EVENTS else None
            if isinstance(zone, str) and tenant_id and self.time_zones.get(tenant_id) != zone:
                self.time_zones[tenant_id] = changed[tenant_id] = zone
        return changed

    def add_agent(self, agent_id: str, tenant_id: str, team_id: str | None) -> None:
        self.agents[agent_id] = (tenant_id, team_id)

    def observe(self, event: Event) -> None:
        """Learns from an event before it is converted (queues and new contacts)."""
        if isinstance(event, ev.ContactQueued) and event.tenant_id:
            self.contacts[event.contact_id] = event.tenant_id
        elif isinstance(event, ev.QueueConfigured) and event.config.tenant_id:
            self.queues[event.config.queue_id] = event.config.tenant_id

    def forget(self, event: Event) -> None:
        """Drops contacts that are over, once their last event is converted."""
        if isinstance(event, ev.ContactCompleted | ev.ContactAbandoned):
            self.contacts.pop(event.contact_id, None)

    def tenant_of(self, event: Event) -> str | None:
        contact_id = getattr(event, "contact_id", None)
        if contact_id is not None:
            return self.contacts.get(contact_id)
        agent_id = getattr(event, "agent_id", None)
        if agent_id is None and isinstance(event, ev.AgentRegistered):
            agent_id = event.profile.agent_id
        if agent_id is not None:
            place = self.agents.get(agent_id)
            return place[0] if place else None
        if isinstance(event, ev.QueueConfigured):
            return event.config.tenant_id
        return None

    def to_new_event(self, event: Event, actor: str | None, correlation_id: str | None) -> NewEvent:
        """The event as the log stores it: stream, tenant, actor and JSON payload."""
        return NewEvent(
            stream_id=stream_of(event),
            type=event.name,
            payload=codec.encode(event),
            occurred_at=_at(event),
            tenant_id=self.tenant_of(event),
            actor=actor,
            correlation_id=correlation_id,
        )

    def audiences(
        self, payload: dict[str, object], tenant_id: str | None, event_type: str | None = None
    ) -> frozenset[str]:
        """Who sees a stored event on their live stream (the chat's customer only for the
        event types `headset.chat.audience` lets through)."""
        if tenant_id is None:
            return frozenset()
        keys = {tenant_audience(tenant_id)}
        if is_for_customer(event_type, payload):
            keys.add(customer_audience(str(payload["contact_id"])))
        agent_ids = {payload.get("agent_id"), payload.get("from_agent_id")}
        profile = payload.get("profile")
        if isinstance(profile, dict):
            agent_ids.add(profile.get("agent_id"))
        for agent_id in agent_ids:
            if isinstance(agent_id, str):
                keys.add(agent_audience(agent_id))
                place = self.agents.get(agent_id)
                if place and place[1]:
                    keys.add(team_audience(tenant_id, place[1]))
        if payload.get("target_kind") == "agent" and isinstance(payload.get("target_id"), str):
            keys.add(agent_audience(str(payload["target_id"])))
        return frozenset(keys)


def rezoned_queues(
    configs: Mapping[str, QueueConfig], time_zones: Mapping[str, str]
) -> list[ConfigureQueue]:
    """The queues whose settings carry another time zone than their tenant's (in
    `time_zones`), configured again with the tenant's."""
    commands = []
    for config in configs.values():
        zone = time_zones.get(config.tenant_id or "")
        if zone is not None and zone != config.tenant_time_zone:
            commands.append(ConfigureQueue(replace(config, tenant_time_zone=zone)))
    return commands


def queue_hours(row: Any) -> BusinessHours:
    """A `queues` row's business hours."""
    return BusinessHours(
        parse_hours(row.business_hours),
        [date.fromisoformat(d) for d in row.holidays],
        row.time_zone,
    )


def stream_of(event: Event) -> str:
    """Contact events form one stream per contact, agent events one per agent."""
    contact_id = getattr(event, "contact_id", None)
    if contact_id is not None:
        return f"contact:{contact_id}"
    if isinstance(event, ev.AgentStateChanged):
        return f"agent:{event.agent_id}"
    if isinstance(event, ev.AgentRegistered):
        return f"agent:{event.profile.agent_id}"
    if isinstance(event, ev.QueueConfigured):
        return f"queue:{event.config.queue_id}"
    return "routing"


def _at(event: Event) -> datetime:
    return event.at  # type: ignore[attr-defined, no-any-return]
