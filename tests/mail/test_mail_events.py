"""The mailroom's typed events keep the wire names and payloads the event log has stored:
optional fields (the answering agent, a failure's error and next attempt) only when they
apply."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from headset.mailroom.events import (
    HandOver,
    MailFailed,
    MailReceived,
    MailSent,
    SurveyAnswered,
)

AT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_received_mail_names_its_agent_only_when_someone_answers() -> None:
    waiting = MailReceived("t1", "k1", "m1", "th1", "message", "c@x.com", "Hi", None, AT)
    answered = MailReceived("t1", "k1", "m1", "th1", "bounce", "c@x.com", "Hi", "a1", AT)

    stored = waiting.new_event()
    assert (stored.type, stored.stream_id, stored.actor) == ("mail.received", "contact:k1",
                                                             "customer")  # fmt: skip
    assert stored.payload == {
        "contact_id": "k1", "mail_id": "m1", "thread_id": "th1", "kind": "message",
        "from_address": "c@x.com", "subject": "Hi",
    }  # fmt: skip
    assert answered.new_event().payload["agent_id"] == "a1"
    assert answered.new_event().actor == "system:mail"


def test_a_refused_hand_over_says_why_and_when_it_is_tried_again() -> None:
    first = HandOver("t1", "k1", "m1", "reply", 1, "a1", "user:u1", AT)
    second = HandOver("t1", "k1", "m1", "reply", 2, None, "user:u1", AT)
    sent = MailSent(first).new_event()
    failed = MailFailed(second, "SMTPDataError: 554", AT + timedelta(minutes=1)).new_event()

    assert sent.type == "mail.sent"
    assert sent.payload == {
        "contact_id": "k1", "mail_id": "m1", "kind": "reply", "attempts": 1, "agent_id": "a1"
    }  # fmt: skip
    assert failed.type == "mail.failed"
    assert failed.payload == {
        "contact_id": "k1", "mail_id": "m1", "kind": "reply", "attempts": 2,
        "error": "SMTPDataError: 554", "next_attempt_at": "2026-12-07T09:01:00+00:00",
    }  # fmt: skip


def test_a_survey_answer_is_the_customers() -> None:
    stored = SurveyAnswered("t1", "k1", 4, AT).new_event()

    assert (stored.type, stored.actor, dict(stored.payload)) == (
        "mail.survey_answered", "customer", {"contact_id": "k1", "rating": 4},
    )  # fmt: skip
