"""What the access service needs from storage: accounts, password hashes, failed-login
strikes and the access log, all on the unit of work's transaction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Protocol

from amanah.domain.access.log import AccessRecord
from amanah.domain.access.model import Account
from amanah.domain.access.throttle import Strikes


class AccessViews(Protocol):
    """Reads of accounts and the access log."""

    def account(self, username: str) -> Account | None: ...

    def accounts(self) -> list[Account]: ...

    def password_hash(self, username: str) -> str | None: ...

    def strikes(self, key: str) -> Strikes: ...

    def log_head(self) -> tuple[int, bytes]:
        """The access log's size and the hash of its last record (``GENESIS`` if empty)."""
        ...

    def log_rows(self, start: int, end: int) -> Iterator[tuple[AccessRecord, bytes]]:
        """Records with ``start <= seq < end`` and their stored hashes, in order."""
        ...

    def log_page(
        self, *, limit: int, offset: int = 0, facility: str | None = None
    ) -> list[AccessRecord]:
        """The newest records first (of one facility, and those of none, if given)."""
        ...


class AccessStore(AccessViews, Protocol):
    """Accounts and the access log inside a write transaction."""

    def put_account(self, account: Account) -> None: ...

    def clear_accounts(self) -> None: ...

    def set_password_hash(self, username: str, password_hash: str, time: str) -> None: ...

    def set_strikes(self, key: str, strikes: Strikes) -> None: ...

    def clear_strikes(self, key: str) -> None: ...

    def forget_strikes(self, before: datetime) -> None:
        """Drop strikes whose last failure is older than ``before`` (and not locked)."""
        ...

    def append_log(self, record: AccessRecord, hash_: bytes) -> None: ...
