"""Engines for the two supported databases, set up for an append-only log.

SQLite (the default, one file per facility):

- every connection: ``journal_mode=WAL`` (file databases), ``synchronous=FULL`` so that a
  committed entry survives power loss, ``foreign_keys=ON``, ``busy_timeout=10000``;
- the sqlite3 driver's own transaction handling is switched off (``isolation_level=None``)
  and SQLAlchemy's ``begin`` event emits BEGIN itself (the recipe in SQLAlchemy's SQLite
  dialect documentation, "Using SQLAlchemy to emit BEGIN in lieu of SQLite's transaction
  control"): a connection with the execution option ``amanah_write=True`` begins with
  ``BEGIN IMMEDIATE`` (it takes the write lock up front, so two writers queue on
  ``busy_timeout`` instead of failing at their first write), any other with a plain ``BEGIN``.

PostgreSQL (``postgresql+psycopg://``): a transaction begun with ``amanah_write=True`` first
takes ``pg_advisory_xact_lock(WRITE_LOCK_KEY)``, so appends are serialised across processes
and the size a writer reads stays true until it commits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from amanah.errors import InvalidInput

#: Execution option marking a connection whose transactions will write.
WRITE_OPTION = "amanah_write"

#: The advisory lock key every PostgreSQL writer takes ("amanah" in ASCII).
WRITE_LOCK_KEY = 0x616D616E6168


def sqlite_url(path: Path | str) -> str:
    """The SQLAlchemy URL of the SQLite database file at ``path``, built so that no
    character of the path (``?``, ``#``, ``%``) is read as URL syntax."""
    url = sa.engine.URL.create("sqlite", database=str(Path(path).absolute()))
    return url.render_as_string(hide_password=False)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` with Amanah's connection and transaction settings.

    Raises :class:`InvalidInput` for anything but a SQLite or PostgreSQL URL; a plain
    ``postgresql://`` URL uses psycopg 3, the driver Amanah ships with.
    """
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise InvalidInput(f"{url!r} is not a database URL") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        engine = sa.create_engine(parsed, **kwargs)
        _setup_sqlite(engine, is_file=parsed.database not in (None, "", ":memory:"))
        return engine
    if backend == "postgresql":
        engine = sa.create_engine(parsed.set(drivername="postgresql+psycopg"), **kwargs)
        _setup_postgresql(engine)
        return engine
    raise InvalidInput(
        f"unsupported database {backend!r}: use sqlite:///PATH or postgresql://USER@HOST/DB"
    )


def is_write(connection: Connection) -> bool:
    return bool(connection.get_execution_options().get(WRITE_OPTION, False))


def _setup_sqlite(engine: Engine, *, is_file: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see module doc)
        cursor = dbapi_connection.cursor()
        try:
            if is_file:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=10000")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Straight to the driver: this runs once per transaction, on the append hot path.
        dbapi = connection.connection.dbapi_connection
        assert dbapi is not None  # an open Connection always holds its DBAPI connection
        dbapi.execute("BEGIN IMMEDIATE" if is_write(connection) else "BEGIN")


def _setup_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if is_write(connection):
            connection.exec_driver_sql(
                "SELECT pg_advisory_xact_lock(%(key)s)", {"key": WRITE_LOCK_KEY}
            )
