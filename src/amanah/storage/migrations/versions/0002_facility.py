"""The facility: register (locations, people), movements, occupancy and roll calls.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Projection tables only: all of them are rebuilt from the ledger by ``amanah projections
rebuild``, so they carry no append-only guards.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fac_locations",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("facility", sa.Text(), nullable=False),
        sa.Column("parent", sa.Text(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fac_locations")),
    )
    with op.batch_alter_table("fac_locations", schema=None) as batch_op:
        batch_op.create_index("ix_fac_locations_path", ["path"], unique=False)

    op.create_table(
        "fac_movements",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("person", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("time", sa.Text(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=True),
        sa.Column("destination", sa.Text(), nullable=True),
        sa.Column("direction", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_fac_movements")),
    )
    with op.batch_alter_table("fac_movements", schema=None) as batch_op:
        batch_op.create_index("ix_fac_movements_person", ["person", "seq"], unique=False)
        batch_op.create_index("ix_fac_movements_time", ["time"], unique=False)

    op.create_table(
        "fac_occupancy",
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("location", "category", name=op.f("pk_fac_occupancy")),
    )
    op.create_table(
        "fac_people",
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("facility", sa.Text(), nullable=False),
        sa.Column("since", sa.Text(), nullable=False),
        sa.Column("admitted_at", sa.Text(), nullable=False),
        sa.Column("name_ar", sa.Text(), nullable=True),
        sa.Column("name_latin", sa.Text(), nullable=True),
        sa.Column("search", sa.Text(), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_fac_people")),
    )
    with op.batch_alter_table("fac_people", schema=None) as batch_op:
        batch_op.create_index("ix_fac_people_category_status", ["category", "status"], unique=False)
        batch_op.create_index("ix_fac_people_location", ["location"], unique=False)

    op.create_table(
        "fac_resolutions",
        sa.Column("roll", sa.Text(), nullable=False),
        sa.Column("person", sa.Text(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("found_in", sa.Text(), nullable=True),
        sa.Column("time", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("roll", "person", name=op.f("pk_fac_resolutions")),
    )
    op.create_table(
        "fac_rolls",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("facility", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("opened_at", sa.Text(), nullable=False),
        sa.Column("cleared_at", sa.Text(), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fac_rolls")),
    )
    with op.batch_alter_table("fac_rolls", schema=None) as batch_op:
        batch_op.create_index("ix_fac_rolls_facility_seq", ["facility", "seq"], unique=False)

    op.create_table(
        "fac_tallies",
        sa.Column("roll", sa.Text(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=False),
        sa.Column("counters", sa.Text(), nullable=False),
        sa.Column("counted_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("roll", "location", name=op.f("pk_fac_tallies")),
    )


def downgrade() -> None:
    op.drop_table("fac_tallies")
    with op.batch_alter_table("fac_rolls", schema=None) as batch_op:
        batch_op.drop_index("ix_fac_rolls_facility_seq")

    op.drop_table("fac_rolls")
    op.drop_table("fac_resolutions")
    with op.batch_alter_table("fac_people", schema=None) as batch_op:
        batch_op.drop_index("ix_fac_people_location")
        batch_op.drop_index("ix_fac_people_category_status")

    op.drop_table("fac_people")
    op.drop_table("fac_occupancy")
    with op.batch_alter_table("fac_movements", schema=None) as batch_op:
        batch_op.drop_index("ix_fac_movements_time")
        batch_op.drop_index("ix_fac_movements_person")

    op.drop_table("fac_movements")
    with op.batch_alter_table("fac_locations", schema=None) as batch_op:
        batch_op.drop_index("ix_fac_locations_path")

    op.drop_table("fac_locations")
