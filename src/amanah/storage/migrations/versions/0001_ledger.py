"""The ledger (entries, Merkle nodes, checkpoints), its append-only guards, the occurrence book.

Revision ID: 0001
Revises:
Create Date: 2026-01-20

Append-only is enforced by the database, not only by the code: on SQLite, BEFORE UPDATE and
BEFORE DELETE triggers abort; on PostgreSQL, statement-level triggers refuse UPDATE, DELETE
and TRUNCATE. Alembic's autogenerate does not reflect triggers, so they never show as drift.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEDGER_TABLES = (
    "ledger_entries",
    "ledger_nodes",
    "ledger_checkpoints",
    "ledger_cosignatures",
)
MESSAGE = "ledger tables are append-only"
PG_FUNCTION = "amanah_refuse_ledger_change"


def _row_key() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "ledger_entries",
        sa.Column("seq", _row_key(), primary_key=True, autoincrement=False),
        sa.Column("stream", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("time", sa.Text(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_ledger_entries")),
        sa.UniqueConstraint("stream", "version", name=op.f("uq_ledger_entries_stream_version")),
    )
    op.create_table(
        "ledger_nodes",
        sa.Column("first_key", _row_key(), primary_key=True, autoincrement=False),
        sa.Column("hashes", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("first_key", name=op.f("pk_ledger_nodes")),
        sa.CheckConstraint(
            "length(hashes) > 0 AND length(hashes) % 32 = 0",
            name=op.f("ck_ledger_nodes_hash_run"),
        ),
    )
    op.create_table(
        "ledger_checkpoints",
        sa.Column("size", _row_key(), primary_key=True, autoincrement=False),
        sa.Column("root", sa.LargeBinary(), nullable=False),
        sa.Column("note", sa.LargeBinary(), nullable=False),
        sa.Column("time", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("size", name=op.f("pk_ledger_checkpoints")),
    )
    op.create_table(
        "ledger_cosignatures",
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("line", sa.Text(), nullable=False),
        sa.Column("witness", sa.Text(), nullable=False),
        sa.Column("time", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("size", "line", name=op.f("pk_ledger_cosignatures")),
    )
    op.create_table(
        "occurrence_book",
        sa.Column("seq", _row_key(), primary_key=True, autoincrement=False),
        sa.Column("time", sa.Text(), nullable=False),
        sa.Column("by", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_occurrence_book")),
    )
    op.create_index(op.f("ix_occurrence_book_time"), "occurrence_book", ["time"])
    create_append_only_guards()


def downgrade() -> None:
    drop_append_only_guards()
    op.drop_index(op.f("ix_occurrence_book_time"), table_name="occurrence_book")
    op.drop_table("occurrence_book")
    for table in reversed(LEDGER_TABLES):
        op.drop_table(table)


def create_append_only_guards() -> None:
    """Create the triggers refusing changes to ledger rows (also after a batch rebuild)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME "
            "USING ERRCODE = 'insufficient_privilege'; END $$"
        )
        for table in LEDGER_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
            )
        return
    for table in LEDGER_TABLES:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )


def drop_append_only_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in LEDGER_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
        return
    for table in LEDGER_TABLES:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
