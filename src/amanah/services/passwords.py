"""Password hashing: argon2id (RFC 9106) through argon2-cffi.

The hashes are PHC strings (``$argon2id$v=19$m=65536,t=3,p=4$salt$hash``) stored only in the
``accounts`` table; the ledger records that a password changed, never the hash. Parameters
are RFC 9106's second recommendation (64 MiB, 3 passes, 4 lanes), some 50 ms on the field
laptop; a hash made with other parameters is upgraded at the next successful login.
"""

from __future__ import annotations

from functools import cached_property
from typing import Protocol

from argon2 import Parameters as Argon2Parameters
from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.profiles import CHEAPEST, RFC_9106_LOW_MEMORY


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...

    def dummy_hash(self) -> str:
        """A hash of nothing anyone knows, verified for unknown usernames so that a login
        takes as long whether or not the account exists."""
        ...


class Argon2Hasher:
    """argon2id with the given parameters (default: RFC 9106 low-memory)."""

    def __init__(self, parameters: Argon2Parameters = RFC_9106_LOW_MEMORY) -> None:
        self._hasher = _Argon2.from_parameters(parameters)

    @classmethod
    def cheapest(cls) -> Argon2Hasher:
        """For tests only: the smallest parameters argon2 allows (no security at all)."""
        return cls(CHEAPEST)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

    @cached_property
    def _dummy(self) -> str:
        return self._hasher.hash("\0 no account has this password \0")

    def dummy_hash(self) -> str:
        return self._dummy
