"""Which hosts the service may connect to on a tenant's behalf: not the center's own network.

A tenant's manager chooses a webhook's URL (and an admin a mailbox's servers), and the
service then connects there from inside the center's network. Without a check, a host like
127.0.0.1:6379 or 169.254.169.254 (a cloud's metadata service) would let a tenant reach
machines only the service should reach. `check_public_host` is the one rule for every such
host: it refuses a host that is internal by its spelling, then resolves it and refuses it if
any address it resolves to is internal. Unless the operator allowed internal targets, callers
run it when the host is saved and again before each connection.

The spelling is read the way the socket layer reads it, not only the dotted quad:
`socket.inet_aton` (and so getaddrinfo and every connect) takes `2130706433`, `0x7f000001`,
`0177.0.0.1` and `127.1` for 127.0.0.1, so those are addresses here too.

Resolving before the connection narrows, but does not close, the window in which a name could
resolve differently for the connection itself (DNS rebinding); an egress proxy or firewall is
the complete answer for a center that needs one.

Standard library only, so that any package (webhooks, the mailroom, the API) may import it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Callable

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: host, port -> the addresses the host resolves to (as text); raises OSError when it cannot.
Resolver = Callable[[str, int], list[str]]

#: Host names that are the local machine whatever the resolver says.
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
#: IPv6 prefixes that carry an IPv4 address in their last 32 bits (IPv4-compatible, NAT64).
_EMBEDDING = (ipaddress.ip_network("::/96"), ipaddress.ip_network("64:ff9b::/96"))


class InternalAddress(Exception):
    """The host is (or resolves to) an address inside the center's network."""


class Unresolvable(OSError):
    """The host name does not resolve (now): it may later, so callers decide what it means."""


def is_internal(address: IpAddress) -> bool:
    """True for loopback, private, link-local, shared, reserved, unspecified and multicast
    addresses, and for IPv6 addresses that carry such an IPv4 address (mapped, compatible,
    NAT64, 6to4, Teredo)."""
    if address.is_multicast or not address.is_global:
        return True
    if isinstance(address, ipaddress.IPv6Address):
        embedded: list[ipaddress.IPv4Address] = []
        if address.ipv4_mapped is not None:
            embedded.append(address.ipv4_mapped)
        if address.sixtofour is not None:
            embedded.append(address.sixtofour)
        if address.teredo is not None:
            embedded.extend(address.teredo)
        if any(address in net for net in _EMBEDDING):
            embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        return any(is_internal(v4) for v4 in embedded)
    return False


def address_of(host: str) -> IpAddress | None:
    """The address `host` spells, as the socket layer reads it, or None for a name.

    IPv6 with or without brackets (and a zone); IPv4 in every form `inet_aton` accepts:
    dotted, shortened (`127.1`), octal (`0177.0.0.1`), hexadecimal (`0x7f000001`) and
    decimal (`2130706433`).
    """
    text = host.strip().strip("[]")
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if not text.isascii() or not text.replace(".", "").isalnum():
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(text))
    except OSError:
        return None


def resolve(host: str, port: int) -> list[str]:
    """The addresses getaddrinfo gives for `host` (the default resolver)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        reason = error.strerror if isinstance(error, socket.gaierror) else str(error)
        raise Unresolvable(f"cannot resolve {host}: {reason}") from None
    return [str(sockaddr[0]) for _family, _type, _proto, _name, sockaddr in found]


def check_public_host(
    host: str, port: int = 0, *, resolve_name: bool = True, resolver: Resolver | None = None
) -> None:
    """Refuses (InternalAddress) a host inside the center's network; returns for others.

    Internal by spelling: localhost names and internal addresses in any form the socket layer
    accepts. With `resolve_name`, a name is then resolved and refused if any of its addresses
    is internal; a name that does not resolve raises Unresolvable (an OSError).
    """
    name = host.strip().lower().rstrip(".")
    if name in _LOCAL_NAMES or name.endswith(".localhost"):
        raise InternalAddress(f"{host} is this machine")
    address = address_of(host)
    if address is not None:
        if is_internal(address):
            raise InternalAddress(f"{host} is the internal address {address}")
        return
    if not resolve_name:
        return
    for text in (resolver or resolve)(name, port):
        found = ipaddress.ip_address(text.split("%", 1)[0])
        if is_internal(found):
            raise InternalAddress(f"{host} resolves to the internal address {found}")


async def check_public_host_async(
    host: str, port: int = 0, *, resolve_name: bool = True, resolver: Resolver | None = None
) -> None:
    """`check_public_host` without blocking the event loop while the name resolves."""
    if address_of(host) is not None or not resolve_name:
        check_public_host(host, port, resolve_name=False)
        return
    await asyncio.to_thread(check_public_host, host, port, resolver=resolver)
