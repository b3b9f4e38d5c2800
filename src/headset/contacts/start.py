"""How a contact starts, whatever the channel: its stored row and the engine's command.

Every channel (the API, a chat, a left message, a web call, a consultation, an e-mail) says
where the contact waits, what it needs and who it is for (`StartContact`); `decide` turns that
into the one row of `contacts` and the `QueueContact` the engine gets, by one rule:

- the priority is the one the engine routes by: the given one, else the queue's;
- the subject is kept to its first 500 characters;
- the requirements are stored as the engine gets them (skill -> minimum proficiency);
- the language goes to the engine and the row alike;
- a web call starts in its IVR (`is_in_ivr`): stored, not queued, priority 0, until the IVR
  chooses a topic and `decide` runs again for it (`queue_after_ivr` in service/contacts.py).

Plain Python over plain data; the service part is service/contacts.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from headset.core.errors import NotFound
from headset.customers.matching import Claim, Source
from headset.routing.commands import QueueContact
from headset.routing.model import Channel, Direction, SkillRequirement
from headset.routing.records import ContactStatus

#: The longest subject a contact's row keeps.
SUBJECT_LENGTH = 500


@dataclass(frozen=True, slots=True)
class ClaimedCustomer:
    """Someone says who the customer is; customers/matching.py decides what that is worth."""

    claim: Claim
    source: Source


@dataclass(frozen=True, slots=True)
class KnownCustomer:
    """The customer is already known (an e-mail conversation's, from the same address)."""

    customer_id: str


@dataclass(frozen=True, slots=True)
class StartContact:
    """A new contact as a channel asks for it: where it waits, what it needs, who it is for."""

    tenant_id: str
    contact_id: str
    queue_id: str
    channel: Channel
    direction: Direction = Direction.INBOUND
    #: None: the queue's priority.
    priority: int | None = None
    requirements: tuple[SkillRequirement, ...] = ()
    language: str | None = None
    subject: str | None = None
    external_ref: str | None = None
    customer: ClaimedCustomer | KnownCustomer | None = None
    #: A web call: stored now, queued once its IVR chooses a topic.
    is_in_ivr: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    """What starting the contact stores (the row, but for its customer) and asks the engine
    (None: nothing yet, the contact is in its IVR)."""

    row: dict[str, Any]
    command: QueueContact | None


def requirements_of(skills: Mapping[str, Any]) -> tuple[SkillRequirement, ...]:
    """A topic's or a request's skills (name -> minimum) as the engine's requirements."""
    return tuple(SkillRequirement(skill, int(minimum)) for skill, minimum in sorted(skills.items()))


def for_topic(
    tenant_id: str,
    contact_id: str,
    channel: Channel,
    topic: Mapping[str, Any],
    *,
    language: str | None = None,
    customer: ClaimedCustomer | KnownCustomer | None = None,
    is_in_ivr: bool = False,
) -> StartContact:
    """A contact for a widget's topic (a chat, a left message, a web call): the topic names
    its queue, its skills and, with its label, the contact's subject."""
    return StartContact(
        tenant_id,
        contact_id,
        str(topic["queue_id"]),
        channel,
        requirements=requirements_of(topic.get("skills") or {}),
        language=language,
        subject=str(topic.get("label", "")),
        customer=customer,
        is_in_ivr=is_in_ivr,
    )


def decide(start: StartContact, queue_priority: int | None, now: datetime) -> Decision:
    """The contact's row and command; `queue_priority` is None when the engine has no such
    queue, which only a contact in its IVR may start with (it is not queued yet)."""
    if start.is_in_ivr:
        priority = 0 if start.priority is None else start.priority
    elif start.priority is not None:
        priority = start.priority
    elif queue_priority is not None:
        priority = queue_priority
    else:
        raise NotFound(f"no queue {start.queue_id!r}; configure the queue first")
    row: dict[str, Any] = {
        "tenant_id": start.tenant_id,
        "contact_id": start.contact_id,
        "queue_id": start.queue_id,
        "channel": start.channel.value,
        "direction": start.direction.value,
        "status": (ContactStatus.IVR if start.is_in_ivr else ContactStatus.WAITING).value,
        "priority": priority,
        "subject": None if start.subject is None else start.subject[:SUBJECT_LENGTH],
        "language": start.language,
        "requirements": {r.skill: r.minimum for r in start.requirements},
        "external_ref": start.external_ref,
        "created_at": now,
        "queued_at": now,
    }
    if start.is_in_ivr:
        return Decision(row, None)
    command = QueueContact(
        start.contact_id,
        start.queue_id,
        start.channel,
        start.direction,
        start.priority,
        start.requirements,
        start.language,
        start.tenant_id,
    )
    return Decision(row, command)


#: The columns a contact leaving its IVR for a queue takes from its new decision.
QUEUED_COLUMNS = ("status", "queue_id", "queued_at", "priority", "requirements", "subject")
