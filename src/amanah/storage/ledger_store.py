"""The ledger ports (:mod:`amanah.ledger.ports`) on SQLite and PostgreSQL, and the storage
object that opens write and read transactions on an engine.

The hot paths go straight to the driver (``sqlite3`` or ``psycopg``) through the transaction's
own DBAPI connection: ``append`` checks for conflicts, then makes three ``executemany``
calls, and the reads behind roots and proofs are single indexed queries. Everything else uses
SQLAlchemy.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection, Engine

from amanah.errors import Conflict
from amanah.ledger.hashing import HASH_SIZE
from amanah.ledger.merkle import node_key, nodes_before
from amanah.ledger.ports import AppendBatch, LedgerReader, StoredCheckpoint, StoredEntry
from amanah.storage.engine import WRITE_OPTION, make_engine
from amanah.storage.tables import NODE_RUN

# Rows per query when streaming, and keys per IN (...) list (far below SQLite's limit).
_CHUNK = 1000

# Written with sqlite3's "?" marks; psycopg gets "%s" (no statement contains another "?").
_SQL = {
    "size": "SELECT MAX(seq) FROM ledger_entries",
    # Node k lies in the run with the largest first_key <= k, at byte (k - first_key) * 32.
    "nodes_pg": "SELECT k, substring(n.hashes FROM ((k - n.first_key) * 32 + 1)::int FOR 32) "
    "FROM unnest(?::bigint[]) AS k LEFT JOIN LATERAL (SELECT first_key, hashes "
    "FROM ledger_nodes WHERE first_key <= k ORDER BY first_key DESC LIMIT 1) AS n ON true",
    "runs": "SELECT first_key, hashes FROM ledger_nodes WHERE first_key >= "
    "COALESCE((SELECT MAX(first_key) FROM ledger_nodes WHERE first_key <= ?), 0) "
    "AND first_key <= ? ORDER BY first_key",
    "entries": 'SELECT seq, stream, version, "type", "time", body FROM ledger_entries '
    "WHERE seq >= ? AND seq < ? ORDER BY seq LIMIT ?",
    "entry": 'SELECT seq, stream, version, "type", "time", body FROM ledger_entries WHERE seq = ?',
    "stream": 'SELECT seq, stream, version, "type", "time", body FROM ledger_entries '
    "WHERE stream = ? ORDER BY version",
    "stream_version": "SELECT MAX(version) FROM ledger_entries WHERE stream = ?",
    "taken": "SELECT seq FROM ledger_entries WHERE stream = ? AND version = ?",
    "taken_in": "SELECT seq, version FROM ledger_entries WHERE stream = ? "
    "AND version BETWEEN ? AND ?",
    "checkpoints": 'SELECT size, root, note, "time" FROM ledger_checkpoints '
    "WHERE size > ? ORDER BY size LIMIT ?",
    "latest": 'SELECT size, root, note, "time" FROM ledger_checkpoints ORDER BY size DESC LIMIT 1',
    "checkpoint": 'SELECT size, root, note, "time" FROM ledger_checkpoints WHERE size = ?',
    "add_entries": 'INSERT INTO ledger_entries (seq, stream, version, "type", "time", body) '
    "VALUES (?, ?, ?, ?, ?, ?)",
    "add_nodes": "INSERT INTO ledger_nodes (first_key, hashes) VALUES (?, ?)",
    "cosignatures": "SELECT line FROM ledger_cosignatures WHERE size = ? ORDER BY time, line",
    "add_cosignature": "INSERT INTO ledger_cosignatures (size, line, witness, time) "
    "VALUES (?, ?, ?, ?)",
    "add_checkpoint": 'INSERT INTO ledger_checkpoints (size, root, note, "time") '
    "VALUES (?, ?, ?, ?)",
}
_SQL_PG = {name: sql.replace("?", "%s") for name, sql in _SQL.items()}


def _blob(value: Any) -> bytes:
    # SQLite stores whatever it is given: a TEXT value where a BLOB belongs is tampering the
    # audit must report (its bytes will not hash right), not a crash.
    return value.encode("utf-8", "surrogateescape") if isinstance(value, str) else bytes(value)


def _entry(row: Sequence[Any]) -> StoredEntry:
    return StoredEntry(
        int(row[0]), str(row[1]), int(row[2]), str(row[3]), str(row[4]), _blob(row[5])
    )


def _checkpoint(row: Sequence[Any]) -> StoredCheckpoint:
    return StoredCheckpoint(int(row[0]), _blob(row[1]), _blob(row[2]), str(row[3]))


class SqlLedgerStore:
    """:class:`~amanah.ledger.ports.LedgerWriter` on one SQLAlchemy ``Connection``.

    The connection belongs to a unit of work, which begins and ends the transaction; every
    read sees the transaction's own writes. Iterators (``entries``, ``checkpoints``) must be
    consumed before the transaction ends.
    """

    def __init__(self, connection: Connection) -> None:
        self._conn = connection
        self._pg = connection.dialect.name == "postgresql"
        self._sql = _SQL_PG if self._pg else _SQL  # psycopg is "format", sqlite3 "qmark"
        self._integrity_error: type[Exception] = connection.dialect.loaded_dbapi.IntegrityError

    @property
    def connection(self) -> Connection:
        return self._conn

    def _cursor(self) -> Any:
        if not self._conn.in_transaction():
            self._conn.begin()  # as SQLAlchemy's autobegin would; the caller commits
        dbapi = self._conn.connection.dbapi_connection
        assert dbapi is not None  # an open Connection always holds a DBAPI connection
        return dbapi.cursor()

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        cursor = self._cursor()
        try:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cursor = self._cursor()
        try:
            cursor.execute(sql, params)
            return cursor.fetchone()
        finally:
            cursor.close()

    # -- LedgerReader ------------------------------------------------------------------------

    def size(self) -> int:
        last = self._one(self._sql["size"])[0]
        return 0 if last is None else int(last) + 1

    def get_nodes(self, keys: Sequence[int]) -> Mapping[int, bytes]:
        wanted = list(dict.fromkeys(keys))
        found: dict[int, bytes] = {}
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i : i + _CHUNK]
            if self._pg:
                rows = self._all(self._sql["nodes_pg"], [chunk])
            else:
                # One statement for the whole batch: a VALUES list of keys, each resolved by
                # a correlated lookup of its run (an index seek) and a 32-byte substr.
                values = ",".join(["(?)"] * len(chunk))
                sql = (
                    f"WITH wanted(k) AS (VALUES {values}) "  # noqa: S608 -- only "?" marks
                    "SELECT k, (SELECT substr(hashes, (k - first_key) * 32 + 1, 32) "
                    "FROM ledger_nodes WHERE first_key <= k ORDER BY first_key DESC LIMIT 1) "
                    "FROM wanted"
                )
                rows = self._all(sql, chunk)
            found.update((int(k), bytes(h)) for k, h in rows if h is not None and len(h) == 32)
        for key in wanted:
            if key not in found:
                raise KeyError(key)
        return found

    def leaf_hashes(self, start: int, end: int) -> list[bytes]:
        start, end = max(start, 0), min(end, self.size())
        if start >= end:
            return []
        first, last = node_key(0, start), node_key(0, end - 1)
        run = bytearray()
        run_start = first
        for run_key, hashes in self._all(self._sql["runs"], (first, last)):
            key, data = int(run_key), bytes(hashes)
            if not run:
                if key > first:
                    return []  # the run holding the first leaf is missing
                data = data[(first - key) * 32 :]
            elif key != run_start + len(run) // 32:
                break  # a gap: return the leaves up to it
            run += data
        out: list[bytes] = []
        for j in range(start, end):
            offset = (node_key(0, j) - run_start) * 32
            if offset + 32 > len(run):
                break
            out.append(bytes(run[offset : offset + 32]))
        return out

    def entries(self, start: int, end: int) -> Iterator[StoredEntry]:
        sql = self._sql["entries"]
        # Keyset pagination: no cursor stays open between yields, so the caller may run
        # other queries on this connection while iterating.
        while start < end:
            rows = self._all(sql, (start, end, _CHUNK))
            if not rows:
                return
            for row in rows:
                yield _entry(row)
            start = int(rows[-1][0]) + 1

    def entry(self, seq: int) -> StoredEntry | None:
        row = self._one(self._sql["entry"], (seq,))
        return None if row is None else _entry(row)

    def stream(self, stream: str) -> list[StoredEntry]:
        rows = self._all(self._sql["stream"], (stream,))
        return [_entry(r) for r in rows]

    def stream_version(self, stream: str) -> int:
        last = self._one(self._sql["stream_version"], (stream,))[0]
        return 0 if last is None else int(last)

    def checkpoints(self) -> Iterator[StoredCheckpoint]:
        sql = self._sql["checkpoints"]
        after = -1
        while True:
            rows = self._all(sql, (after, _CHUNK))
            if not rows:
                return
            for row in rows:
                yield _checkpoint(row)
            after = int(rows[-1][0])

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        row = self._one(self._sql["latest"])
        return None if row is None else _checkpoint(row)

    def checkpoint(self, size: int) -> StoredCheckpoint | None:
        row = self._one(self._sql["checkpoint"], (size,))
        return None if row is None else _checkpoint(row)

    def cosignatures(self, size: int) -> list[str]:
        return [str(r[0]) for r in self._all(self._sql["cosignatures"], (size,))]

    # -- LedgerWriter ------------------------------------------------------------------------

    def add_cosignatures(self, size: int, lines: Sequence[tuple[str, str]], time: str) -> int:
        known = set(self.cosignatures(size))
        unique = {line: witness for witness, line in lines}
        new = [(size, line, witness, time) for line, witness in unique.items() if line not in known]
        if new:
            cursor = self._cursor()
            try:
                cursor.executemany(self._sql["add_cosignature"], new)
            finally:
                cursor.close()
        return len(new)

    def append(self, batch: AppendBatch) -> None:
        check_batch(batch, self.size())
        sql, cp = self._sql, batch.checkpoint
        # Refuse a taken (stream, version) before writing anything, so that a Conflict leaves
        # the transaction as it was (cheaper than a savepoint on every append).
        problem = self._precheck(batch)
        if problem:
            raise Conflict(problem)
        cursor = self._cursor()
        try:
            if batch.entries:
                cursor.executemany(
                    sql["add_entries"],
                    [(e.seq, e.stream, e.version, e.type, e.time, e.body) for e in batch.entries],
                )
            if batch.nodes:
                cursor.executemany(sql["add_nodes"], _runs(batch.nodes))
            cursor.execute(sql["add_checkpoint"], (cp.size, cp.root, cp.note, cp.time))
        except self._integrity_error as exc:
            # Only a writer racing outside the write lock gets here; the unit of work must
            # roll back (the exception propagates out of writer()).
            raise Conflict(self._explain(batch, exc)) from None
        finally:
            cursor.close()

    def _precheck(self, batch: AppendBatch) -> str | None:
        wanted: dict[str, set[int]] = {}
        for e in batch.entries:
            versions = wanted.setdefault(e.stream, set())
            if e.version in versions:
                return f"stream {e.stream!r} version {e.version} appears twice in one batch"
            versions.add(e.version)
        for stream, versions in wanted.items():
            rows = self._all(self._sql["taken_in"], (stream, min(versions), max(versions)))
            for seq, version in rows:
                if int(version) in versions:
                    return (
                        f"stream {stream!r} version {version} is already taken (by entry "
                        f"{seq}): someone else changed it first; reload and retry"
                    )
        return None

    def _explain(self, batch: AppendBatch, exc: Exception) -> str:
        seen: set[tuple[str, int]] = set()
        for e in batch.entries:
            key = (e.stream, e.version)
            if key in seen:
                return f"stream {e.stream!r} version {e.version} appears twice in one batch"
            seen.add(key)
        for e in batch.entries:
            taken = self._one(self._sql["taken"], (e.stream, e.version))
            if taken is not None:
                return (
                    f"stream {e.stream!r} version {e.version} is already taken (by entry "
                    f"{taken[0]}): someone else changed it first; reload and retry"
                )
        return f"the batch at {batch.start} collides with stored ledger rows ({exc})"


def _runs(nodes: Sequence[tuple[int, bytes]]) -> list[tuple[int, bytes]]:
    """Consecutive node hashes as rows of at most ``NODE_RUN`` hashes."""
    first = nodes[0][0]
    return [
        (first + i, b"".join(h for _, h in nodes[i : i + NODE_RUN]))
        for i in range(0, len(nodes), NODE_RUN)
    ]


def check_batch(batch: AppendBatch, current: int) -> None:
    """Refuse a batch that does not continue a log of ``current`` entries."""
    if batch.start != current:
        raise Conflict(
            f"the log now holds {current} entries but this batch starts at {batch.start}: "
            "someone else appended first; reload and retry"
        )
    check_batch_shape(batch)


def check_batch_shape(batch: AppendBatch) -> None:
    """Refuse a batch that :mod:`amanah.ledger.log` could not have built (a programming error)."""
    end = batch.start + len(batch.entries)
    if [e.seq for e in batch.entries] != list(range(batch.start, end)):
        raise ValueError(f"the entries of the batch at {batch.start} are not numbered from there")
    if batch.checkpoint.size != end:
        raise ValueError(f"checkpoint size {batch.checkpoint.size} is not the batch's end {end}")
    if {len(value) for _, value in batch.nodes} - {HASH_SIZE}:
        raise ValueError(f"a node of the batch at {batch.start} is not {HASH_SIZE} bytes")
    keys = [key for key, _ in batch.nodes]
    if keys != list(range(nodes_before(batch.start), nodes_before(end))):
        raise ValueError(f"the nodes of the batch at {batch.start} are not the ones it completes")


@dataclass(frozen=True, slots=True)
class SqlWriteUnit:
    """One write transaction: the ledger writer and its connection (for projections)."""

    connection: Connection
    ledger: SqlLedgerStore


@dataclass(frozen=True, slots=True)
class SqlReadUnit:
    """One read transaction, a consistent snapshot (PostgreSQL: REPEATABLE READ, READ ONLY)."""

    connection: Connection
    ledger: LedgerReader


class SqlStorage:
    """Opens write and read transactions on one engine (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Writers are serialised anyway (BEGIN IMMEDIATE / advisory lock), so one connection
        # kept open for them saves a pool checkout and return on every append.
        self._write_lock = threading.Lock()
        self._write_conn: Connection | None = None

    @classmethod
    def open(cls, url: str) -> SqlStorage:
        """An engine for ``url`` (see :func:`amanah.storage.engine.make_engine`); no migration."""
        return cls(make_engine(url))

    @contextmanager
    def writer(self) -> Iterator[SqlWriteUnit]:
        """One write transaction, serialised with every other writer (SQLite: BEGIN IMMEDIATE;
        PostgreSQL: advisory lock). Commits when the block ends, rolls back if it raises."""
        with self._write_lock:
            connection = self._write_conn
            if connection is None or connection.closed or connection.invalidated:
                connection = self.engine.connect().execution_options(**{WRITE_OPTION: True})
                self._write_conn = connection
            try:
                with connection.begin():
                    yield SqlWriteUnit(connection, SqlLedgerStore(connection))
            except BaseException:
                if connection.invalidated:
                    connection.close()
                    self._write_conn = None
                raise

    @contextmanager
    def reader(self) -> Iterator[SqlReadUnit]:
        """One read-only transaction; always rolled back at the end."""
        with self.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execution_options(
                    isolation_level="REPEATABLE READ", postgresql_readonly=True
                )
            transaction = connection.begin()
            try:
                yield SqlReadUnit(connection, SqlLedgerStore(connection))
            finally:
                if transaction.is_active:
                    transaction.rollback()

    def close(self) -> None:
        """Close the writer's connection and every pooled connection."""
        with self._write_lock:
            if self._write_conn is not None:
                self._write_conn.close()
                self._write_conn = None
        self.engine.dispose()
