"""Contacts: how a contact starts, one rule for every channel (`start`). Plain Python over
plain data: no web framework, no database; the action is service/contacts.py."""

from headset.contacts.start import (
    ClaimedCustomer,
    Decision,
    KnownCustomer,
    StartContact,
    decide,
    for_topic,
    requirements_of,
)

__all__ = [
    "ClaimedCustomer",
    "Decision",
    "KnownCustomer",
    "StartContact",
    "decide",
    "for_topic",
    "requirements_of",
]
