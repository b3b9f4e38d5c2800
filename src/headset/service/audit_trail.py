"""The tenant's audit trail: personal-data reads recorded as typed events, and the trail read.

Customers, a customer's history, a contact's timeline, a chat's transcript and an e-mail
conversation are personal data: whoever reads them is recorded (`audit.<kind>` on the
tenant's `audit:{tenant_id}` stream, with the reader as actor) before the data is returned,
so a read that cannot be recorded is not answered. The trail is those events with the
directory's and the contacts' changes (`GET /api/v1/tenants/{id}/audit`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from headset.core.messages import Event, message
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.event_log import NewEvent, SqlEventLog

#: Event types of the audit trail: configuration and people changes, personal-data reads.
AUDITED_PREFIXES = ("directory.", "audit.", "contact.")


class AuditEventType(StrEnum):
    """The wire names of audit events (stable: the trail stores them)."""

    CUSTOMERS_VIEWED = "audit.customers_viewed"
    CUSTOMER_HISTORY_VIEWED = "audit.customer_history_viewed"
    CONTACT_VIEWED = "audit.contact_viewed"
    CHAT_TRANSCRIPT_VIEWED = "audit.chat_transcript_viewed"
    MAIL_CONVERSATION_VIEWED = "audit.mail_conversation_viewed"
    CUSTOMER_MATCH_CONFIRMED = "audit.customer_match_confirmed"


@message
class Audited(Event):
    """Someone read personal data of a tenant, or confirmed who a customer is."""

    type: AuditEventType
    tenant_id: str
    #: Which data: customer ids, contact ids, the contact that gave the right to read.
    detail: Mapping[str, Any]
    actor: str
    at: datetime

    @property
    def name(self) -> str:
        return self.type.value

    def new_event(self) -> NewEvent:
        """The event as the operation stores it, on the tenant's audit stream."""
        return NewEvent(
            stream_id=f"audit:{self.tenant_id}",
            type=self.name,
            payload=dict(self.detail),
            occurred_at=self.at,
            tenant_id=self.tenant_id,
            actor=self.actor,
        )


async def record_read(
    host: EngineHost, tenant_id: str, kind: AuditEventType, actor: str, **detail: Any
) -> None:
    """Records that `actor` read personal data of `tenant_id`; `detail` says which."""
    event = Audited(kind, tenant_id, detail, actor, host.clock.now()).new_event()
    await host.submit(Operation(events=[event], tenant_id=tenant_id, actor=actor))


class AuditItem(BaseModel):
    """One event of the trail."""

    seq: int
    type: str
    actor: str | None
    occurred_at: str
    data: dict[str, Any]


class TrailPage(BaseModel):
    """Audit events oldest first, and where the next page starts (`after` of the next)."""

    items: list[AuditItem]
    next_after: int


def trail_page(event_log: SqlEventLog, tenant_id: str, after: int, limit: int) -> TrailPage:
    """Up to `limit` audit events of the tenant after sequence number `after`."""
    items: list[AuditItem] = []
    cursor = after
    # read in pages: engine events of the tenant are skipped, they are not the audit trail
    while len(items) < limit:
        page = event_log.read(after=cursor, limit=1000, tenant_ids=[tenant_id])
        if not page:
            break
        for event in page:
            cursor = event.seq
            if event.type.startswith(AUDITED_PREFIXES):
                items.append(
                    AuditItem(
                        seq=event.seq,
                        type=event.type,
                        actor=event.actor,
                        occurred_at=event.occurred_at.isoformat(),
                        data=dict(event.payload),
                    )
                )
                if len(items) == limit:
                    break
    return TrailPage(items=items, next_after=cursor)
