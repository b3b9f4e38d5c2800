"""The mail settings: the built-in receiver, internal mail hosts, the trusted MTA, links."""

from __future__ import annotations

import pytest

from headset.config import load_settings
from headset.core.errors import Invalid


def test_the_receiver_is_off_by_default_and_bound_where_told() -> None:
    assert load_settings({}).mail_receiver_bind is None
    bound = load_settings({"HEADSET_MAIL_RECEIVER_BIND": "127.0.0.1:2525"})
    assert bound.mail_receiver_bind == "127.0.0.1:2525"


@pytest.mark.parametrize("value", ["2525", "127.0.0.1:smtp", "127.0.0.1:70000"])
def test_a_malformed_receiver_address_names_the_variable(value: str) -> None:
    with pytest.raises(Invalid, match="HEADSET_MAIL_RECEIVER_BIND"):
        load_settings({"HEADSET_MAIL_RECEIVER_BIND": value})


def test_the_public_url_of_e_mailed_links_is_read_without_a_trailing_slash() -> None:
    assert load_settings({}).public_url is None
    given = load_settings({"HEADSET_PUBLIC_URL": "https://help.example.com/"})
    assert given.public_url == "https://help.example.com"
    with pytest.raises(Invalid, match="HEADSET_PUBLIC_URL"):
        load_settings({"HEADSET_PUBLIC_URL": "help.example.com"})


def test_internal_mail_hosts_are_allowed_only_when_the_operator_says_so() -> None:
    assert not load_settings({}).mail_internal_hosts
    assert load_settings({"HEADSET_MAIL_INTERNAL_HOSTS": "1"}).mail_internal_hosts


def test_no_sender_is_verified_until_the_operator_names_their_mta() -> None:
    assert load_settings({}).mail_authserv_id is None
    named = load_settings({"HEADSET_MAIL_AUTHSERV_ID": "MX.Example.com"})
    assert named.mail_authserv_id == "mx.example.com"
    with pytest.raises(Invalid, match="HEADSET_MAIL_AUTHSERV_ID"):
        load_settings({"HEADSET_MAIL_AUTHSERV_ID": "mx.example.com; dmarc=pass"})
