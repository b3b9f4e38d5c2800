"""Customers: who a contact is, and the rule for claims of identity (`matching`). Plain
Python over plain data: no web framework, no database."""

from headset.customers.matching import Claim, Decision, Source, decide, lookup_key, masked

__all__ = ["Claim", "Decision", "Source", "decide", "lookup_key", "masked"]
