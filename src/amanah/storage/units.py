"""Units of work: the ledger store and every projection on one transaction.

:func:`open_storage` is the one place that turns a URL into a
:class:`amanah.services.ports.Storage`: ``memory://`` (tests), ``sqlite:///PATH`` (the
default, one file in the data home) or ``postgresql+psycopg://...``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from amanah.errors import NotInitialised, StorageUnavailable, first_line
from amanah.ledger.ports import LedgerReader, LedgerWriter
from amanah.services.ports import OccurrenceBook, OccurrenceRow
from amanah.storage import migrate
from amanah.storage.engine import make_engine
from amanah.storage.ledger_store import SqlStorage
from amanah.storage.memory import MemoryStorage
from amanah.storage.projections import MemoryOccurrenceBook, SqlOccurrenceBook


@dataclass(frozen=True, slots=True)
class WriteUnitImpl:
    ledger: LedgerWriter
    occurrences: OccurrenceBook


@dataclass(frozen=True, slots=True)
class ReadUnitImpl:
    ledger: LedgerReader
    occurrences: OccurrenceBook


class SqlUnits:
    """SQLite or PostgreSQL: projections share the ledger writer's connection."""

    def __init__(self, engine: Engine) -> None:
        self._storage = SqlStorage(engine)
        self.engine = engine

    @contextmanager
    def writer(self) -> Iterator[WriteUnitImpl]:
        with self._storage.writer() as unit:
            yield WriteUnitImpl(unit.ledger, SqlOccurrenceBook(unit.connection))

    @contextmanager
    def reader(self) -> Iterator[ReadUnitImpl]:
        with self._storage.reader() as unit:
            yield ReadUnitImpl(unit.ledger, SqlOccurrenceBook(unit.connection))

    def close(self) -> None:
        self._storage.close()


class MemoryUnits:
    """In memory: projections are staged with the ledger and published only on success."""

    def __init__(self) -> None:
        self._storage = MemoryStorage()
        self._occurrences: list[OccurrenceRow] = []

    @contextmanager
    def writer(self) -> Iterator[WriteUnitImpl]:
        with self._storage.writer() as unit:
            book = MemoryOccurrenceBook(self._occurrences)
            yield WriteUnitImpl(unit.ledger, book)
            self._occurrences = book.rows

    @contextmanager
    def reader(self) -> Iterator[ReadUnitImpl]:
        with self._storage.reader() as unit:
            yield ReadUnitImpl(unit.ledger, MemoryOccurrenceBook(self._occurrences))

    def close(self) -> None:
        self._storage.close()


def open_storage(
    url: str, *, migrate_schema: bool = False, create: bool = False
) -> SqlUnits | MemoryUnits:
    """Storage for ``url``; ``migrate_schema`` brings an older schema up to date.

    A SQLite file that does not exist is created only with ``create`` (``amanah init``):
    a missing or mistyped database must never silently become a new, empty log.
    """
    if url == "memory://":
        return MemoryUnits()
    engine = make_engine(url)
    if engine.dialect.name == "sqlite" and not create:
        database = engine.url.database or ""
        if database in ("", ":memory:") or not Path(database).is_file():
            engine.dispose()
            raise NotInitialised(f"the database {database or url} does not exist")
    try:
        if create:
            migrate.upgrade(engine)
        elif migrate_schema:
            migrate.ensure_current(engine)
    except sa.exc.OperationalError as exc:
        engine.dispose()
        raise StorageUnavailable(f"cannot use the database: {first_line(exc)}") from None
    return SqlUnits(engine)
