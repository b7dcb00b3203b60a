"""Tampering as an attacker with the database file would: SQLite with its guards dropped."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def attacker_connection(db: Path) -> sqlite3.Connection:
    """An autocommit connection to ``db`` with every append-only trigger dropped."""
    conn = sqlite3.connect(db, isolation_level=None)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    return conn
