"""Tampering with the stored log is found by the audit, which names where."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from amanah.bootstrap import App, init_home, open_app
from amanah.domain.occurrence.commands import RecordOccurrence
from amanah.ledger.hashing import leaf_hash
from amanah.ledger.merkle import node_key
from amanah.settings import DB_FILE
from tests.support.tamper import attacker_connection


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    app = init_home(home, "amanah.example/tamper")
    try:
        now = app.clock.now()
        for start in range(0, 60, 20):
            app.occurrences.import_book(
                [RecordOccurrence(now, f"entry {start + i}", "officer") for i in range(20)],
                app.actor,
            )
        assert app.ledger.audit().ok
    finally:
        app.close()
    return home


def _raw(home: Path) -> sqlite3.Connection:
    return attacker_connection(home / DB_FILE)


def _audit(home: Path) -> tuple[bool, int | None, list[str]]:
    app: App = open_app(home)
    try:
        report = app.ledger.audit()
    finally:
        app.close()
    return report.ok, report.first_bad_index, [p.what for p in report.problems]


def test_database_refuses_update_and_delete(home: Path) -> None:
    conn = sqlite3.connect(home / DB_FILE)
    for sql in (
        "UPDATE ledger_entries SET body = x'00' WHERE seq = 3",
        "DELETE FROM ledger_entries WHERE seq = 3",
        "DELETE FROM ledger_nodes",
        "UPDATE ledger_checkpoints SET size = 1",
    ):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(sql)
    conn.close()


def test_one_changed_byte_is_named_by_index(home: Path) -> None:
    conn = _raw(home)
    body = conn.execute("SELECT body FROM ledger_entries WHERE seq = 17").fetchone()[0]
    changed = body.replace(b"entry 16", b"entry 61")
    assert changed != body
    conn.execute("UPDATE ledger_entries SET body = ? WHERE seq = 17", (changed,))
    conn.close()
    ok, first, problems = _audit(home)
    assert not ok
    assert first == 17
    assert any("entry 17" in p for p in problems)


def test_changed_entry_with_recomputed_leaf_is_caught_by_signed_roots(home: Path) -> None:
    conn = _raw(home)
    body = conn.execute("SELECT body FROM ledger_entries WHERE seq = 30").fetchone()[0]
    changed = body.replace(b"entry 29", b"entry 92")
    conn.execute("UPDATE ledger_entries SET body = ? WHERE seq = 30", (changed,))
    # Rewrite the stored leaf hash too, inside the run of node hashes that holds it.
    key = node_key(0, 30)
    first, run = conn.execute(
        "SELECT first_key, hashes FROM ledger_nodes WHERE first_key <= ? "
        "ORDER BY first_key DESC LIMIT 1",
        (key,),
    ).fetchone()
    offset = (key - first) * 32
    patched = run[:offset] + leaf_hash(changed) + run[offset + 32 :]
    conn.execute("UPDATE ledger_nodes SET hashes = ? WHERE first_key = ?", (patched, first))
    conn.close()
    ok, first, problems = _audit(home)
    assert not ok
    # The signed checkpoint at size 41 no longer matches: the damage lies after size 21.
    assert first == 21
    assert any("do not match its signed root" in p for p in problems)


def test_deleted_row_is_named(home: Path) -> None:
    conn = _raw(home)
    conn.execute("DELETE FROM ledger_entries WHERE seq = 44")
    conn.close()
    ok, first, problems = _audit(home)
    assert not ok
    assert first == 44
    assert any("entry 44 is missing" in p for p in problems)


def test_truncated_log_is_named(home: Path) -> None:
    conn = _raw(home)
    conn.execute("DELETE FROM ledger_entries WHERE seq >= 50")
    conn.close()
    ok, first, problems = _audit(home)
    assert not ok
    assert first == 50
    assert any("truncated" in p for p in problems)


def test_forged_checkpoint_signature_is_caught(home: Path) -> None:
    conn = _raw(home)
    note = conn.execute("SELECT note FROM ledger_checkpoints ORDER BY size DESC").fetchone()[0]
    forged = note.replace(b"\n61\n", b"\n62\n")
    assert forged != note
    conn.execute("UPDATE ledger_checkpoints SET note = ? WHERE size = 61", (forged,))
    conn.close()
    ok, _, problems = _audit(home)
    assert not ok
    assert any("checkpoint at size 61" in p for p in problems)
