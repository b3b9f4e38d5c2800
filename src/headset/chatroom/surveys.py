"""The post-chat survey: the customer's answer (once, after the chat), and CSAT by queue."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, insert, select

from headset.chat.events import SurveyAnswered
from headset.chat.surveys import SATISFIED, SurveyAnswer, csat, survey_answer
from headset.chatroom.answers import CsatOut
from headset.chatroom.room import ChatRoom
from headset.chatroom.sessions import CustomerChat
from headset.chatroom.status import is_over
from headset.core.errors import Conflict
from headset.service.operations import Operation
from headset.storage.tables import contacts, survey_answers


async def answer_survey(
    room: ChatRoom, chat: CustomerChat, rating: int, comment: str | None
) -> SurveyAnswer:
    """Stores the customer's answer once the chat has ended; 409 if answered already."""
    answer = survey_answer(rating, comment)
    if not is_over(room, chat):
        raise Conflict("the survey opens once the chat has ended")
    now = room.now()

    def write(conn: Connection) -> None:
        _store(conn, chat, answer, now)

    event = SurveyAnswered(chat.contact_id, answer.rating, room.answering_agent(chat.contact_id))
    await room.host.submit(
        Operation(
            write=write,
            events=[room.stored(chat.tenant_id, event, "customer")],
            tenant_id=chat.tenant_id,
            actor="customer",
        )
    )
    return answer


def _store(conn: Connection, chat: CustomerChat, answer: SurveyAnswer, now: datetime) -> None:
    found = conn.execute(
        select(survey_answers.c.contact_id).where(
            survey_answers.c.tenant_id == chat.tenant_id,
            survey_answers.c.contact_id == chat.contact_id,
        )
    ).first()
    if found is not None:
        raise Conflict("this chat's survey is already answered; thank you", code="survey_answered")
    queue_id = conn.execute(
        select(contacts.c.queue_id).where(
            contacts.c.tenant_id == chat.tenant_id, contacts.c.contact_id == chat.contact_id
        )
    ).scalar_one()
    conn.execute(
        insert(survey_answers).values(
            tenant_id=chat.tenant_id,
            contact_id=chat.contact_id,
            queue_id=queue_id,
            rating=answer.rating,
            comment=answer.comment,
            answered_at=now,
        )
    )


def csat_by_queue(
    room: ChatRoom, tenant_id: str, day: date, start: datetime, end: datetime
) -> list[CsatOut]:
    """Per queue: the survey answers given from `start` to `end` (the tenant's `day`), and
    CSAT in % with two decimals."""
    with room.reader.connect() as conn:
        rows = conn.execute(
            select(survey_answers.c.queue_id, survey_answers.c.rating).where(
                survey_answers.c.tenant_id == tenant_id,
                survey_answers.c.answered_at >= start,
                survey_answers.c.answered_at < end,
            )
        ).all()
    ratings: dict[str, list[int]] = {}
    for row in rows:
        ratings.setdefault(row.queue_id, []).append(row.rating)
    return [
        CsatOut(
            queue_id=queue_id,
            day=day,
            answers=len(values),
            satisfied=sum(1 for r in values if r in SATISFIED),
            csat=None if (score := csat(values)) is None else round(score, 2),
        )
        for queue_id, values in sorted(ratings.items())
    ]
