"""The one rule for hosts the service connects to on a tenant's behalf (webhooks, mail)."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest

from headset.access.addresses import (
    InternalAddress,
    Unresolvable,
    address_of,
    check_public_host,
    check_public_host_async,
    is_internal,
)


@pytest.mark.parametrize(
    ("spelling", "address"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0X7F000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.0.0.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("0", "0.0.0.0"),
        ("[::1]", "::1"),
        ("::ffff:7f00:1", "::ffff:7f00:1"),
        ("93.184.215.14", "93.184.215.14"),
    ],
)
def test_an_address_is_read_the_way_the_socket_layer_reads_it(spelling: str, address: str) -> None:
    assert address_of(spelling) == ipaddress.ip_address(address)


@pytest.mark.parametrize(
    "name",
    ["example.com", "hooks.example.com", "1.2.3.4.example", "a-b", "", "\uff11\uff12\uff17.0.0.1"],
)
def test_a_name_is_no_address(name: str) -> None:
    assert address_of(name) is None


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "224.0.0.1", "255.255.255.255", "240.0.0.1", "::1", "::", "fe80::1",
        "fd00::1", "ff02::1", "::ffff:127.0.0.1", "::127.0.0.1", "64:ff9b::a00:1",
        "2002:7f00:1::", "2001:db8::1",
    ],
)  # fmt: skip
def test_internal_addresses(address: str) -> None:
    assert is_internal(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700::1111"])
def test_public_addresses(address: str) -> None:
    assert not is_internal(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "host", ["localhost", "LOCALHOST.", "api.localhost", "2130706433", "0x7f000001", "127.1"]
)
def test_hosts_internal_by_spelling_are_refused_without_resolving(host: str) -> None:
    def resolver(host: str, port: int) -> list[str]:
        raise AssertionError("must not resolve")

    with pytest.raises(InternalAddress):
        check_public_host(host, 80, resolver=resolver)


def test_a_name_is_refused_when_any_address_it_resolves_to_is_internal() -> None:
    answers = {"mixed.example": ["93.184.215.14", "fe80::1%eth0"], "ok.example": ["8.8.8.8"]}

    def resolver(host: str, port: int) -> list[str]:
        return answers[host]

    with pytest.raises(InternalAddress, match=r"resolves to the internal address fe80::1"):
        check_public_host("mixed.example", 443, resolver=resolver)
    check_public_host("ok.example", 443, resolver=resolver)
    check_public_host("mixed.example", 443, resolve_name=False, resolver=resolver)


def test_a_name_that_does_not_resolve_says_so() -> None:
    with pytest.raises(Unresolvable, match="cannot resolve"):
        check_public_host("no-such-host.invalid", 80)


def test_the_async_form_applies_the_same_rule() -> None:
    with pytest.raises(InternalAddress):
        asyncio.run(check_public_host_async("0x7f000001", 80))

    def resolver(host: str, port: int) -> list[str]:
        return ["192.168.0.9"]

    with pytest.raises(InternalAddress):
        asyncio.run(check_public_host_async("printer.example", 631, resolver=resolver))
    asyncio.run(check_public_host_async("93.184.215.14", 80))
