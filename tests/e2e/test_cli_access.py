"""Accounts and the access log through the real command line."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Runner
from tests.support.tamper import attacker_connection

PASSWORD = b"a long enough passphrase\n"


def _ok(run: Runner, *args: str, stdin: bytes | None = None) -> Any:
    result = run(*args, "--json", stdin=stdin)
    assert result.code == 0, f"{args}: {result.err}"
    return json.loads(result.out)


def _size(run: Runner) -> int:
    return int(_ok(run, "ledger", "verify")["size"])


@pytest.fixture
def facility(initialised: Runner) -> Runner:
    run = initialised
    _ok(run, "location", "add", "AQ", "--kind", "facility", "--name-ar", "سجن", "--name-en", "P")
    _ok(run, "location", "add", "A", "--kind", "block", "--name-ar", "أ", "--name-en", "A",
        "--parent", "AQ")  # fmt: skip
    _ok(run, "location", "add", "A-01", "--kind", "cell", "--name-ar", "أ-01", "--name-en",
        "A-01", "--parent", "A")  # fmt: skip
    return run


def test_account_lifecycle(facility: Runner, tmp_path: Path) -> None:
    run = facility
    home = tmp_path / "home"
    added = _ok(run, "user", "add", "Omar", "--role", "guard", "--block", "A", "--name",
                "Omar al-Ali", "--password-stdin", stdin=PASSWORD)  # fmt: skip
    assert added | {"created_at": None, "password_set_at": None} == {
        "username": "omar",
        "party": "amanah.example/sy11/al-aqtan",
        "name": "Omar al-Ali",
        "roles": ["guard"],
        "facility": "AQ",
        "blocks": ["A"],
        "disabled": False,
        "created_at": None,
        "password_set_at": None,
    }
    monitor = _ok(run, "user", "add", "icrc", "--role", "monitor", "--party", "Guarantor",
                  "--password-stdin", stdin=b"the guarantor's passphrase")  # fmt: skip
    assert (monitor["facility"], monitor["party"]) == (None, "Guarantor")
    changed = _ok(run, "user", "roles", "omar", "--role", "guard", "--role", "medic",
                  "--block", "A", "--reason", "trained as a medic")  # fmt: skip
    assert changed["roles"] == ["guard", "medic"]
    passwd = run("user", "passwd", "omar", "--password-stdin", stdin=b"another passphrase here")
    assert passwd.code == 0, passwd.err
    assert _ok(run, "user", "disable", "omar", "--reason", "left")["disabled"] is True
    listed = _ok(run, "user", "list")
    assert [(u["username"], u["disabled"]) for u in listed] == [("icrc", False), ("omar", True)]
    table = run("user", "list")
    assert "disabled" in table.out
    assert "(all)" in table.out
    # The ledger has the lifecycle, never a password or a hash.
    bodies = _bodies(home)
    types = {json.loads(b)["type"] for b in bodies}
    for kind in ("access.user_added", "access.user_roles_set", "access.password_changed",
                 "access.user_disabled"):  # fmt: skip
        assert kind in types
    assert not [b for b in bodies if b"argon2" in b or b"passphrase" in b]
    rebuilt = run("projections", "rebuild")
    assert rebuilt.code == 0, rebuilt.err
    assert "(2 accounts)" in rebuilt.out
    assert _ok(run, "user", "list") == listed


def _bodies(home: Path) -> list[bytes]:
    with sqlite3.connect(home / "amanah.db") as conn:
        return [bytes(r[0]) for r in conn.execute("SELECT body FROM ledger_entries ORDER BY seq")]


REFUSALS: list[tuple[tuple[str, ...], bytes | None, str]] = [
    (("user", "add", "x", "--role", "medic"), PASSWORD, "must be 2-32 letters"),
    (("user", "add", "nour", "--role", "jailer"), PASSWORD, "unknown role 'jailer'"),
    (("user", "add", "nour", "--role", "medic"), b"short\n", "at least 12"),
    (("user", "add", "nour", "--role", "guard"), PASSWORD, "at least one block"),
    (("user", "add", "nour", "--role", "guard", "--block", "A-01"), PASSWORD, "no block"),
    (("user", "add", "nour", "--role", "medic", "--block", "A"), PASSWORD, "only guards"),
    (("user", "add", "nour", "--role", "medic", "--facility", "ZZ"), PASSWORD, "no facility"),
    (("user", "add", "nour", "--role", "medic"), b"", "no password on standard input"),
    (("user", "passwd", "nobody"), PASSWORD, "no user nobody"),
    (("user", "disable", "nobody"), None, "no user nobody"),
    (("user", "roles", "nobody", "--role", "medic"), None, "no user nobody"),
]


def test_refusals_write_nothing(facility: Runner) -> None:
    run = facility
    before = _size(run)
    for args, stdin, message in REFUSALS:
        result = run(*args, *(["--password-stdin"] if stdin is not None else []), stdin=stdin)
        assert result.code == 2, (args, result.err)
        assert message in result.err, (args, result.err)
        assert len(result.err.strip().splitlines()) == 1, (args, result.err)
    assert _size(run) == before
    assert _ok(run, "user", "list") == []


def test_a_password_is_never_an_argument(facility: Runner) -> None:
    result = facility("user", "add", "nour", "--role", "medic", "--password", "hunter2hunter2")
    assert result.code == 2
    no_tty = facility("user", "add", "nour", "--role", "medic", stdin=b"")
    assert no_tty.code == 2
    assert "--password-stdin" in no_tty.err


def test_duplicate_and_disabled_accounts(facility: Runner) -> None:
    run = facility
    _ok(run, "user", "add", "nour", "--role", "medic", "--password-stdin", stdin=PASSWORD)
    again = run("user", "add", "Nour", "--role", "medic", "--password-stdin", stdin=PASSWORD)
    assert again.code == 2
    assert "already exists" in again.err
    _ok(run, "user", "disable", "nour")
    twice = run("user", "disable", "nour")
    assert twice.code == 2
    assert "is disabled" in twice.err


def test_views_and_exports_are_in_the_access_log(facility: Runner, tmp_path: Path) -> None:
    run = facility
    admitted = _ok(run, "person", "admit", "--name-ar", "سامر", "--name-latin", "Samer",
                   "--gender", "male", "--nationality", "SY", "--commitment-order", "CO-1",
                   "--grounds", "synthetic", "--ordering-authority", "Court",
                   "--responsible-authority", "Admin", "--arrest-time", "2026-01-10T10:00",
                   "--arrest-place", "Raqqa", "--arrest-authority", "Police",
                   "--location", "A-01")  # fmt: skip
    number = admitted["number"]
    assert run("person", "show", number).code == 0
    assert run("ledger", "export-tiles", str(tmp_path / "usb")).code == 0
    rows = _ok(run, "access", "log", "--limit", "5")
    assert [(r["kind"], r["user"], r["subject"], r["client"]) for r in rows] == [
        ("export", "test-operator", "ledger tiles", "cli"),
        ("person.viewed", "test-operator", number, "cli"),
    ]
    assert _ok(run, "access", "log", "--limit", "1")[0]["kind"] == "export"
    text = run("access", "log")
    assert "person.viewed" in text.out
    assert b'"type":"access.log_anchored"' in b"".join(_bodies(tmp_path / "home"))
    report = _ok(run, "access", "verify")
    assert report["ok"] is True
    assert report["anchored"] == 2

    conn = attacker_connection(tmp_path / "home" / "amanah.db")
    conn.execute("UPDATE access_log SET subject = 'D-999999' WHERE seq = 1")
    conn.close()
    tampered = run("access", "verify")
    assert tampered.code == 1
    assert "first bad record: 1" in tampered.err
    as_json = run("access", "verify", "--json")
    assert as_json.code == 1
    assert json.loads(as_json.out)["first_bad"] == 1
