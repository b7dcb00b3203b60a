"""Append throughput: Amanah's ledger vs eventsourcing on SQLite vs raw sqlite3 (the ceiling).

Same ~300-byte entries everywhere, every database a WAL file with ``synchronous=FULL``.
Run: ``.venv/bin/python -m bench.bench_append [--single N] [--batches N] [--runs R]``.
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import statistics
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteAggregateRecorder, SQLiteDatastore

from amanah.ledger import entry as fmt
from amanah.ledger.log import Log
from amanah.ledger.ports import StoredEntry
from amanah.ledger.signing import Ed25519Signer, generate_key
from amanah.storage import migrate
from amanah.storage.engine import make_engine, sqlite_url
from amanah.storage.ledger_store import SqlStorage
from bench.common import ORIGIN, STAMP, draft, table, timed

BATCH = 1000


def _amanah(path: Path) -> tuple[SqlStorage, Log]:
    engine = make_engine(sqlite_url(path))
    migrate.upgrade(engine)
    skey, _ = generate_key(ORIGIN, seed=b"\x07" * 32)
    return SqlStorage(engine), Log(ORIGIN, Ed25519Signer.from_skey(skey))


def _encoded(count: int, start: int = 0) -> list[StoredEntry]:
    """Entries encoded exactly as the log would (seq from ``start``), for the batch runs."""
    rows = []
    for i in range(start, start + count):
        d = draft(i)
        e = fmt.Entry(i, d.time, d.stream, i + 1, d.type, d.actor, dict(d.data))
        rows.append(StoredEntry(i, d.stream, i + 1, d.type, d.time, fmt.encode(e)))
    return rows


def _es(path: Path) -> SQLiteAggregateRecorder:
    datastore = SQLiteDatastore(db_name=str(path))
    recorder = SQLiteAggregateRecorder(datastore, events_table_name="stored_events")
    recorder.create_table()
    return recorder


def _es_events(bodies: list[bytes]) -> list[StoredEvent]:
    originator = uuid.uuid4()
    return [
        StoredEvent(
            originator_id=originator,
            originator_version=i + 1,
            topic="amanah.occurrence:OccurrenceRecorded",
            state=body,
        )
        for i, body in enumerate(bodies)
    ]


def single_commit(n: int) -> dict[str, float]:
    """Entries per second when every entry is its own durable transaction."""
    rates: dict[str, float] = {}
    bodies = [e.body for e in _encoded(n)]
    with tempfile.TemporaryDirectory() as tmp:
        storage, log = _amanah(Path(tmp) / "amanah.db")
        drafts = [draft(i) for i in range(n)]

        def run_amanah() -> None:
            for d in drafts:
                with storage.writer() as unit:
                    log.append(unit.ledger, [d], STAMP)

        rates["amanah (full append: encode, hash, sign checkpoint, commit)"] = n / timed(run_amanah)
        storage.close()

        recorder = _es(Path(tmp) / "es.db")
        events = _es_events(bodies)

        def run_es() -> None:
            for ev in events:
                recorder.insert_events([ev])

        rates["eventsourcing 9.5 SQLiteAggregateRecorder"] = n / timed(run_es)
    return rates


def batched(batches: int) -> dict[str, float]:
    """Entries per second when appending in batches of 1000, one transaction each."""
    n = batches * BATCH
    rows = _encoded(n)
    rates: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        # Ceiling: raw sqlite3.executemany of the same rows with their leaf hashes.
        conn = sqlite3.connect(Path(tmp) / "raw.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute(
            "CREATE TABLE entries (seq INTEGER PRIMARY KEY, stream TEXT, version INTEGER, "
            "type TEXT, time TEXT, body BLOB, leaf BLOB, UNIQUE (stream, version))"
        )
        raw_rows = [
            (
                r.seq,
                r.stream,
                r.version,
                r.type,
                r.time,
                r.body,
                hashlib.sha256(b"\x00" + r.body).digest(),
            )
            for r in rows
        ]

        def run_raw() -> None:
            for b in range(batches):
                conn.execute("BEGIN")
                conn.executemany(
                    "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)",
                    raw_rows[b * BATCH : (b + 1) * BATCH],
                )
                conn.execute("COMMIT")

        rates["raw sqlite3.executemany + leaf hashes (ceiling)"] = n / timed(run_raw)
        conn.close()

        storage, log = _amanah(Path(tmp) / "amanah.db")

        def run_amanah_encoded() -> None:
            for b in range(batches):
                with storage.writer() as unit:
                    log.append_encoded(unit.ledger, rows[b * BATCH : (b + 1) * BATCH], STAMP)

        rates["amanah append_encoded (hash, tree, sign, commit)"] = n / timed(run_amanah_encoded)
        storage.close()

        storage, log = _amanah(Path(tmp) / "amanah-full.db")
        drafts = [draft(i) for i in range(n)]

        def run_amanah_full() -> None:
            for b in range(batches):
                with storage.writer() as unit:
                    log.append(unit.ledger, drafts[b * BATCH : (b + 1) * BATCH], STAMP)

        rates["amanah append (incl. RFC 8785 encoding)"] = n / timed(run_amanah_full)
        storage.close()

        recorder = _es(Path(tmp) / "es.db")
        events = _es_events([r.body for r in rows])

        def run_es() -> None:
            for b in range(batches):
                recorder.insert_events(events[b * BATCH : (b + 1) * BATCH])

        rates["eventsourcing 9.5 SQLiteAggregateRecorder"] = n / timed(run_es)
    return rates


def _median_rates(runs: int, fn: Callable[[], dict[str, float]]) -> dict[str, float]:
    results = [fn() for _ in range(runs)]
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--single", type=int, default=2000, help="entries, one commit each")
    parser.add_argument("--batches", type=int, default=50, help="batches of 1000")
    parser.add_argument("--runs", type=int, default=3, help="runs; medians are reported")
    args = parser.parse_args()

    single = _median_rates(args.runs, lambda: single_commit(args.single))
    es = single["eventsourcing 9.5 SQLiteAggregateRecorder"]
    print(
        table(
            f"One durable commit per entry ({args.single} entries, median of {args.runs} runs)",
            ["system", "entries/s", "ratio vs eventsourcing"],
            [[k, f"{v:,.0f}", f"{v / es:.2f}"] for k, v in single.items()],
        )
    )
    batch = _median_rates(args.runs, lambda: batched(args.batches))
    ceiling = batch["raw sqlite3.executemany + leaf hashes (ceiling)"]
    es = batch["eventsourcing 9.5 SQLiteAggregateRecorder"]
    print(
        table(
            f"Batches of {BATCH} ({args.batches * BATCH:,} entries, median of {args.runs} runs)",
            ["system", "entries/s", "share of ceiling", "ratio vs eventsourcing"],
            [[k, f"{v:,.0f}", f"{v / ceiling:.0%}", f"{v / es:.2f}"] for k, v in batch.items()],
        )
    )
    probe = sqlite3.connect(":memory:")
    print(
        f"SQLite {sqlite3.sqlite_version}; Python sqlite3 default synchronous="
        f"{probe.execute('PRAGMA synchronous').fetchone()[0]} (2 = FULL)"
    )


if __name__ == "__main__":
    main()
