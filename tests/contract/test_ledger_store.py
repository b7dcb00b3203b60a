"""The ledger store contract (:mod:`amanah.ledger.ports`), one suite for every backend:
in memory, SQLite (a file, schema by Alembic) and PostgreSQL (a throwaway cluster)."""

from __future__ import annotations

import base64
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest
import sqlalchemy as sa

from amanah.errors import Conflict
from amanah.ledger import merkle
from amanah.ledger.hashing import EMPTY_ROOT, leaf_hash
from amanah.ledger.merkle import CompactRange
from amanah.ledger.ports import (
    AppendBatch,
    LedgerReader,
    LedgerWriter,
    StoredCheckpoint,
    StoredEntry,
)
from amanah.storage import migrate
from amanah.storage.engine import WRITE_LOCK_KEY, make_engine, sqlite_url
from amanah.storage.ledger_store import SqlStorage
from amanah.storage.memory import MemoryStorage
from tests.conftest import PostgresDatabases

TIME = "2026-01-20T08:00:00Z"


class WriteUnit(Protocol):
    @property
    def ledger(self) -> LedgerWriter: ...


class ReadUnit(Protocol):
    @property
    def ledger(self) -> LedgerReader: ...


class Storage(Protocol):
    def writer(self) -> AbstractContextManager[WriteUnit]: ...

    def reader(self) -> AbstractContextManager[ReadUnit]: ...

    def close(self) -> None: ...


@dataclass
class Backend:
    name: str
    storage: Storage
    url: str | None = None  # SQL backends

    def reopen(self) -> Backend:
        """Close the storage and open the same database again."""
        assert self.url is not None
        self.storage.close()
        self.storage = SqlStorage.open(self.url)
        return self


def _sql_backend(name: str, url: str, *, migrated: bool = False) -> Backend:
    engine = make_engine(url)
    if not migrated:
        migrate.upgrade(engine)
    return Backend(name, SqlStorage(engine), url)


@pytest.fixture(scope="module")
def postgres_template(postgres_databases: PostgresDatabases) -> str:
    """A database migrated once; each test gets a copy (CREATE DATABASE ... TEMPLATE)."""
    url = postgres_databases.create()
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    name = sa.make_url(url).database
    assert name is not None
    return name


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "memory":
        b = Backend("memory", MemoryStorage())
    elif request.param == "sqlite":
        b = _sql_backend("sqlite", sqlite_url(tmp_path / "ledger.db"))
    else:
        databases: PostgresDatabases = request.getfixturevalue("postgres_databases")
        url = databases.create(template=request.getfixturevalue("postgres_template"))
        b = _sql_backend("postgres", url, migrated=True)
    yield b
    b.storage.close()
    if b.name == "postgres":
        assert b.url is not None
        databases.drop(b.url)


@pytest.fixture
def sql_backend(backend: Backend) -> Backend:
    if backend.url is None:
        pytest.skip("a database guard: SQL backends only")
    return backend


def body(seq: int, stream: str, version: int) -> bytes:
    return json.dumps(
        {"seq": seq, "stream": stream, "version": version, "data": {"n": seq}},
        sort_keys=True,
        separators=(",", ":"),
    ).encode()


def make_batch(
    ledger: LedgerReader, specs: Sequence[tuple[str, int]], *, start: int | None = None
) -> AppendBatch:
    """The batch appending one entry per ``(stream, version)`` to ``ledger``, with its real
    Merkle nodes and checkpoint; with a ``start`` other than the size, hashes are dummies."""
    size = ledger.size()
    start = size if start is None else start
    tree = CompactRange.load(size, ledger) if start == size else CompactRange(start)
    nodes: list[tuple[int, bytes]] = []
    entries: list[StoredEntry] = []
    for i, (stream, version) in enumerate(specs):
        seq = start + i
        entry = StoredEntry(
            seq, stream, version, "test.thing_happened", TIME, body(seq, stream, version)
        )
        entries.append(entry)
        tree.append(leaf_hash(entry.body), lambda k, h: nodes.append((k, h)))
    root = tree.root()
    note = f"amanah.test/log\n{tree.size}\n{base64.b64encode(root).decode()}\n".encode()
    return AppendBatch(start, entries, nodes, StoredCheckpoint(tree.size, root, note, TIME))


def append(storage: Storage, specs: Sequence[tuple[str, int]]) -> AppendBatch:
    with storage.writer() as unit:
        batch = make_batch(unit.ledger, specs)
        unit.ledger.append(batch)
    return batch


def assert_empty(ledger: LedgerReader) -> None:
    assert ledger.size() == 0
    assert list(ledger.entries(0, 10)) == []
    assert ledger.entry(0) is None
    assert ledger.stream("person/1") == []
    assert ledger.stream_version("person/1") == 0
    assert list(ledger.checkpoints()) == []
    assert ledger.latest_checkpoint() is None
    assert ledger.checkpoint(1) is None
    assert ledger.leaf_hashes(0, 10) == []
    assert ledger.get_nodes([]) == {}
    with pytest.raises(KeyError):
        ledger.get_nodes([0])
    assert merkle.root(0, ledger) == EMPTY_ROOT


def test_a_new_store_is_empty(backend: Backend) -> None:
    with backend.storage.reader() as view:
        assert_empty(view.ledger)
    with backend.storage.writer() as unit:
        assert_empty(unit.ledger)


def test_appended_batches_read_back(backend: Backend) -> None:
    first = append(backend.storage, [("person/1", 1), ("person/2", 1), ("person/1", 2)])
    second = append(backend.storage, [("person/2", 2), ("block/A", 1), ("person/1", 3), ("x", 1)])
    all_entries = [*first.entries, *second.entries]
    leaves = [leaf_hash(e.body) for e in all_entries]
    with backend.storage.reader() as view:
        ledger = view.ledger
        assert ledger.size() == 7
        assert list(ledger.entries(0, 7)) == all_entries
        assert list(ledger.entries(2, 5)) == all_entries[2:5]
        assert list(ledger.entries(5, 100)) == all_entries[5:]
        assert list(ledger.entries(7, 9)) == []
        assert ledger.entry(3) == all_entries[3]
        assert ledger.entry(7) is None
        assert [e.version for e in ledger.stream("person/1")] == [1, 2, 3]
        assert [e.seq for e in ledger.stream("person/1")] == [0, 2, 5]
        assert ledger.stream_version("person/1") == 3
        assert ledger.stream_version("person/2") == 2
        assert ledger.stream_version("nobody") == 0
        assert ledger.leaf_hashes(0, 7) == leaves
        assert ledger.leaf_hashes(2, 4) == leaves[2:4]
        assert ledger.leaf_hashes(5, 50) == leaves[5:]
        stored_nodes = dict([*first.nodes, *second.nodes])
        assert ledger.get_nodes(list(stored_nodes)) == stored_nodes
        assert ledger.get_nodes([0, 0, 1]) == {0: leaves[0], 1: leaves[1]}
        with pytest.raises(KeyError):  # the first key a tree of 7 leaves has not completed
            ledger.get_nodes([0, merkle.nodes_before(7)])
        assert list(ledger.checkpoints()) == [first.checkpoint, second.checkpoint]
        assert ledger.latest_checkpoint() == second.checkpoint
        assert ledger.checkpoint(3) == first.checkpoint
        assert ledger.checkpoint(7) == second.checkpoint
        assert ledger.checkpoint(5) is None
        # Roots and proofs come from the stored nodes and agree with a tree built from scratch.
        tree, source = merkle.build(leaves)
        assert merkle.root(7, ledger) == tree.root() == second.checkpoint.root
        assert merkle.root(3, ledger) == first.checkpoint.root
        proof = merkle.inclusion_proof(4, 7, ledger)
        assert proof == merkle.inclusion_proof(4, 7, source)
        merkle.verify_inclusion(4, 7, leaves[4], proof, tree.root())
        merkle.verify_consistency(
            3, 7, first.checkpoint.root, tree.root(), merkle.consistency_proof(3, 7, ledger)
        )


def test_stream_is_in_version_order_whatever_the_append_order(backend: Backend) -> None:
    append(backend.storage, [("s", 3), ("s", 1)])
    append(backend.storage, [("s", 2)])
    with backend.storage.reader() as view:
        assert [(e.version, e.seq) for e in view.ledger.stream("s")] == [(1, 1), (2, 2), (3, 0)]
        assert view.ledger.stream_version("s") == 3


def test_entries_stream_across_chunks(backend: Backend) -> None:
    specs = [(f"p/{i}", 1) for i in range(2500)]
    batch = append(backend.storage, specs)
    with backend.storage.reader() as view:
        assert list(view.ledger.entries(0, 2500)) == list(batch.entries)
        assert [e.seq for e in view.ledger.entries(999, 2001)] == list(range(999, 2001))
        assert len(view.ledger.leaf_hashes(0, 2500)) == 2500


def test_a_writer_reads_its_own_writes_and_readers_do_not(backend: Backend) -> None:
    append(backend.storage, [("a", 1)])
    with backend.storage.writer() as unit:
        batch = make_batch(unit.ledger, [("a", 2), ("b", 1)])
        unit.ledger.append(batch)
        assert unit.ledger.size() == 3
        assert unit.ledger.entry(2) == batch.entries[1]
        assert unit.ledger.stream_version("a") == 2
        assert unit.ledger.latest_checkpoint() == batch.checkpoint
        assert merkle.root(3, unit.ledger) == batch.checkpoint.root
        with backend.storage.reader() as view:  # another transaction: not committed yet
            assert view.ledger.size() == 1
            assert view.ledger.stream_version("a") == 1
            assert view.ledger.leaf_hashes(0, 3) == [leaf_hash(body(0, "a", 1))]
        # Several appends in one transaction build on each other.
        more = make_batch(unit.ledger, [("c", 1)])
        unit.ledger.append(more)
        assert unit.ledger.size() == 4
    with backend.storage.reader() as view:
        assert view.ledger.size() == 4
        assert [c.size for c in view.ledger.checkpoints()] == [1, 3, 4]


def test_an_exception_in_the_writer_writes_nothing(backend: Backend) -> None:
    append(backend.storage, [("a", 1)])

    def fail_after_appending() -> None:
        with backend.storage.writer() as unit:
            unit.ledger.append(make_batch(unit.ledger, [("a", 2)]))
            assert unit.ledger.size() == 2
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fail_after_appending()
    with backend.storage.reader() as view:
        assert view.ledger.size() == 1
        assert view.ledger.stream_version("a") == 1
        assert view.ledger.leaf_hashes(0, 5) == [leaf_hash(body(0, "a", 1))]
        assert [c.size for c in view.ledger.checkpoints()] == [1]
    append(backend.storage, [("a", 2)])  # and the next writer carries on from there


def assert_unchanged_after_one(ledger: LedgerReader) -> None:
    assert ledger.size() == 1
    assert ledger.leaf_hashes(0, 10) == [leaf_hash(body(0, "a", 1))]
    assert [c.size for c in ledger.checkpoints()] == [1]
    with pytest.raises(KeyError):
        ledger.get_nodes([merkle.node_key(1, 0)])


@pytest.mark.parametrize("start", [0, 2, 5])
def test_a_wrong_start_is_a_conflict(backend: Backend, start: int) -> None:
    append(backend.storage, [("a", 1)])
    with backend.storage.writer() as unit:
        with pytest.raises(Conflict, match=f"holds 1 entries but this batch starts at {start}"):
            unit.ledger.append(make_batch(unit.ledger, [("b", 1), ("c", 1)], start=start))
        assert_unchanged_after_one(unit.ledger)
    with backend.storage.reader() as view:
        assert_unchanged_after_one(view.ledger)


@pytest.mark.parametrize(
    "specs",
    [[("b", 1), ("a", 1)], [("b", 1), ("b", 1)]],
    ids=["taken-before", "twice-in-batch"],
)
def test_a_taken_stream_version_is_a_conflict(
    backend: Backend, specs: list[tuple[str, int]]
) -> None:
    append(backend.storage, [("a", 1)])
    with backend.storage.writer() as unit:
        batch = make_batch(unit.ledger, specs)
        with pytest.raises(Conflict, match=r"version 1 (is already taken|appears twice)"):
            unit.ledger.append(batch)
        assert_unchanged_after_one(unit.ledger)
        # The transaction is still usable: a correct batch goes in.
        unit.ledger.append(make_batch(unit.ledger, [("b", 1)]))
    with backend.storage.reader() as view:
        assert view.ledger.size() == 2
        assert [c.size for c in view.ledger.checkpoints()] == [1, 2]


def test_a_conflict_escaping_the_writer_rolls_everything_back(backend: Backend) -> None:
    append(backend.storage, [("a", 1)])

    def append_then_conflict() -> None:
        with backend.storage.writer() as unit:
            unit.ledger.append(make_batch(unit.ledger, [("b", 1)]))
            unit.ledger.append(make_batch(unit.ledger, [("a", 1)]))

    with pytest.raises(Conflict):
        append_then_conflict()
    with backend.storage.reader() as view:
        assert_unchanged_after_one(view.ledger)


GUARDED = {
    "ledger_entries": ("UPDATE ledger_entries SET type = 'x'", "DELETE FROM ledger_entries"),
    "ledger_nodes": ("UPDATE ledger_nodes SET hashes = hashes", "DELETE FROM ledger_nodes"),
    "ledger_checkpoints": (
        "UPDATE ledger_checkpoints SET note = note",
        "DELETE FROM ledger_checkpoints WHERE size > 0",
    ),
    "ledger_cosignatures": (
        "UPDATE ledger_cosignatures SET line = line",
        "DELETE FROM ledger_cosignatures",
    ),
}


@pytest.mark.parametrize(
    "sql", [s for pair in GUARDED.values() for s in pair], ids=lambda s: " ".join(s.split()[:3])
)
def test_the_database_refuses_to_change_ledger_rows(sql_backend: Backend, sql: str) -> None:
    storage = sql_backend.storage
    assert isinstance(storage, SqlStorage)
    append(storage, [("a", 1), ("b", 1)])
    with storage.writer() as unit:  # SQLite's row triggers need a row to refuse
        unit.ledger.add_cosignatures(2, [("w", "— w AAAA\n")], TIME)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), storage.writer() as unit:
        unit.connection.exec_driver_sql(sql)
    with storage.reader() as view:
        assert view.ledger.size() == 2
        assert view.ledger.leaf_hashes(0, 2) == [
            leaf_hash(body(0, "a", 1)),
            leaf_hash(body(1, "b", 1)),
        ]
        assert [c.size for c in view.ledger.checkpoints()] == [2]


@pytest.mark.parametrize("table", list(GUARDED))
def test_postgres_refuses_truncate(sql_backend: Backend, table: str) -> None:
    if sql_backend.name != "postgres":
        pytest.skip("TRUNCATE is PostgreSQL's")
    storage = sql_backend.storage
    assert isinstance(storage, SqlStorage)
    append(storage, [("a", 1)])
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), storage.writer() as unit:
        unit.connection.exec_driver_sql(f"TRUNCATE {table} CASCADE")
    with storage.reader() as view:
        assert view.ledger.size() == 1


def test_data_survives_closing_and_reopening(sql_backend: Backend) -> None:
    first = append(sql_backend.storage, [("a", 1), ("b", 1), ("a", 2)])
    sql_backend.reopen()
    with sql_backend.storage.reader() as view:
        assert list(view.ledger.entries(0, 3)) == list(first.entries)
        assert view.ledger.latest_checkpoint() == first.checkpoint
        assert merkle.root(3, view.ledger) == first.checkpoint.root
    second = append(sql_backend.storage, [("a", 3)])
    with sql_backend.storage.reader() as view:
        assert view.ledger.size() == 4
        assert merkle.root(4, view.ledger) == second.checkpoint.root


def _write_lock_is_free(backend: Backend) -> bool:
    """Whether another connection could start writing now (without waiting)."""
    assert backend.url is not None
    if backend.name == "sqlite":
        path = sa.make_url(backend.url).database
        assert path is not None
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                raise
            return False
        finally:
            other.close()
        return True
    engine = sa.create_engine(backend.url)
    try:
        with engine.connect() as conn:
            free = conn.execute(
                sa.text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY}
            ).scalar_one()
            conn.rollback()
            return bool(free)
    finally:
        engine.dispose()


def test_a_writer_holds_the_write_lock_and_a_reader_does_not(sql_backend: Backend) -> None:
    storage = sql_backend.storage
    assert _write_lock_is_free(sql_backend)
    with storage.writer():
        assert not _write_lock_is_free(sql_backend)  # taken at BEGIN, before any write
    assert _write_lock_is_free(sql_backend)
    with storage.reader() as view:
        view.ledger.size()
        assert _write_lock_is_free(sql_backend)


def test_sqlite_connections_are_durable_and_wal(sql_backend: Backend) -> None:
    if sql_backend.name != "sqlite":
        pytest.skip("SQLite pragmas")
    storage = sql_backend.storage
    assert isinstance(storage, SqlStorage)
    with storage.reader() as view:
        pragma = view.connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar_one() == "wal"
        assert pragma("PRAGMA synchronous").scalar_one() == 2  # FULL
        assert pragma("PRAGMA foreign_keys").scalar_one() == 1
        assert pragma("PRAGMA busy_timeout").scalar_one() == 10000


def test_concurrent_writers_are_serialised(backend: Backend) -> None:
    """Writers in several threads each read the size and append: none sees a stale size."""
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for i in range(5):
                append(backend.storage, [(f"w{worker}", i + 1)])
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with backend.storage.reader() as view:
        ledger = view.ledger
        assert ledger.size() == 20
        assert [c.size for c in ledger.checkpoints()] == list(range(1, 21))
        latest = ledger.latest_checkpoint()
        assert latest is not None
        assert merkle.root(20, ledger) == latest.root
        assert all(ledger.stream_version(f"w{w}") == 5 for w in range(4))


def test_a_reader_leaves_its_connection_writable(sql_backend: Backend) -> None:
    # The reader's connection goes back to the pool and is the one the writer then keeps
    # (a second one serves the later reader): the read-only snapshot settings must not leak.
    assert sql_backend.url is not None
    storage = SqlStorage(make_engine(sql_backend.url, pool_size=2, max_overflow=0))
    try:
        with storage.reader() as view:
            assert view.ledger.size() == 0
        append(storage, [("a", 1)])
        with storage.reader() as view:
            assert view.ledger.size() == 1
        append(storage, [("a", 2)])
    finally:
        storage.close()


def test_cosignatures_are_kept_per_size_once_each_and_only_on_commit(backend: Backend) -> None:
    append(backend.storage, [("a", 1)])
    append(backend.storage, [("a", 2)])
    with backend.storage.writer() as unit:
        assert (
            unit.ledger.add_cosignatures(2, [("w1", "— w1 AAAA\n"), ("w2", "— w2 BBBB\n")], TIME)
            == 2
        )
        assert unit.ledger.add_cosignatures(2, [("w1", "— w1 AAAA\n")], TIME) == 0
        assert unit.ledger.cosignatures(2) == ["— w1 AAAA\n", "— w2 BBBB\n"]

    def add_then_fail() -> None:
        with backend.storage.writer() as unit:
            unit.ledger.add_cosignatures(1, [("w1", "— w1 CCCC\n")], TIME)
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        add_then_fail()
    with backend.storage.reader() as view:
        assert view.ledger.cosignatures(2) == ["— w1 AAAA\n", "— w2 BBBB\n"]
        assert view.ledger.cosignatures(1) == []
