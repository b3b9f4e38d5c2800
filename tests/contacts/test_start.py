"""The rule every channel starts a contact by: the row it stores and the engine's command."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from headset.contacts.start import StartContact, decide, for_topic, requirements_of
from headset.core.errors import NotFound
from headset.routing.commands import QueueContact
from headset.routing.model import Channel, Direction, SkillRequirement

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _start(**more: Any) -> StartContact:
    return replace(StartContact("t1", "c_1", "q1", Channel.CHAT), **more)


def test_the_row_takes_the_queues_priority_unless_one_is_given() -> None:
    assert decide(_start(), 7, NOW).row["priority"] == 7
    assert decide(_start(priority=-3), 7, NOW).row["priority"] == -3


def test_the_engine_gets_the_given_priority_or_none_for_the_queues() -> None:
    assert decide(_start(), 7, NOW).command == QueueContact(
        "c_1", "q1", Channel.CHAT, Direction.INBOUND, None, (), None, "t1"
    )
    command = decide(_start(priority=2), 7, NOW).command
    assert command is not None
    assert command.priority == 2


def test_requirements_language_and_subject_go_to_the_row_as_the_engine_gets_them() -> None:
    needs = requirements_of({"spanish": "3", "billing": 5})
    decision = decide(_start(requirements=needs, language="es", subject="x" * 600), 0, NOW)

    assert needs == (SkillRequirement("billing", 5), SkillRequirement("spanish", 3))
    assert decision.row["requirements"] == {"billing": 5, "spanish": 3}
    assert decision.row["language"] == "es"
    assert decision.row["subject"] == "x" * 500
    assert decision.command is not None
    assert decision.command.requirements == needs
    assert decision.command.language == "es"


def test_a_new_contact_waits_from_the_moment_it_starts() -> None:
    row = decide(_start(), 0, NOW).row

    assert row["status"] == "waiting"
    assert row["created_at"] == row["queued_at"] == NOW


def test_a_call_in_its_ivr_is_stored_but_not_queued() -> None:
    decision = decide(_start(channel=Channel.VOICE, is_in_ivr=True), None, NOW)

    assert decision.command is None
    assert decision.row["status"] == "ivr"
    assert decision.row["priority"] == 0  # no queue's priority until it is queued


def test_a_contact_for_a_queue_the_engine_does_not_know_is_refused() -> None:
    with pytest.raises(NotFound, match="no queue 'q1'"):
        decide(_start(), None, NOW)


def test_a_widgets_topic_names_the_queue_the_skills_and_the_subject() -> None:
    topic = {"topic_id": "sales", "label": "Sales", "queue_id": "q1", "skills": {"german": 2}}
    start = for_topic("t1", "c_1", Channel.VOICE, topic, language="de", is_in_ivr=True)

    assert (start.queue_id, start.subject, start.language) == ("q1", "Sales", "de")
    assert start.requirements == (SkillRequirement("german", 2),)
    assert start.is_in_ivr
