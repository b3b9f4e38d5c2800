"""Errors the business core raises; each message tells a person what to do about it."""


class HeadsetError(Exception):
    """Base of every error Headset raises on purpose."""


class NotFound(HeadsetError):
    """A named thing (agent, queue, contact, offer) does not exist."""


class Conflict(HeadsetError):
    """The command does not fit the current state (e.g. accepting an expired offer)."""


class Invalid(HeadsetError):
    """The command itself is malformed (e.g. a proficiency outside 1-10)."""
