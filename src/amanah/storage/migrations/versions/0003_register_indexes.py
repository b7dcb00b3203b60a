"""The register's indexes: population by facility, register order, and (SQLite) names.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

``population(facility)`` reads ``(facility, category, status)`` from an index alone;
``seq`` orders search results in register order and keys the SQLite FTS5 trigram index over
``fac_people.search`` (see :mod:`amanah.storage.search_index`), which triggers keep in step.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from amanah.storage import search_index

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_fac_people_facility_category_status",
        "fac_people",
        ["facility", "category", "status"],
    )
    op.create_index("ix_fac_people_seq", "fac_people", ["seq"], unique=True)
    if op.get_bind().dialect.name == "sqlite":
        for statement in search_index.CREATE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in search_index.DROP:
            op.execute(statement)
    op.drop_index("ix_fac_people_seq", table_name="fac_people")
    op.drop_index("ix_fac_people_facility_category_status", table_name="fac_people")
