"""Webhooks, deliveries and outcomes as data; which URLs a webhook may use."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from headset.access.addresses import Unresolvable
from headset.core.errors import Invalid
from headset.webhooks import DeliveryStatus, Outcome, Webhook, delivery_body, validate_url
from headset.webhooks.model import MAX_ERROR_LENGTH

AT = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_a_webhook_without_event_types_wants_every_contact_event() -> None:
    webhook = Webhook(webhook_id="w1", tenant_id="t1", url="https://x.example", secret="s")
    assert webhook.wants("routing.contact_queued")


def test_a_webhook_with_event_types_wants_only_those() -> None:
    webhook = Webhook(
        webhook_id="w1",
        tenant_id="t1",
        url="https://x.example",
        secret="s",
        event_types=frozenset({"routing.contact_ended"}),
    )
    assert webhook.wants("routing.contact_ended")
    assert not webhook.wants("routing.contact_queued")


def test_an_inactive_webhook_wants_nothing() -> None:
    webhook = Webhook(
        webhook_id="w1", tenant_id="t1", url="https://x.example", secret="s", is_active=False
    )
    assert not webhook.wants("routing.contact_queued")


def test_the_body_has_the_documented_shape() -> None:
    body = delivery_body("d1", "routing.contact_queued", 42, AT, "t1", {"contact_id": "c1"})
    assert json.loads(body) == {
        "delivery_id": "d1",
        "event": "routing.contact_queued",
        "seq": 42,
        "occurred_at": "2026-11-23T08:00:00+00:00",
        "tenant_id": "t1",
        "data": {"contact_id": "c1"},
    }


def test_an_unsuccessful_attempt_with_a_retry_stays_pending() -> None:
    outcome = Outcome.unsuccessful(1, AT, AT + timedelta(seconds=10), "HTTP 500", 500)
    assert outcome.status is DeliveryStatus.PENDING
    assert (outcome.next_attempt_at, outcome.status_code) == (AT + timedelta(seconds=10), 500)


def test_an_unsuccessful_attempt_without_a_retry_is_failed() -> None:
    assert Outcome.unsuccessful(9, AT, None, "refused").status is DeliveryStatus.FAILED


def test_long_error_text_is_truncated() -> None:
    outcome = Outcome.unsuccessful(1, AT, None, "x" * 10_000)
    assert outcome.error is not None
    assert len(outcome.error) == MAX_ERROR_LENGTH
    assert outcome.error.endswith("…")


def test_a_delivered_outcome_has_no_next_attempt() -> None:
    outcome = Outcome.delivered(3, AT, 204)
    assert (outcome.status, outcome.next_attempt_at) == (DeliveryStatus.DELIVERED, None)


@pytest.mark.parametrize(
    "url", ["https://hooks.example.com/headset", "http://93.184.215.14:8080/in?x=1", " https://a.b"]
)
def test_http_and_https_urls_with_a_host_are_accepted(url: str) -> None:
    assert validate_url(url) == url.strip()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379/",
        "http://localhost/hook",
        "http://api.localhost/hook",
        "http://10.0.0.5:8080/in",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://[::1]:8080/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fd00::1]/",
        "http://0.0.0.0/",
    ],
)
def test_internal_addresses_are_refused_unless_the_operator_allows_them(url: str) -> None:
    with pytest.raises(Invalid, match="reachable on the internet"):
        validate_url(url)
    assert validate_url(url, allow_internal=True) == url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://files.example.com/", "must start with https://"),
        ("hooks.example.com/headset", "must start with https://"),
        ("javascript:alert(1)", "must start with https://"),
        ("https://user:pw@hooks.example.com/", "must not contain a user name or password"),
        ("https://user@hooks.example.com/", "must not contain a user name or password"),
        ("https:///path-only", "must name a host"),
        ("https://hooks.example.com:99999/", "not a valid URL"),
        ("https://hooks.example.com:0/", "port 0"),
    ],
)
def test_other_urls_are_refused_saying_why(url: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        validate_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://2130706433/",  # decimal
        "http://0x7f000001/",  # hexadecimal
        "http://127.1/",  # shortened
        "http://0177.0.0.1/",  # octal
        "http://0x7f.1:8080/in",
        "http://0/",
        "http://10.1/",
        "http://[::127.0.0.1]/",  # IPv4-compatible
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
        "http://[2002:c0a8:101::]/",  # 6to4 of 192.168.1.1
    ],
)
def test_addresses_in_the_socket_layers_other_spellings_are_refused_at_registration(
    url: str,
) -> None:
    with pytest.raises(Invalid, match="internal address"):
        validate_url(url)


def test_a_name_resolving_to_an_internal_address_is_refused_at_registration() -> None:
    def resolver(host: str, port: int) -> list[str]:
        assert (host, port) == ("intranet.example.com", 443)
        return ["93.184.215.14", "10.0.0.7"]

    with pytest.raises(Invalid, match=r"resolves to the internal address 10\.0\.0\.7"):
        validate_url("https://intranet.example.com/hook", resolver=resolver)
    assert validate_url("https://intranet.example.com/hook", allow_internal=True, resolver=resolver)


def test_a_name_that_does_not_resolve_yet_is_accepted_and_checked_at_each_delivery() -> None:
    def resolver(host: str, port: int) -> list[str]:
        raise Unresolvable(f"cannot resolve {host}")

    url = "https://not-yet.example.com/hook"
    assert validate_url(url, resolver=resolver) == url
