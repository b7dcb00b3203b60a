"""Database URLs: what Amanah accepts, and the clear error for what it does not."""

from __future__ import annotations

import pytest

from amanah.errors import InvalidInput
from amanah.storage.engine import make_engine, sqlite_url


def test_plain_postgresql_urls_use_the_shipped_psycopg_driver() -> None:
    engine = make_engine("postgresql://amanah@127.0.0.1/custody")
    assert engine.url.drivername == "postgresql+psycopg"
    engine.dispose()


@pytest.mark.parametrize("url", ["mysql://x@y/z", "not a url", "oracle://a"])
def test_other_databases_are_bad_input(url: str) -> None:
    with pytest.raises(InvalidInput):
        make_engine(url)


def test_sqlite_paths_are_not_read_as_url_syntax() -> None:
    engine = make_engine(sqlite_url("/tmp/odd?name#with%chars/amanah.db"))
    assert engine.url.database == "/tmp/odd?name#with%chars/amanah.db"
    engine.dispose()
