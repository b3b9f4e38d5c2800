"""Media settings from the environment: ICE servers empty unless configured."""

from __future__ import annotations

import pytest

from headset.core.errors import Invalid
from headset.media.settings import MediaSettings, load_media_settings
from headset.media.webrtc import configuration


def test_no_ice_server_is_contacted_unless_configured() -> None:
    settings = load_media_settings({})
    assert settings == MediaSettings()
    assert configuration(settings.ice_servers).iceServers == []


def test_ice_servers_and_workers_are_read() -> None:
    settings = load_media_settings(
        {
            "HEADSET_ICE_SERVERS": "stun:stun.example.org:3478, turn:turn.example.org",
            "HEADSET_MEDIA_WORKERS": "3",
        }
    )
    assert settings.ice_servers == ("stun:stun.example.org:3478", "turn:turn.example.org")
    assert settings.worker_count == 3
    assert [s.urls for s in configuration(settings.ice_servers).iceServers] == list(
        settings.ice_servers
    )


def test_malformed_media_settings_name_the_variable() -> None:
    with pytest.raises(Invalid, match="HEADSET_ICE_SERVERS"):
        load_media_settings({"HEADSET_ICE_SERVERS": "http://x"})
    with pytest.raises(Invalid, match="HEADSET_MEDIA_WORKERS"):
        load_media_settings({"HEADSET_MEDIA_WORKERS": "two"})
    with pytest.raises(Invalid, match="HEADSET_MEDIA_WORKERS"):
        load_media_settings({"HEADSET_MEDIA_WORKERS": "-1"})


def test_zero_media_workers_runs_the_hub_in_process() -> None:
    assert load_media_settings({"HEADSET_MEDIA_WORKERS": "0"}).is_in_process
    assert not load_media_settings({"HEADSET_MEDIA_WORKERS": "2"}).is_in_process


def test_codecs_run_in_the_media_loop_unless_turned_off() -> None:
    assert load_media_settings({}).is_inline_codecs
    assert not load_media_settings({"HEADSET_MEDIA_INLINE_CODECS": "0"}).is_inline_codecs
