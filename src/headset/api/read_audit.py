"""Reads of personal data leave a row in the tenant's audit trail, through one function.

Customers, a customer's history, a contact's timeline, a chat's transcript and an e-mail
conversation are personal data: whoever reads them is recorded (`audit.<kind>` on the
tenant's `audit:{tenant_id}` stream, with the caller as actor) before the data is returned,
so a read that cannot be recorded is not answered. `GET /api/v1/tenants/{id}/audit` lists them.
"""

from __future__ import annotations

from typing import Any

from headset.api.principal import Principal
from headset.service.operations import Operation
from headset.storage.event_log import NewEvent

#: The kinds of audited reads (the event type is `audit.<kind>`).
CUSTOMERS_VIEWED = "customers_viewed"
CUSTOMER_HISTORY_VIEWED = "customer_history_viewed"
CONTACT_VIEWED = "contact_viewed"
CHAT_TRANSCRIPT_VIEWED = "chat_transcript_viewed"
MAIL_CONVERSATION_VIEWED = "mail_conversation_viewed"


async def audit_read(rt: Any, who: Principal, tenant_id: str, kind: str, **detail: Any) -> None:
    """Records that `who` read personal data of `tenant_id`; `detail` says which."""
    event = NewEvent(
        stream_id=f"audit:{tenant_id}",
        type=f"audit.{kind}",
        payload=detail,
        occurred_at=rt.now(),
        tenant_id=tenant_id,
        actor=who.actor,
    )
    await rt.host.submit(Operation(events=[event], tenant_id=tenant_id, actor=who.actor))
