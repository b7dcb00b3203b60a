"""Units of work: the ledger store and every projection on one transaction.

:func:`open_storage` is the one place that turns a URL into a
:class:`amanah.services.ports.Storage`: ``memory://`` (tests), ``sqlite:///PATH`` (the
default, one file in the data home) or ``postgresql+psycopg://...``.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from amanah.errors import NotInitialised, StorageUnavailable, first_line
from amanah.ledger.ports import LedgerReader, LedgerWriter
from amanah.services.access_ports import AccessStore, AccessViews
from amanah.services.ports import CaseFiles, FacilityStore, FacilityViews, OccurrenceBook
from amanah.storage import migrate
from amanah.storage.access_store import SqlAccessStore
from amanah.storage.case_store import SqlCaseFiles
from amanah.storage.engine import make_engine, sqlite_url
from amanah.storage.facility_store import SqlFacilityStore
from amanah.storage.ledger_store import SqlStorage
from amanah.storage.projections import SqlOccurrenceBook
from amanah.storage.tables import metadata


@dataclass(frozen=True, slots=True)
class WriteUnitImpl:
    ledger: LedgerWriter
    occurrences: OccurrenceBook
    facility: FacilityStore
    access: AccessStore
    cases: CaseFiles


@dataclass(frozen=True, slots=True)
class ReadUnitImpl:
    ledger: LedgerReader
    occurrences: OccurrenceBook
    facility: FacilityViews
    access: AccessViews
    cases: CaseFiles


class SqlUnits:
    """SQLite or PostgreSQL: projections share the ledger writer's connection."""

    def __init__(self, engine: Engine, scratch: Path | None = None) -> None:
        self._storage = SqlStorage(engine)
        self.engine = engine
        self._scratch = scratch  # a throwaway directory removed on close (memory://)

    @contextmanager
    def writer(self) -> Iterator[WriteUnitImpl]:
        with self._storage.writer() as unit:
            c = unit.connection
            yield WriteUnitImpl(
                unit.ledger,
                SqlOccurrenceBook(c),
                SqlFacilityStore(c),
                SqlAccessStore(c),
                SqlCaseFiles(c),
            )

    @contextmanager
    def reader(self) -> Iterator[ReadUnitImpl]:
        with self._storage.reader() as unit:
            c = unit.connection
            yield ReadUnitImpl(
                unit.ledger,
                SqlOccurrenceBook(c),
                SqlFacilityStore(c),
                SqlAccessStore(c),
                SqlCaseFiles(c),
            )

    def close(self) -> None:
        self._storage.close()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)


def _scratch_storage() -> SqlUnits:
    """``memory://``: a throwaway SQLite file (tests), schema from the models, no migrations."""
    scratch = Path(tempfile.mkdtemp(prefix="amanah-scratch-"))
    engine = make_engine(sqlite_url(scratch / "scratch.db"))
    metadata.create_all(engine)
    return SqlUnits(engine, scratch)


def open_storage(url: str, *, migrate_schema: bool = False, create: bool = False) -> SqlUnits:
    """Storage for ``url``; ``migrate_schema`` brings an older schema up to date.

    A SQLite file that does not exist is created only with ``create`` (``amanah init``):
    a missing or mistyped database must never silently become a new, empty log.
    ``memory://`` is a throwaway database for tests, removed when the storage is closed.
    """
    if url == "memory://":
        return _scratch_storage()
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
