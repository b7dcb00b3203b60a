"""Accounts, logins and the access log through the services, on real storage: the account
lifecycle goes through the ledger (never a hash), a rebuild keeps the hashes, throttling
survives a restart, sessions end with a disabled account or a new password, and the access
log is append-only and names a tampered record."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from amanah.domain.access.commands import AddUser, DisableUser, SetRoles
from amanah.domain.access.log import GENESIS, AccessRecord, chain_hash
from amanah.domain.access.permissions import Principal
from amanah.errors import AmanahError, Forbidden, LoginFailed, NotFound, Throttled
from amanah.services.access import ACCOUNTS_STREAM, rebuild_accounts
from amanah.storage.engine import make_engine, sqlite_url
from amanah.storage.units import open_storage
from tests.support.access_world import NOW, OPERATOR, PASSWORD, World, make_world
from tests.support.tamper import attacker_connection


@pytest.fixture
def world() -> Iterator[World]:
    made = make_world()
    yield made
    made.close()


def _bodies(world: World) -> list[bytes]:
    with world.storage.reader() as view:
        return [e.body for e in view.ledger.entries(0, view.ledger.size())]


def test_the_account_lifecycle_is_in_the_ledger_and_no_hash_is(world: World) -> None:
    access = world.access
    access.add_user(OPERATOR, AddUser("nour", "her very own passphrase", ("medic",), "AQ"))
    access.set_roles(OPERATOR, SetRoles("nour", ("guard",), "AQ", ("A", "B"), "night shift"))
    access.change_password(OPERATOR, "nour", "a freshly set passphrase")
    access.disable(OPERATOR, DisableUser("nour", "left the service"))
    with world.storage.reader() as view:
        stream = view.ledger.stream(ACCOUNTS_STREAM)
        hashed = view.access.password_hash("nour")
    types = [e.type for e in stream]
    assert types[-4:] == [
        "access.user_added",
        "access.user_roles_set",
        "access.password_changed",
        "access.user_disabled",
    ]
    assert {e.type for e in stream} <= set(types)
    assert hashed is not None
    assert hashed.startswith("$argon2id$")
    for body in _bodies(world):
        assert b"$argon2" not in body
        assert b"passphrase" not in body
    (nour,) = [a for a in access.users(OPERATOR) if a.username == "nour"]
    assert (nour.roles, nour.blocks, nour.disabled) == (("guard",), ("A", "B"), True)


def test_a_rebuild_equals_the_live_accounts_and_keeps_the_hashes(world: World) -> None:
    world.access.set_roles(OPERATOR, SetRoles("medic", ("medic", "records_officer"), "AQ"))
    world.access.disable(OPERATOR, DisableUser("receiving"))
    live = world.access.users(OPERATOR)
    with world.storage.writer() as unit:
        unit.access.clear_accounts()
    assert world.access.users(OPERATOR) == []
    assert rebuild_accounts(world.storage) == len(live)
    assert world.access.users(OPERATOR) == live
    principal = world.access.authenticate("medic", PASSWORD, "10.0.0.1")
    assert principal.roles == ("records_officer", "medic")


def test_bad_input_writes_nothing(world: World) -> None:
    before = world.size()
    bad = [
        AddUser("x", PASSWORD, ("medic",), "AQ"),
        AddUser("nour", "short", ("medic",), "AQ"),
        AddUser("nour", PASSWORD, ("guard",), "AQ", ("B-01",)),
        AddUser("nour", PASSWORD, ("jailer",), "AQ"),
        AddUser("medic", PASSWORD, ("medic",), "AQ"),
        AddUser("nour", PASSWORD, ("medic",), "ELSEWHERE"),
    ]
    for command in bad:
        with pytest.raises(AmanahError):
            world.access.add_user(OPERATOR, command)
    with pytest.raises(NotFound):
        world.access.disable(OPERATOR, DisableUser("nobody"))
    assert world.size() == before
    with world.storage.reader() as view:
        assert view.access.password_hash("nour") is None
        assert view.access.account("x") is None


def test_the_facility_defaults_to_the_only_one(world: World) -> None:
    added = world.access.add_user(OPERATOR, AddUser("nour", PASSWORD, ("medic",)))
    assert added.facility == "AQ"
    admin = world.access.add_user(OPERATOR, AddUser("chief", PASSWORD, ("administrator",)))
    assert admin.facility is None


def test_an_administrator_of_one_facility_manages_only_its_accounts(world: World) -> None:
    local = world.access.add_user(OPERATOR, AddUser("local", PASSWORD, ("administrator",), "AQ"))
    boss = world.access.authenticate(local.username, PASSWORD, "10.0.0.2")
    world.access.add_user(boss, AddUser("nour", PASSWORD, ("medic",), "AQ"))
    with pytest.raises(Forbidden):
        world.access.add_user(boss, AddUser("ghost", PASSWORD, ("monitor",)))
    with pytest.raises(Forbidden):
        world.access.disable(boss, DisableUser("admin"))
    assert {a.username for a in world.access.users(boss)} == {
        "local",
        "nour",
        "records",
        "guard",
        "medic",
        "receiving",
    }
    with pytest.raises(AmanahError, match="your own account"):
        world.access.disable(boss, DisableUser("local"))


def test_logins_and_the_log_of_failures(world: World) -> None:
    with pytest.raises(LoginFailed, match="wrong username or password"):
        world.access.authenticate("medic", "not the password at all", "10.0.0.3")
    with pytest.raises(LoginFailed, match="wrong username or password"):
        world.access.authenticate("no-such-user", PASSWORD, "10.0.0.3")
    with pytest.raises(LoginFailed):
        world.access.authenticate("medic", 12345, "10.0.0.3")  # type: ignore[arg-type]
    assert world.access.authenticate(" MEDIC ", PASSWORD, "10.0.0.3").username == "medic"
    rows = world.access.access_log(OPERATOR, limit=4)
    assert [(r.kind, r.subject, r.user, r.detail) for r in rows] == [
        ("login.succeeded", None, "medic", None),
        ("login.failed", "medic", None, "wrong username or password"),
        ("login.failed", None, None, "wrong username or password"),  # unknown name: not shown
        ("login.failed", "medic", None, "wrong username or password"),
    ]
    assert all(r.client == "10.0.0.3" for r in rows)


def test_brute_force_is_throttled_and_the_lock_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "amanah.db"
    world = make_world(sqlite_url(path))
    try:
        _brute_force(world, path)
    finally:
        world.close()


def _brute_force(world: World, path: Path) -> None:
    for _ in range(5):
        with pytest.raises(LoginFailed):
            world.access.authenticate("records", "guessing the password", "10.0.0.4")
    with pytest.raises(Throttled) as locked:
        world.access.authenticate("records", PASSWORD, "10.0.0.5")  # even the right one
    assert locked.value.retry_after == NOW + timedelta(seconds=30)
    # A restart: a new service on a new connection to the same file still refuses.
    storage = open_storage(sqlite_url(path))
    restarted = replace(world.access, storage=storage)
    try:
        with pytest.raises(Throttled):
            restarted.authenticate("records", PASSWORD, "10.0.0.6")
        world.clock.advance(timedelta(seconds=30))
        assert restarted.authenticate("records", PASSWORD, "10.0.0.6").username == "records"
        # Success cleared the username's count: one more failure does not lock it again.
        with pytest.raises(LoginFailed) as failed:
            restarted.authenticate("records", "guessing again", "10.0.0.6")
        assert not isinstance(failed.value, Throttled)
    finally:
        storage.close()
    details = [r.detail for r in world.access.access_log(OPERATOR, limit=100)]
    assert "locked until 2026-01-20T12:00:30Z" in details


def test_a_client_guessing_many_names_is_throttled(world: World) -> None:
    for n in range(20):
        with pytest.raises(LoginFailed):
            world.access.authenticate(f"user{n}", "guessing the password", "10.6.6.6")
    with pytest.raises(Throttled):
        world.access.authenticate("medic", PASSWORD, "10.6.6.6")
    assert world.access.authenticate("medic", PASSWORD, "10.0.0.7").username == "medic"


def test_a_disabled_account_cannot_log_in_and_its_sessions_end(world: World) -> None:
    session = world.access.authenticate("guard", PASSWORD, "10.0.0.8")
    assert world.access.principal("guard", authenticated_at=NOW) == session
    world.access.disable(OPERATOR, DisableUser("guard", "left"))
    with pytest.raises(LoginFailed, match="session has ended"):
        world.access.principal("guard", authenticated_at=NOW)
    with pytest.raises(LoginFailed, match="disabled"):
        world.access.authenticate("guard", PASSWORD, "10.0.0.8")
    with pytest.raises(LoginFailed, match="wrong username or password"):
        world.access.authenticate("guard", "not the password at all", "10.0.0.8")


def test_a_role_change_applies_to_open_sessions(world: World) -> None:
    world.access.authenticate("medic", PASSWORD, "10.0.0.8")
    world.access.set_roles(OPERATOR, SetRoles("medic", ("receiving_officer",), "AQ"))
    assert world.access.principal("medic", authenticated_at=NOW).roles == ("receiving_officer",)


def test_changing_ones_own_password(world: World) -> None:
    me = world.access.authenticate("records", PASSWORD, "10.0.0.9")
    with pytest.raises(LoginFailed, match="current password is wrong"):
        world.access.change_password(
            me, "records", "my brand new passphrase", current_password="nope"
        )
    world.clock.advance(timedelta(seconds=5))
    world.access.change_password(
        me, "records", "my brand new passphrase", current_password=PASSWORD
    )
    with pytest.raises(LoginFailed, match="password has changed"):
        world.access.principal("records", authenticated_at=NOW)
    with pytest.raises(LoginFailed):
        world.access.authenticate("records", PASSWORD, "10.0.0.9")
    assert world.access.authenticate("records", "my brand new passphrase", "10.0.0.9")
    # Someone else's password needs user.manage.
    with pytest.raises(Forbidden):
        world.access.change_password(me, "medic", "an attempt at takeover")
    entries = [e for e in _bodies(world) if b"access.password_changed" in e]
    assert b'"reset":false' in entries[-1]


def test_person_views_are_logged_and_the_log_verifies(world: World) -> None:
    records = world.guarded(world.principal("records"))
    records.person("D-000001")
    records.search("Samer")
    rows = world.access.access_log(OPERATOR, limit=2)
    assert [(r.kind, r.user, r.subject, r.facility) for r in rows] == [
        ("register.searched", "records", "Samer", "AQ"),
        ("person.viewed", "records", "D-000001", "AQ"),
    ]
    report = world.access.verify_log(OPERATOR)
    assert report.ok
    assert report.size == len(world.access.access_log(OPERATOR, limit=1000))


def test_the_access_log_is_anchored_every_256_records(world: World) -> None:
    principal = Principal("viewer", "P", ("records_officer",), "AQ")
    before = world.size()
    for _ in range(300):
        world.access.record(principal, "person.viewed", facility="AQ", subject="D-000001")
    report = world.access.verify_log(OPERATOR)
    assert report.ok
    assert report.anchored == 256
    assert world.size() == before + 1


@pytest.fixture
def db_file(tmp_path: Path) -> Iterator[tuple[World, Path]]:
    path = tmp_path / "amanah.db"
    made = make_world(sqlite_url(path))
    records = made.guarded(made.principal("records"))
    for number in ("D-000001", "D-000002", "D-000001"):
        records.person(number)
    yield made, path
    made.close()


def test_the_database_refuses_to_change_the_access_log(db_file: tuple[World, Path]) -> None:
    _, path = db_file
    engine = make_engine(sqlite_url(path))
    try:
        for statement in ("UPDATE access_log SET subject = 'x'", "DELETE FROM access_log"):
            with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as c:
                c.exec_driver_sql(statement)
    finally:
        engine.dispose()


def test_a_tampered_record_is_named(db_file: tuple[World, Path]) -> None:
    world, path = db_file
    size = world.access.verify_log(OPERATOR).size
    conn = attacker_connection(path)
    conn.execute("UPDATE access_log SET subject = 'D-000099' WHERE seq = ?", (size - 2,))
    conn.close()
    report = world.access.verify_log(OPERATOR)
    assert not report.ok
    assert report.first_bad == size - 2
    assert f"record {size - 2} does not match its hash" in [p.what for p in report.problems]


def test_a_deleted_tail_is_caught_by_the_anchor(db_file: tuple[World, Path]) -> None:
    world, path = db_file
    world.access.record(OPERATOR, "export", subject="ledger tiles", anchor=True)
    size = world.access.verify_log(OPERATOR).size
    conn = attacker_connection(path)
    conn.execute("DELETE FROM access_log WHERE seq >= ?", (size - 2,))
    conn.close()
    report = world.access.verify_log(OPERATOR)
    assert not report.ok
    assert any("the ledger anchors" in p.what for p in report.problems)


def test_a_rewritten_chain_is_caught_by_the_anchor(db_file: tuple[World, Path]) -> None:
    world, path = db_file
    world.access.record(OPERATOR, "export", subject="ledger tiles", anchor=True)
    conn: sqlite3.Connection = attacker_connection(path)
    rows = conn.execute(
        'SELECT seq, time, kind, "user", party, facility, subject, client, detail '
        "FROM access_log ORDER BY seq"
    ).fetchall()
    previous = GENESIS
    for row in rows:
        record = AccessRecord(*row)
        if record.kind == "person.viewed":
            record = replace(record, subject="D-000042")
        previous = chain_hash(previous, record)
        conn.execute(
            "UPDATE access_log SET subject = ?, hash = ? WHERE seq = ?",
            (record.subject, previous, record.seq),
        )
    conn.close()
    report = world.access.verify_log(OPERATOR)
    assert not report.ok
    assert any("differ from the ledger's anchor" in p.what for p in report.problems)


@pytest.mark.postgres
def test_postgresql_refuses_to_change_the_access_log_and_throttles(postgres_db: str) -> None:
    world = make_world(postgres_db)
    try:
        world.guarded(world.principal("records")).person("D-000001")
        for _ in range(5):
            with pytest.raises(LoginFailed):
                world.access.authenticate("medic", "guessing the password", "10.0.0.1")
        with pytest.raises(Throttled):
            world.access.authenticate("medic", PASSWORD, "10.0.0.1")
        assert world.access.verify_log(OPERATOR).ok
        assert rebuild_accounts(world.storage) == 6
        engine = make_engine(postgres_db)
        try:
            for statement in (
                "UPDATE access_log SET subject = 'x'",
                "DELETE FROM access_log",
                "TRUNCATE access_log",
            ):
                with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as c:
                    c.exec_driver_sql(statement)
        finally:
            engine.dispose()
    finally:
        world.close()
