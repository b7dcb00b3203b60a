"""Ports the services need from storage, beyond the ledger's own (:mod:`amanah.ledger.ports`).

A *unit of work* is one transaction: the ledger writer and every projection share it, so
entries and the projection rows derived from them commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from amanah.ledger.ports import LedgerReader, LedgerWriter


@dataclass(frozen=True, slots=True)
class OccurrenceRow:
    """One line of the occurrence book as shown to people."""

    seq: int
    time: str
    by: str
    text: str
    source: str
    recorded_at: str


class OccurrenceBook(Protocol):
    """The occurrence book projection."""

    def add(self, rows: Sequence[OccurrenceRow]) -> None: ...

    def clear(self) -> None: ...

    def count(self) -> int: ...

    def latest_time(self) -> str | None: ...

    def page(
        self, *, limit: int, offset: int = 0, newest_first: bool = True
    ) -> list[OccurrenceRow]: ...


class ReadUnit(Protocol):
    """A consistent read view."""

    @property
    def ledger(self) -> LedgerReader: ...

    @property
    def occurrences(self) -> OccurrenceBook: ...


class WriteUnit(Protocol):
    """One write transaction over the ledger and every projection."""

    @property
    def ledger(self) -> LedgerWriter: ...

    @property
    def occurrences(self) -> OccurrenceBook: ...


class Storage(Protocol):
    """Opens units of work. ``writer()`` commits on success and rolls back on any exception."""

    def writer(self) -> AbstractContextManager[WriteUnit]: ...

    def reader(self) -> AbstractContextManager[ReadUnit]: ...

    def close(self) -> None: ...
