"""Settings come from HEADSET_* variables; a bad value is refused naming the variable."""

from __future__ import annotations

from datetime import timedelta

import pytest

from headset.config import Settings, load_settings
from headset.core.errors import Invalid


def test_no_variables_give_the_documented_defaults() -> None:
    settings = load_settings({})
    assert settings.database_url.startswith("sqlite:///")
    assert settings.bus_url == "memory://"
    assert settings.is_secret_generated
    assert not settings.webhook_internal_targets
    assert settings.session_duration == timedelta(hours=12)


def test_variables_override_the_defaults() -> None:
    settings = load_settings(
        {
            "HEADSET_DATABASE_URL": "postgresql+psycopg://h@db/headset",
            "HEADSET_BUS_URL": "redis://bus:6379/0",
            "HEADSET_SECRET_KEY": "s" * 32,
            "HEADSET_BIND": "0.0.0.0:9000",
            "HEADSET_REQUIRE_TOTP": "admin, supervisor",
            "HEADSET_SESSION_HOURS": "8",
            "HEADSET_LOG_LEVEL": "WARNING",
            "HEADSET_WEBHOOK_INTERNAL_TARGETS": "1",
        }
    )
    assert settings == Settings(
        database_url="postgresql+psycopg://h@db/headset",
        bus_url="redis://bus:6379/0",
        secret_key="s" * 32,
        is_secret_generated=False,
        host="0.0.0.0",
        port=9000,
        require_totp_roles=frozenset({"admin", "supervisor"}),
        session_duration=timedelta(hours=8),
        log_level="warning",
        webhook_internal_targets=True,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HEADSET_SECRET_KEY", "short"),
        ("HEADSET_BIND", "localhost"),
        ("HEADSET_BIND", "127.0.0.1:70000"),
        ("HEADSET_REQUIRE_TOTP", "admin,wizard"),
        ("HEADSET_MAX_BODY_BYTES", "-5"),
        ("HEADSET_SESSION_HOURS", "soon"),
        ("HEADSET_LOG_LEVEL", "loud"),
    ],
)
def test_a_malformed_value_is_refused_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(Invalid, match=name):
        load_settings({name: value})


def test_voice_is_off_unless_asked_for() -> None:
    assert not load_settings({}).is_voice_enabled
    assert load_settings({"HEADSET_VOICE": "1"}).is_voice_enabled
    assert load_settings({"HEADSET_VOICE": "1"}).media is None  # read by the media settings
