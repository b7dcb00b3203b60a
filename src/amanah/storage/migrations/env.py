"""Alembic environment for Amanah's schema (:mod:`amanah.storage.tables`).

Run programmatically by :mod:`amanah.storage.migrate`, which passes an open connection in
``config.attributes["connection"]`` (inside a transaction it commits). From the command line,
pass the database with ``-x url=...`` or ``sqlalchemy.url`` in the ini file.
SQLite is migrated in batch mode (``render_as_batch``): it cannot ALTER most things in place.
Caution: a batch operation on a ledger table recreates it, dropping its append-only triggers;
such a migration must create them again (see ``versions/0001_ledger.py``).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from amanah.storage import search_index
from amanah.storage.engine import WRITE_OPTION, make_engine
from amanah.storage.tables import metadata

config = context.config


def _include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Leave out what the models do not describe: the SQLite name index and its shadows."""
    return not (type_ == "table" and search_index.is_index_table(name))


def _run(connection: Connection) -> None:
    context.configure(
        include_name=_include_name,
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("give the database as: alembic -x url=DATABASE_URL ...")
    engine = make_engine(url)
    try:
        with engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
            _run(connection)
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported")
run_migrations_online()
