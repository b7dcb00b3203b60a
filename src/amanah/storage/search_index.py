"""The register's name index on SQLite: an FTS5 trigram index over ``fac_people.search``.

A search by part of a name (``%fragment%``) can use no B-tree index, so without this a search
that finds fewer than a page of people reads the whole register (about 20 ms at 50,000
people). The index holds trigrams of the folded number, names and aliases only (external
content: the rows stay in ``fac_people``), keyed by the admission's ledger ``seq``, and is
kept in step by triggers, so every way of writing ``fac_people`` (live projection, rebuild,
bulk load) keeps it current. PostgreSQL keeps the ``LIKE`` scan.

The DDL is created by migration ``0003`` and, for ``memory://`` scratch databases built from
the models, by the ``after_create`` hook in :mod:`amanah.storage.tables`.
"""

from __future__ import annotations

FTS_TABLE = "fac_people_fts"

#: Trigrams: a query shorter than this cannot use the index (the store falls back to LIKE).
MIN_INDEXED = 3

CREATE = (
    "CREATE VIRTUAL TABLE fac_people_fts USING fts5("
    "search, content='fac_people', content_rowid='seq', tokenize='trigram')",
    "CREATE TRIGGER fac_people_fts_ai AFTER INSERT ON fac_people BEGIN "
    "INSERT INTO fac_people_fts(rowid, search) VALUES (new.seq, new.search); END",
    "CREATE TRIGGER fac_people_fts_ad AFTER DELETE ON fac_people BEGIN "
    "INSERT INTO fac_people_fts(fac_people_fts, rowid, search) "
    "VALUES ('delete', old.seq, old.search); END",
    "CREATE TRIGGER fac_people_fts_au AFTER UPDATE OF search, seq ON fac_people BEGIN "
    "INSERT INTO fac_people_fts(fac_people_fts, rowid, search) "
    "VALUES ('delete', old.seq, old.search); "
    "INSERT INTO fac_people_fts(rowid, search) VALUES (new.seq, new.search); END",
    # Rows already in fac_people when the index is added (an upgraded home).
    "INSERT INTO fac_people_fts(fac_people_fts) VALUES ('rebuild')",
)

DROP = (
    "DROP TRIGGER IF EXISTS fac_people_fts_au",
    "DROP TRIGGER IF EXISTS fac_people_fts_ad",
    "DROP TRIGGER IF EXISTS fac_people_fts_ai",
    "DROP TABLE IF EXISTS fac_people_fts",
)


def is_index_table(name: str | None) -> bool:
    """The FTS table and its shadow tables, which the models do not describe."""
    return bool(name) and str(name).startswith(FTS_TABLE)


def match_phrase(folded: str) -> str:
    """``folded`` as one FTS5 phrase: every trigram in order, nothing read as syntax."""
    return '"' + folded.replace('"', '""') + '"'
