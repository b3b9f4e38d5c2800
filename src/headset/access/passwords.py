"""Password hashing with argon2id, and the rules a new password must meet."""

from __future__ import annotations

import secrets
from typing import Final

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from headset.core.errors import Invalid

MIN_LENGTH: Final = 10
# Long enough for any passphrase or password manager, short enough that nobody can make
# the server hash megabytes per sign-in.
MAX_LENGTH: Final = 256
# A shorter username would be found inside too many good passwords ("al" in "totally").
_MIN_USERNAME_TO_CHECK: Final = 3


class Passwords:
    """Hashes and verifies passwords with argon2id at fixed cost parameters."""

    def __init__(
        self, *, time_cost: int = 3, memory_cost: int = 65536, parallelism: int = 4
    ) -> None:
        # The defaults are RFC 9106's second recommended option ("low memory"): 3 passes
        # over 64 MiB with 4 lanes: tens of milliseconds per sign-in on a server core.
        self._hasher = PasswordHasher(
            time_cost=time_cost,
            memory_cost=memory_cost,
            parallelism=parallelism,
            hash_len=32,
            salt_len=16,
            type=Type.ID,
        )
        # Verified against when the user does not exist, so that "no such user" takes as
        # long as "wrong password" and sign-in timing does not reveal who has an account.
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))

    @property
    def time_cost(self) -> int:
        """Passes over the memory."""
        return self._hasher.time_cost

    @property
    def memory_cost(self) -> int:
        """Memory used per hash, in KiB."""
        return self._hasher.memory_cost

    @property
    def parallelism(self) -> int:
        """Lanes (threads) per hash."""
        return self._hasher.parallelism

    def hash(self, password: str) -> str:
        """The PHC string (`$argon2id$v=19$m=...`) to store for `password`, freshly salted."""
        return self._hasher.hash(password)

    def verify(self, stored_hash: str, password: str) -> bool:
        """Whether `password` matches; a malformed stored hash raises Invalid.

        A wrong password is an ordinary answer (False), but a stored hash that is not an
        argon2 string means the user row is damaged: that is raised, not hidden as a
        failed sign-in that would count towards a lockout the user cannot escape.
        """
        try:
            return self._hasher.verify(stored_hash, password)
        except InvalidHashError as error:
            raise Invalid(_MALFORMED) from error
        except VerificationError:
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        """Whether `stored_hash` was made with other parameters; rehash after a good sign-in."""
        try:
            return self._hasher.check_needs_rehash(stored_hash)
        except InvalidHashError as error:
            raise Invalid(_MALFORMED) from error

    def dummy_verify(self, password: str = "") -> bool:
        """Spends the time of one verification and returns False; for unknown usernames."""
        self.verify(self._dummy_hash, password)
        return False


_MALFORMED = "the stored password hash is not an argon2 hash; set a new password for this user"

#: The cheapest parameters argon2 accepts: for tests only, never for real passwords.
FAST_FOR_TESTS: Final = Passwords(time_cost=1, memory_cost=8, parallelism=1)


def check_policy(password: str, username: str) -> None:
    """Raises Invalid, saying what to change, when `password` may not be chosen."""
    if len(password) < MIN_LENGTH:
        raise Invalid(
            f"a password needs at least {MIN_LENGTH} characters; this one has {len(password)}",
            field="password",
            code="password_too_short",
            params={"min_length": MIN_LENGTH, "length": len(password)},
        )
    if len(password) > MAX_LENGTH:
        raise Invalid(
            f"a password may have at most {MAX_LENGTH} characters; this one has {len(password)}",
            field="password",
            code="password_too_long",
            params={"max_length": MAX_LENGTH, "length": len(password)},
        )
    folded = password.casefold()
    for name in _names_of(username):
        if len(name) >= _MIN_USERNAME_TO_CHECK and name in folded:
            raise Invalid(
                "a password may not contain the username; choose another password",
                field="password",
                code="password_contains_username",
            )


def _names_of(username: str) -> set[str]:
    # An e-mail address as username is also guessed by its local part ("jan" of jan@x.nl).
    name = username.strip().casefold()
    return {name, name.partition("@")[0]} if "@" in name else {name}
