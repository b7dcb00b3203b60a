"""Migrations build exactly the models' schema (``alembic check``), on SQLite and PostgreSQL,
and running them again changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from amanah.storage import migrate, search_index
from amanah.storage.engine import make_engine, sqlite_url
from amanah.storage.tables import metadata


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = sqlite_url(tmp_path / "amanah.db")
    else:
        url = request.getfixturevalue("postgres_db")
    engine = make_engine(url)
    yield engine
    engine.dispose()


def _schema(engine: Engine) -> dict[str, str]:
    inspector = sa.inspect(engine)  # types compare by identity: compare their repr
    return {
        table: repr(
            (
                inspector.get_columns(table),
                inspector.get_pk_constraint(table),
                inspector.get_unique_constraints(table),
                inspector.get_indexes(table),
            )
        )
        for table in inspector.get_table_names()
    }


def _version(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]


def test_upgrade_head_matches_the_models(engine: Engine) -> None:
    migrate.upgrade(engine)
    migrate.check(engine)
    tables = set(sa.inspect(engine).get_table_names())
    index_tables = {t for t in tables if search_index.is_index_table(t)}
    assert tables - index_tables == {*metadata.tables, "alembic_version"}
    # SQLite keeps the register's name index (FTS5 and its shadow tables); PostgreSQL none.
    assert bool(index_tables) == (engine.dialect.name == "sqlite")


def test_upgrade_twice_is_a_no_op(engine: Engine) -> None:
    migrate.upgrade(engine)
    before, version = _schema(engine), _version(engine)
    migrate.upgrade(engine)
    assert _schema(engine) == before
    assert _version(engine) == version == [migrate.head_revision()]
    migrate.check(engine)


def test_check_refuses_a_database_not_at_head(engine: Engine) -> None:
    with pytest.raises(migrate.SchemaDriftError, match="not up to date"):
        migrate.check(engine)


def test_check_reports_drift(engine: Engine) -> None:
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE stray (id INTEGER PRIMARY KEY)")
    with pytest.raises(migrate.SchemaDriftError, match="stray"):
        migrate.check(engine)


def test_downgrade_then_upgrade_again(engine: Engine) -> None:
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    assert set(sa.inspect(engine).get_table_names()) == {"alembic_version"}
    migrate.upgrade(engine)
    migrate.check(engine)


def test_the_name_index_takes_in_people_admitted_before_it_existed(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path / "amanah.db"))
    try:
        migrate.upgrade(engine, "0002")
        person = {
            "number": "D-000001",
            "category": "detainee",
            "status": "inside",
            "facility": "AQ",
            "since": "2026-01-12T08:00:00Z",
            "admitted_at": "2026-01-12T08:00:00Z",
            "search": "d-000001 samer al-hassan",
            "record": "{}",
            "seq": 7,
        }
        with engine.begin() as conn:
            conn.execute(sa.table("fac_people", *map(sa.column, person)).insert(), person)
        migrate.upgrade(engine)
        migrate.check(engine)
        found = "SELECT rowid FROM fac_people_fts WHERE fac_people_fts MATCH :q"
        with engine.connect() as conn:
            assert conn.execute(sa.text(found), {"q": '"hassan"'}).scalars().all() == [7]
        migrate.downgrade(engine, "0002")
        assert not any(search_index.is_index_table(t) for t in sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
