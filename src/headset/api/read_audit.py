"""Recording personal-data reads, for routes that name the kind by its short name; the rule
and its typed event are service/audit_trail.py, where callers should take them from."""

from __future__ import annotations

from typing import Any

from headset.api.principal import Principal
from headset.service.audit_trail import AuditEventType, record_read

CONTACT_VIEWED = "contact_viewed"
CHAT_TRANSCRIPT_VIEWED = "chat_transcript_viewed"
MAIL_CONVERSATION_VIEWED = "mail_conversation_viewed"


async def audit_read(rt: Any, who: Principal, tenant_id: str, kind: str, **detail: Any) -> None:
    """Records that `who` read personal data of `tenant_id`; `detail` says which."""
    await record_read(rt.host, tenant_id, AuditEventType(f"audit.{kind}"), who.actor, **detail)
