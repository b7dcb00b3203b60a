"""Shared fixtures: a throwaway PostgreSQL 15 cluster for the tests that need one.

The cluster is started as DESIGN.md ("Testing and CI facts") describes: a ``mktemp -d`` data
folder owned by ``postgres``, ``initdb`` and ``pg_ctl`` run through ``runuser`` (the server
refuses to run as root), listening on 127.0.0.1 and a free port, stopped at the end of the
session. Without the binaries the PostgreSQL tests are skipped, except in CI (``$CI`` set),
where they fail: CI must never silently drop them.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.support.live_server import free_port

PG_BIN = Path(os.environ.get("AMANAH_PG_BIN", "/usr/lib/postgresql/15/bin"))
_names = itertools.count()


def _as_postgres(*args: str) -> list[str]:
    # As root, run the server tools as the postgres user; otherwise as ourselves.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)


def _run(args: list[str]) -> None:
    proc = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}"
        )


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of the ``postgres`` database of a throwaway cluster (superuser, trust auth).

    Tests should not write here: use :func:`postgres_db` for a database of their own.
    """
    missing = [t for t in ("initdb", "pg_ctl") if not (PG_BIN / t).exists()]
    if missing:
        reason = f"PostgreSQL binaries {missing} not found in {PG_BIN} (install postgresql-15)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; the PostgreSQL tests must run in CI", pytrace=False)
        pytest.skip(reason)
    data = Path(tempfile.mkdtemp(prefix="amanah-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, user="postgres", group="postgres")
    pg_ctl = str(PG_BIN / "pg_ctl")
    started = False
    try:
        _run(
            _as_postgres(
                str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-E", "UTF8", "--no-sync"
            )
        )
        for attempt in range(3):
            port = free_port()
            options = f"-c listen_addresses=127.0.0.1 -p {port} -k {data}"
            try:
                _run(
                    _as_postgres(
                        pg_ctl,
                        "-D",
                        str(data),
                        "-w",
                        "-l",
                        str(data / "server.log"),
                        "-o",
                        options,
                        "start",
                    )
                )
            except RuntimeError:
                if attempt == 2:  # the port may have been taken between probe and start
                    raise
                continue
            started = True
            break
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        if started:
            _run(_as_postgres(pg_ctl, "-D", str(data), "-m", "fast", "stop"))
        shutil.rmtree(data, ignore_errors=True)


class PostgresDatabases:
    """Creates databases in the throwaway cluster; each is dropped at the end of its test."""

    def __init__(self, url: str) -> None:
        self.url = sa.make_url(url)
        self.admin = sa.create_engine(self.url, isolation_level="AUTOCOMMIT")

    def create(self, template: str | None = None) -> str:
        """A new database (a copy of ``template`` if given); returns its URL."""
        name = f"amanah_test_{os.getpid()}_{next(_names)}"
        copy = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}{copy}")
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        name = sa.make_url(url).database
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def postgres_databases(postgres_url: str) -> Iterator[PostgresDatabases]:
    databases = PostgresDatabases(postgres_url)
    yield databases
    databases.admin.dispose()


@pytest.fixture
def postgres_db(postgres_databases: PostgresDatabases) -> Iterator[str]:
    """A new, empty database in the throwaway cluster for one test; dropped afterwards."""
    url = postgres_databases.create()
    yield url
    postgres_databases.drop(url)
