"""Where webhooks may go: the public internet, not the center's own network.

A tenant's manager chooses a webhook's URL, and the service then makes requests to it from
inside the center's network. Without a check, a URL like http://127.0.0.1:6379/ or
http://169.254.169.254/ (a cloud's metadata service) would let a tenant reach machines only
the service should reach. So, unless the operator allows internal targets (an on-premises
integration), a URL naming an internal address is refused when it is registered, and a host
name is resolved before every delivery and refused if any of its addresses is internal.

Resolving before the request narrows, but does not close, the window in which a name could
resolve differently for the request itself (DNS rebinding); an egress proxy or firewall is
the complete answer for a center that needs one.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Host names that are the local machine whatever the resolver says.
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class InternalTarget(Exception):
    """The webhook's host is (or resolves to) an address inside the center's network."""


def is_internal(address: IpAddress) -> bool:
    """True for loopback, private, link-local, shared, reserved and multicast addresses."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def literal_address(host: str) -> IpAddress | None:
    """The address `host` spells out (IPv6 with or without brackets), or None for a name."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def check_host(host: str) -> None:
    """Refuses a host that is internal by its spelling alone (an address or localhost)."""
    name = host.lower().rstrip(".")
    if name in _LOCAL_NAMES or name.endswith(".localhost"):
        raise InternalTarget(f"{host} is this machine")
    address = literal_address(host)
    if address is not None and is_internal(address):
        raise InternalTarget(f"{address} is an internal address")


async def check_resolved(host: str, port: int) -> None:
    """Resolves `host` and refuses it if any address it has is internal."""
    check_host(host)
    if literal_address(host) is not None:
        return
    loop = asyncio.get_running_loop()
    try:
        found = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise OSError(f"cannot resolve {host}: {error.strerror}") from None
    for _family, _type, _proto, _name, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if is_internal(address):
            raise InternalTarget(f"{host} resolves to the internal address {address}")
