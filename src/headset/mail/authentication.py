"""Whether a message's sender is verified: the MTA in front of Headset says DMARC passed.

Anyone can put any address in From. Checking SPF, DKIM and DMARC is the job of the mail
server that receives for the domain (Exim, Postfix with OpenDMARC, a provider): it records
its verdict in an Authentication-Results header (RFC 8601) at the top of the message, named
by its "authserv-id", and removes headers claiming that id that arrived with the message.
Headset believes only the topmost such header, only when it carries the authserv-id the
operator configured (HEADSET_MAIL_AUTHSERV_ID), and only for `dmarc=pass` on the domain of
the From address. Without that setting no sender is verified.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

HEADER = "Authentication-Results"
_COMMENT = re.compile(r"\([^()]*\)")
_PROPERTY = re.compile(r"([a-z]+\.[a-z0-9_-]+)\s*=\s*(\S+)")


def is_dmarc_pass(headers: Mapping[str, str], from_address: str, authserv_id: str | None) -> bool:
    """Whether the topmost Authentication-Results (in `headers`) is the trusted server's and
    says DMARC passed for the From address's domain."""
    if not authserv_id:
        return False
    value = next((v for k, v in headers.items() if k.lower() == HEADER.lower()), "")
    text = value.lower()
    for _ in range(4):  # comments may nest a little: (p=none (test))
        text = _COMMENT.sub(" ", text)
    server, *results = (part.strip() for part in text.split(";"))
    if not server or server.split()[0] != authserv_id.strip().lower():
        return False
    domain = from_address.lower().rpartition("@")[2]
    if not domain:
        return False
    for result in results:
        method, _, rest = result.partition("=")
        if method.strip() != "dmarc":
            continue
        verdict, *_ = rest.split() or [""]
        properties = dict(_PROPERTY.findall(rest))
        if verdict == "pass" and properties.get("header.from", "").strip('"') == domain:
            return True
    return False
