"""Errors the business core raises; each message tells a person what to do about it."""


class HeadsetError(Exception):
    """Base of every error Headset raises on purpose."""


class NotFound(HeadsetError):
    """A named thing (agent, queue, contact, offer) does not exist."""


class Conflict(HeadsetError):
    """The command does not fit the current state (e.g. accepting an expired offer)."""


class Invalid(HeadsetError):
    """The command itself is malformed (e.g. a proficiency outside 1-10)."""


class Unauthenticated(HeadsetError):
    """Nobody is signed in, or the credentials presented are not valid."""


class Forbidden(HeadsetError):
    """The signed-in user or token may not do this."""


class TooManyAttempts(HeadsetError):
    """Too many attempts in a short time (failed sign-ins); try again after `retry_after`."""

    def __init__(self, message: str, retry_after_seconds: float) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
