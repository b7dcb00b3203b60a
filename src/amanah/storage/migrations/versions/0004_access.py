"""Accounts, failed-login throttling and the access log.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

``access_users`` is a projection of the ledger's ``access.*`` entries; ``accounts`` holds the
argon2id password hashes the ledger never sees; ``access_throttle`` counts failed logins;
``access_log`` is append-only like the ledger tables (triggers refuse UPDATE and DELETE, and
TRUNCATE on PostgreSQL) and hash-chained (see :mod:`amanah.domain.access.log`).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "the access log is append-only"
PG_FUNCTION = "amanah_refuse_access_log_change"


def upgrade() -> None:
    op.create_table(
        "access_users",
        sa.Column("username", sa.Text(), nullable=False),
        sa.Column("party", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("roles", sa.Text(), nullable=False),
        sa.Column("facility", sa.Text(), nullable=True),
        sa.Column("blocks", sa.Text(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("password_set_at", sa.Text(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_access_users")),
    )
    op.create_table(
        "accounts",
        sa.Column("username", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("set_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_accounts")),
    )
    op.create_table(
        "access_throttle",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure", sa.Text(), nullable=False),
        sa.Column("locked_until", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_access_throttle")),
    )
    op.create_index(
        "ix_access_throttle_last_failure", "access_throttle", ["last_failure"], unique=False
    )
    op.create_table(
        "access_log",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("time", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("user", sa.Text(), nullable=True),
        sa.Column("party", sa.Text(), nullable=True),
        sa.Column("facility", sa.Text(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("client", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("hash", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint("length(hash) = 32", name=op.f("ck_access_log_hash_size")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_access_log")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME "
            "USING ERRCODE = 'insufficient_privilege'; END $$"
        )
        op.execute(
            "CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
            f"ON access_log FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
        )
    else:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER access_log_no_{action.lower()} BEFORE {action} ON access_log "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS access_log_append_only ON access_log")
        op.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
    else:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS access_log_no_{action}")
    op.drop_table("access_log")
    op.drop_index("ix_access_throttle_last_failure", table_name="access_throttle")
    op.drop_table("access_throttle")
    op.drop_table("accounts")
    op.drop_table("access_users")
