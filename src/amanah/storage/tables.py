"""The SQL schema, as SQLAlchemy Core tables. The migrations in ``migrations/versions`` build
exactly this schema; ``amanah.storage.migrate.check`` fails if the two drift apart.

Ledger tables (``ledger_*``) are append-only: the migration adds database triggers refusing
UPDATE and DELETE (and TRUNCATE on PostgreSQL). Projection tables (``occurrence_book``...) are
read models, cleared and rebuilt from the ledger at will.

Integer primary keys are ``INTEGER`` on SQLite so that they alias the rowid (one B-tree per
table, no second index) and ``BIGINT`` elsewhere; all are supplied by the caller, never generated.
"""

from __future__ import annotations

import sqlalchemy as sa

from amanah.storage import search_index

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

# BIGINT, but the rowid alias on SQLite (a 64-bit signed integer there too).
RowKey = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

LEDGER_TABLES = (
    "ledger_entries",
    "ledger_nodes",
    "ledger_checkpoints",
    "ledger_cosignatures",
)

ledger_entries = sa.Table(
    "ledger_entries",
    metadata,
    sa.Column("seq", RowKey, primary_key=True, autoincrement=False),
    sa.Column("stream", sa.Text(), nullable=False),
    sa.Column("version", sa.BigInteger(), nullable=False),
    sa.Column("type", sa.Text(), nullable=False),
    sa.Column("time", sa.Text(), nullable=False),
    sa.Column("body", sa.LargeBinary(), nullable=False),
    sa.UniqueConstraint("stream", "version"),
)

ledger_nodes = sa.Table(
    "ledger_nodes",
    metadata,
    # A run of consecutive node hashes (32 bytes each) in the post-order numbering of
    # amanah.ledger.merkle.node_key, starting at first_key. One append writes its nodes as
    # one or a few runs (at most NODE_RUN hashes each) at the end of the index.
    sa.Column("first_key", RowKey, primary_key=True, autoincrement=False),
    sa.Column("hashes", sa.LargeBinary(), nullable=False),
    sa.CheckConstraint("length(hashes) > 0 AND length(hashes) % 32 = 0", name="hash_run"),
)

#: Most hashes in one ``ledger_nodes`` row: reading one node reads at most 8 KiB.
NODE_RUN = 256

ledger_checkpoints = sa.Table(
    "ledger_checkpoints",
    metadata,
    sa.Column("size", RowKey, primary_key=True, autoincrement=False),
    sa.Column("root", sa.LargeBinary(), nullable=False),
    sa.Column("note", sa.LargeBinary(), nullable=False),
    sa.Column("time", sa.Text(), nullable=False),
)

ledger_cosignatures = sa.Table(
    "ledger_cosignatures",
    metadata,
    # A witness's C2SP tlog-cosignature/v1 line ("— name base64\n") over the checkpoint of
    # this size, verified before it was stored; merged into the checkpoint note on output.
    sa.Column("size", sa.BigInteger(), primary_key=True),
    sa.Column("line", sa.Text(), primary_key=True),
    sa.Column("witness", sa.Text(), nullable=False),
    sa.Column("time", sa.Text(), nullable=False),
)

occurrence_book = sa.Table(
    "occurrence_book",
    metadata,
    sa.Column("seq", RowKey, primary_key=True, autoincrement=False),
    sa.Column("time", sa.Text(), nullable=False),
    sa.Column("by", sa.Text(), nullable=False),
    sa.Column("text", sa.Text(), nullable=False),
    sa.Column("source", sa.Text(), nullable=False),
    sa.Column("recorded_at", sa.Text(), nullable=False),
    sa.Index("ix_occurrence_book_time", "time"),
)

# --- Case files: supplies, incidents, notifications, appeals (their folded state) ---

case_files = sa.Table(
    "case_files",
    metadata,
    sa.Column("stream", sa.Text(), primary_key=True),
    sa.Column("area", sa.Text(), nullable=False),
    sa.Column("facility", sa.Text(), nullable=False),
    sa.Column("kind", sa.Text(), nullable=False),
    sa.Column("status", sa.Text(), nullable=False),
    sa.Column("time", sa.Text(), nullable=False),
    sa.Column("seq", RowKey, nullable=False),
    sa.Column("state", sa.Text(), nullable=False),  # canonical JSON of the area's state
    sa.Index("ix_case_files_area_time", "area", "facility", "time"),
)

# --- The facility: register, movements, roll calls (projections, rebuilt from the ledger) ---

fac_locations = sa.Table(
    "fac_locations",
    metadata,
    sa.Column("id", sa.Text(), primary_key=True),
    sa.Column("facility", sa.Text(), nullable=False),
    sa.Column("parent", sa.Text(), nullable=True),
    sa.Column("kind", sa.Text(), nullable=False),
    # "/facility/block/cell/": the ids from the root; a subtree is a prefix.
    sa.Column("path", sa.Text(), nullable=False),
    sa.Column("name_ar", sa.Text(), nullable=False),
    sa.Column("name_en", sa.Text(), nullable=False),
    sa.Column("certified", sa.Integer(), nullable=True),
    sa.Column("working", sa.Integer(), nullable=True),
    sa.Column("maximum", sa.Integer(), nullable=True),
    sa.Column("state", sa.Text(), nullable=False),
    sa.Column("adm1", sa.Text(), nullable=True),
    sa.Column("adm2", sa.Text(), nullable=True),
    sa.Column("lat", sa.Text(), nullable=True),
    sa.Column("lon", sa.Text(), nullable=True),
    sa.Column("seq", sa.BigInteger(), nullable=False),
    sa.Index("ix_fac_locations_path", "path"),
)

fac_people = sa.Table(
    "fac_people",
    metadata,
    sa.Column("number", sa.Text(), primary_key=True),
    sa.Column("category", sa.Text(), nullable=False),
    sa.Column("status", sa.Text(), nullable=False),
    sa.Column("location", sa.Text(), nullable=True),
    sa.Column("facility", sa.Text(), nullable=False),
    sa.Column("since", sa.Text(), nullable=False),
    sa.Column("admitted_at", sa.Text(), nullable=False),
    sa.Column("name_ar", sa.Text(), nullable=True),
    sa.Column("name_latin", sa.Text(), nullable=True),
    # Folded number, names and aliases (amanah.domain.registry.record.fold), for search.
    sa.Column("search", sa.Text(), nullable=False),
    sa.Column("record", sa.Text(), nullable=False),  # JSON, after corrections
    sa.Column("seq", sa.BigInteger(), nullable=False),
    sa.Index("ix_fac_people_category_status", "category", "status"),
    sa.Index("ix_fac_people_facility_category_status", "facility", "category", "status"),
    sa.Index("ix_fac_people_location", "location"),
    # The admission's entry: register order, and the name index's key (search_index).
    sa.Index("ix_fac_people_seq", "seq", unique=True),
    # Searches too short for the trigram index scan this, not the rows (migration 0005).
    sa.Index("ix_fac_people_seq_search", "seq", "search"),
)

fac_occupancy = sa.Table(
    "fac_occupancy",
    metadata,
    # People in the location and everything under it, by category.
    sa.Column("location", sa.Text(), primary_key=True),
    sa.Column("category", sa.Text(), primary_key=True),
    sa.Column("n", sa.Integer(), nullable=False),
)

fac_movements = sa.Table(
    "fac_movements",
    metadata,
    sa.Column("seq", RowKey, primary_key=True, autoincrement=False),
    sa.Column("person", sa.Text(), nullable=False),
    sa.Column("category", sa.Text(), nullable=False),
    sa.Column("kind", sa.Text(), nullable=False),
    sa.Column("time", sa.Text(), nullable=False),
    sa.Column("origin", sa.Text(), nullable=True),
    sa.Column("destination", sa.Text(), nullable=True),
    # "in" (admission, recapture), "out" (transfer, release, death, escape) or "".
    sa.Column("direction", sa.Text(), nullable=False),
    sa.Column("details", sa.Text(), nullable=False),  # JSON
    sa.Index("ix_fac_movements_person", "person", "seq"),
    sa.Index("ix_fac_movements_time", "time"),
)

fac_rolls = sa.Table(
    "fac_rolls",
    metadata,
    sa.Column("id", sa.Text(), primary_key=True),
    sa.Column("facility", sa.Text(), nullable=False),
    sa.Column("scope", sa.Text(), nullable=False),
    sa.Column("status", sa.Text(), nullable=False),
    sa.Column("opened_at", sa.Text(), nullable=False),
    sa.Column("cleared_at", sa.Text(), nullable=True),
    sa.Column("seq", sa.BigInteger(), nullable=False),
    sa.Index("ix_fac_rolls_facility_seq", "facility", "seq"),
)

fac_tallies = sa.Table(
    "fac_tallies",
    metadata,
    sa.Column("roll", sa.Text(), primary_key=True),
    sa.Column("location", sa.Text(), primary_key=True),
    sa.Column("status", sa.Text(), nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("expected", sa.Integer(), nullable=False),
    sa.Column("counted", sa.Integer(), nullable=False),
    sa.Column("counters", sa.Text(), nullable=False),  # JSON list of names
    sa.Column("counted_at", sa.Text(), nullable=False),
)

fac_resolutions = sa.Table(
    "fac_resolutions",
    metadata,
    sa.Column("roll", sa.Text(), primary_key=True),
    sa.Column("person", sa.Text(), primary_key=True),
    sa.Column("location", sa.Text(), nullable=False),
    sa.Column("outcome", sa.Text(), nullable=False),
    sa.Column("found_in", sa.Text(), nullable=True),
    sa.Column("time", sa.Text(), nullable=False),
    sa.Column("note", sa.Text(), nullable=True),
    sa.Column("seq", sa.BigInteger(), nullable=False),
)

FACILITY_TABLES = {
    t.name: t
    for t in (
        fac_locations,
        fac_people,
        fac_occupancy,
        fac_movements,
        fac_rolls,
        fac_tallies,
        fac_resolutions,
    )
}


def _create_search_index(_table: sa.Table, connection: sa.Connection, **_: object) -> None:
    if connection.dialect.name == "sqlite":
        for statement in search_index.CREATE:
            connection.exec_driver_sql(statement)


sa.event.listen(fac_people, "after_create", _create_search_index)

# --- Accounts and the access log (migration 0004) -------------------------------------------
#
# access_users is a projection of the ledger's access.* entries (rebuilt at will); accounts
# holds the one thing the ledger never sees, each account's argon2id password hash, and is
# never rebuilt; access_throttle counts failed logins (it must survive a restart);
# access_log is append-only (database triggers) and hash-chained, its head anchored in the
# ledger (amanah.domain.access.log).

access_users = sa.Table(
    "access_users",
    metadata,
    sa.Column("username", sa.Text(), primary_key=True),
    sa.Column("party", sa.Text(), nullable=False),
    sa.Column("name", sa.Text(), nullable=True),
    sa.Column("roles", sa.Text(), nullable=False),  # JSON list
    sa.Column("facility", sa.Text(), nullable=True),
    sa.Column("blocks", sa.Text(), nullable=False),  # JSON list
    sa.Column("disabled", sa.Boolean(), nullable=False),
    sa.Column("created_at", sa.Text(), nullable=False),
    sa.Column("password_set_at", sa.Text(), nullable=False),
    sa.Column("seq", sa.BigInteger(), nullable=False),
)

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("username", sa.Text(), primary_key=True),
    sa.Column("password_hash", sa.Text(), nullable=False),  # argon2id, PHC string format
    sa.Column("set_at", sa.Text(), nullable=False),
)

access_throttle = sa.Table(
    "access_throttle",
    metadata,
    # "user:" + SHA-256 of the name tried (never the name: it may be a mistyped password),
    # or "client:" + the client's address.
    sa.Column("key", sa.Text(), primary_key=True),
    sa.Column("failures", sa.Integer(), nullable=False),
    sa.Column("last_failure", sa.Text(), nullable=False),
    sa.Column("locked_until", sa.Text(), nullable=True),
    sa.Index("ix_access_throttle_last_failure", "last_failure"),
)

ACCESS_LOG_TABLES = ("access_log",)

access_log = sa.Table(
    "access_log",
    metadata,
    sa.Column("seq", RowKey, primary_key=True, autoincrement=False),
    sa.Column("time", sa.Text(), nullable=False),
    sa.Column("kind", sa.Text(), nullable=False),
    sa.Column("user", sa.Text(), nullable=True),
    sa.Column("party", sa.Text(), nullable=True),
    sa.Column("facility", sa.Text(), nullable=True),
    sa.Column("subject", sa.Text(), nullable=True),
    sa.Column("client", sa.Text(), nullable=True),
    sa.Column("detail", sa.Text(), nullable=True),
    sa.Column("hash", sa.LargeBinary(), nullable=False),
    sa.CheckConstraint("length(hash) = 32", name="hash_size"),
)
