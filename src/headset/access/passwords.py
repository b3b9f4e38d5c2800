"""Password hashing with argon2id, and the rules a new password must meet."""

from __future__ import annotations

import secrets
import unicodedata
from functools import cache
from importlib import resources
from itertools import pairwise
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
#: Fewer different characters than this is a pattern, not a password ("aaaaaaaaaa").
MIN_DISTINCT: Final = 5
# A common password with up to this many digits or symbols before and after it is still
# common ("!password2024"); more make it a different password.
_MAX_PREFIX: Final = 2
_MAX_SUFFIX: Final = 5
# The letter swaps people make to "strengthen" a word (p@ssw0rd); 1 is tried as i and l.
_UNLEET: Final = str.maketrans({"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a",
                                "$": "s", "!": "i", "|": "l", "+": "t"})  # fmt: skip
# Unicode categories no password may hold: control characters (NUL, tab, newline, escape),
# lone surrogates and the line and paragraph separators. They cannot be typed, and they
# break logs, forms and some databases (PostgreSQL refuses NUL).
_REFUSED_CATEGORIES: Final = frozenset({"Cc", "Cs", "Zl", "Zp"})


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
    if any(unicodedata.category(c) in _REFUSED_CATEGORIES for c in password):
        raise Invalid(
            "a password may not contain control characters (such as tabs, line breaks or "
            "NUL); choose one made of characters you can type",
            field="password",
            code="password_has_control_characters",
        )
    if not password.strip():
        raise Invalid(
            "a password may not be only spaces; choose another password",
            field="password",
            code="password_only_whitespace",
        )
    distinct = len(set(password.casefold()))
    if distinct < MIN_DISTINCT:
        raise Invalid(
            f"a password needs at least {MIN_DISTINCT} different characters; this one has "
            f"{distinct}",
            field="password",
            code="password_too_few_distinct",
            params={"min_distinct": MIN_DISTINCT, "distinct": distinct},
        )
    folded = password.casefold()
    for name in _names_of(username):
        if len(name) >= _MIN_USERNAME_TO_CHECK and name in folded:
            raise Invalid(
                "a password may not contain the username; choose another password",
                field="password",
                code="password_contains_username",
            )
    if is_common(password):
        raise Invalid(
            "this password is one of the most common ones, which attackers try first; "
            "choose a less predictable one (a few unrelated words work well)",
            field="password",
            code="password_too_common",
        )


def is_common(password: str) -> bool:
    """Whether `password` is a common password or a run of the keyboard or alphabet.

    Also refused: a common one in any case, with spaces removed, with the usual letter swaps
    (p@ssw0rd), and with up to two digits or symbols before it and five after it
    (password12, !welcome2024!).
    """
    common = _common_passwords()
    squeezed = "".join(password.casefold().split())
    if _is_run(squeezed):
        return True
    # trimmed once, before or after the swaps: "p@ssw0rd2024" and "!passw0rd"
    candidates = _swapped(_trimmed(squeezed))
    for variant in _swapped(squeezed):
        candidates |= {variant, _trimmed(variant)}
    return not candidates.isdisjoint(common)


def _swapped(word: str) -> set[str]:
    swapped = word.translate(_UNLEET)
    return {word, swapped.replace("1", "i"), swapped.replace("1", "l")}


def _trimmed(word: str) -> str:
    start = 0
    while start < min(_MAX_PREFIX, len(word)) and not word[start].isalpha():
        start += 1
    end = len(word)
    while end > start and len(word) - end < _MAX_SUFFIX and not word[end - 1].isalpha():
        end -= 1
    return word[start:end]


def _is_run(word: str) -> bool:
    # "abcdefghijk", "0123456789", "9876543210": each character one after or before the last
    steps = {ord(b) - ord(a) for a, b in pairwise(word)}
    return len(steps) == 1 and steps <= {1, -1}


@cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("headset.access").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().casefold()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def _names_of(username: str) -> set[str]:
    # An e-mail address as username is also guessed by its local part ("jan" of jan@x.nl).
    name = username.strip().casefold()
    return {name, name.partition("@")[0]} if "@" in name else {name}
