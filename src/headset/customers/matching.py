"""Who a contact's customer is, when someone says who they are: one rule for every channel.

Anyone can type a known customer's e-mail address into a chat's form, a web call's form, or
the From line of an e-mail. Such **unverified** input never changes or claims an existing
customer: the contact gets a customer of its own carrying the identity as given (name,
e-mail, phone), with a tentative link, a *possible match*, to the existing customer it names.
Until an agent confirms the match (docs/desktop.md, "Customer card"), the existing customer's
profile stays as it was and their earlier contacts are not shown for the new contact.

**Verified** input comes from a signed-in user or an API token (an integration that knows
its customers): it keeps the long-standing behaviour, the customer with the same external id
brought up to date with what was sent, or a new one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Source(StrEnum):
    """Whether the identity in a claim was checked by someone Headset trusts."""

    #: An authenticated API caller (an integration, a user).
    VERIFIED = "verified"
    #: A chat visitor, a web caller, an e-mail sender: anyone can claim anything.
    UNVERIFIED = "unverified"


@dataclass(frozen=True, slots=True)
class Claim:
    """Who someone says they are, as given (None: not given)."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    language: str | None = None
    external_id: str | None = None

    def values(self) -> dict[str, str]:
        """The fields given, for a customer row."""
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True, slots=True)
class Decision:
    """What to store for a claim: bring `update_id` up to date with the claim (verified input
    only), or create a new customer from the claim, possibly matching `possible_match_id`."""

    update_id: str | None = None
    possible_match_id: str | None = None

    @property
    def creates(self) -> bool:
        return self.update_id is None


def lookup_key(claim: Claim, source: Source) -> tuple[str, str] | None:
    """The customer field and value to look an existing customer up by, or None (no lookup):
    a verified claim by its external id, an unverified one by its e-mail, else its phone."""
    if source is Source.VERIFIED:
        return ("external_id", claim.external_id) if claim.external_id else None
    if claim.email:
        return "email", claim.email
    return ("phone", claim.phone) if claim.phone else None


def decide(source: Source, found_id: str | None) -> Decision:
    """The rule: verified input updates the customer it found; unverified input never does,
    it creates a customer of its own that may be `found_id`."""
    if found_id is None:
        return Decision()
    if source is Source.VERIFIED:
        return Decision(update_id=found_id)
    return Decision(possible_match_id=found_id)


def masked(name: str | None, email: str | None, phone: str | None = None) -> str:
    """A hint at a customer that shows no more than a person could guess: "C*** C***,
    c***@e***.com, ***67" — enough for an agent to ask the right question, not to learn the
    name or address."""
    parts = []
    if name:
        parts.append(" ".join(f"{word[0]}***" for word in name.split()))
    if email and "@" in email:
        local, _, domain = email.rpartition("@")
        host, dot, tld = domain.rpartition(".")
        parts.append(f"{local[:1]}***@{(host or tld)[:1]}***{dot}{tld if host else ''}")
    if phone:
        digits = [c for c in phone if c.isdigit()]
        parts.append("***" + "".join(digits[-2:]))
    return ", ".join(parts) or "***"
