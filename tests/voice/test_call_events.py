"""Call events are typed messages whose wire names and stored data do not change."""

from __future__ import annotations

from datetime import UTC, datetime

from headset.calls import events as ev
from headset.calls.origins import Origin, origin_of

AT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_the_wire_names_are_the_ones_the_log_holds() -> None:
    assert {
        "voice.call_started", "voice.call_queued", "voice.digits", "voice.call_ringing",
        "voice.call_answered", "voice.call_held", "voice.call_resumed", "voice.call_muted",
        "voice.call_unmuted", "voice.call_transferred", "voice.call_conferenced",
        "voice.consultation_started", "voice.consultation_ended", "voice.recording_started",
        "voice.recording_paused", "voice.recording_resumed", "voice.recording_stopped",
        "voice.recording_played", "voice.recording_masked", "voice.supervisor_joined",
        "voice.supervisor_left", "voice.call_ended", "voice.recording_deleted",
        "voice.softphone_changed",
    } == ev.ALL  # fmt: skip


def test_empty_optional_fields_stay_out_of_the_stored_data() -> None:
    assert ev.CallTransferred(AT, "blind", queue_id="q1").data == {
        "mode": "blind", "queue_id": "q1",
    }  # fmt: skip
    assert ev.CallTransferred(AT, "warm", to_agent_id="a2").data == {
        "mode": "warm", "to_agent_id": "a2",
    }  # fmt: skip
    assert ev.DigitsPressed(AT, "12").data == {"digits": "12"}
    assert ev.RecordingPaused(AT).data == {"reason": None}


def test_a_stored_event_decodes_to_its_class_whatever_else_its_payload_carries() -> None:
    payload = {"contact_id": "c1", "tenant_id": "t1", "agent_id": "a1", "hung_up_by": "agent"}
    assert ev.decode("voice.call_ended", AT, payload) == ev.CallEnded(AT, "agent")
    assert ev.decode("voice.call_held", AT, payload) == ev.CallHeld(AT)
    assert ev.decode("routing.contact_ended", AT, payload) is None


def test_every_event_survives_its_stored_data() -> None:
    for cls in ev.BY_NAME.values():
        event = cls(AT)
        assert ev.decode(event.name, AT, event.data) == event


def test_an_origin_is_stored_as_the_actor_text_it_always_was() -> None:
    assert origin_of("system:voice") is Origin.SWITCHBOARD
    assert origin_of("system:recovery") is Origin.RECOVERY
    assert origin_of("user:u1") is None
    assert origin_of(None) is None
    assert str(Origin.IVR) == "system:ivr"
