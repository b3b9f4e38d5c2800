"""The answer to an e-mail contact's survey link: read the contact, store the answer once.

The link's token names the contact and is signed with the service's secret key
(mail/surveys.py). The answer goes to `survey_answers`, where it counts in CSAT like a
chat's, with a typed `SurveyAnswered` (mailroom/events.py) in the same operation.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from headset.chat.surveys import SurveyAnswer
from headset.core.errors import Conflict
from headset.mail.surveys import read_survey_token
from headset.mailroom.events import SurveyAnswered
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.tables import contacts, customers, mail_threads, mailboxes, survey_answers


def surveyed_contact(reader: Engine, secret_key: str, token: str) -> Any:
    """The contact a survey link names, with its subject, mailbox name and the customer's
    language; None for a link that is not valid."""
    found = read_survey_token(secret_key, token)
    if found is None:
        return None
    tenant_id, contact_id = found
    with reader.connect() as conn:
        return conn.execute(
            select(
                contacts.c.tenant_id,
                contacts.c.contact_id,
                contacts.c.queue_id,
                contacts.c.status,
                customers.c.language,
                mail_threads.c.subject,
                mailboxes.c.display_name,
            )
            .join_from(
                contacts,
                mail_threads,
                (mail_threads.c.tenant_id == contacts.c.tenant_id)
                & (mail_threads.c.contact_id == contacts.c.contact_id),
            )
            .join(
                mailboxes,
                (mailboxes.c.tenant_id == mail_threads.c.tenant_id)
                & (mailboxes.c.mailbox_id == mail_threads.c.mailbox_id),
            )
            .join(
                customers,
                (customers.c.tenant_id == contacts.c.tenant_id)
                & (customers.c.customer_id == contacts.c.customer_id),
                isouter=True,
            )
            .where(contacts.c.tenant_id == tenant_id, contacts.c.contact_id == contact_id)
        ).first()


def is_answered(reader: Engine, tenant_id: str, contact_id: str) -> bool:
    """Whether the contact's survey has its answer."""
    with reader.connect() as conn:
        return _answered(conn, tenant_id, contact_id)


def _answered(conn: Connection, tenant_id: str, contact_id: str) -> bool:
    found = conn.execute(
        select(survey_answers.c.contact_id).where(
            survey_answers.c.tenant_id == tenant_id, survey_answers.c.contact_id == contact_id
        )
    ).first()
    return found is not None


async def answer_survey(host: EngineHost, contact: Any, given: SurveyAnswer) -> bool:
    """Stores the customer's answer to the contact's survey; False if it was answered."""
    now = host.clock.now()

    def write(conn: Connection) -> None:
        if _answered(conn, contact.tenant_id, contact.contact_id):
            raise Conflict("already answered", code="survey_answered")
        conn.execute(
            insert(survey_answers).values(
                tenant_id=contact.tenant_id,
                contact_id=contact.contact_id,
                queue_id=contact.queue_id,
                rating=given.rating,
                comment=given.comment,
                answered_at=now,
            )
        )

    event = SurveyAnswered(contact.tenant_id, contact.contact_id, given.rating, now).new_event()
    try:
        await host.submit(
            Operation(write=write, events=[event], tenant_id=contact.tenant_id, actor="customer")
        )
    except Conflict:
        return False
    return True
