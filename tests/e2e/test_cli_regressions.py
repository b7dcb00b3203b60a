"""Regressions found in review: each test is named after the bug it guards."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from amanah.settings import DB_FILE
from amanah.storage.witness_state import FileWitnessState
from tests.e2e.conftest import ORIGIN, Runner, make_witness, run_cli
from tests.support.tamper import attacker_connection


def _one_line(err: str) -> bool:
    return len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_missing_database_never_becomes_a_new_log(initialised: Runner, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert initialised("occurrence", "add", "hello").code == 0
    (home / DB_FILE).rename(tmp_path / "elsewhere.db")
    for wal in home.glob(f"{DB_FILE}-*"):
        wal.unlink()
    for args in (("ledger", "verify"), ("occurrence", "add", "x")):
        result = initialised(*args)
        assert result.code == 2, result.err
        assert "does not exist" in result.err
        assert _one_line(result.err)
    assert not (home / DB_FILE).exists()


def test_another_logs_database_is_refused(initialised: Runner, tmp_path: Path) -> None:
    other = tmp_path / "other"
    assert run_cli(other, "init", "--origin", "amanah.example/other").code == 0
    result = initialised("occurrence", "add", "x", db=f"sqlite:///{other / DB_FILE}")
    assert result.code == 1, result.err
    assert "another log" in result.err
    assert _one_line(result.err)


def test_reads_do_not_wait_for_a_writer(initialised: Runner, tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "home" / DB_FILE, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")  # another process is in the middle of an import
    try:
        result = initialised("ledger", "checkpoint")
        assert result.code == 0, result.err
        assert result.out.startswith(ORIGIN + "\n")
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def test_huge_numbers_and_out_of_range_times_are_bad_input(initialised: Runner) -> None:
    for args in (
        ("ledger", "entry", "99999999999999999999"),
        ("ledger", "prove", "0", "--size", "99999999999999999999"),
        ("occurrence", "add", "x", "--at", "0001-01-01T00:00:00+01:00"),
        ("occurrence", "add", "x", "--at", "9999-12-31T23:00:00-05:00"),
    ):
        result = initialised(*args)
        assert result.code == 2, (args, result.err)
        assert _one_line(result.err), result.err


def test_bad_database_url_at_init_leaves_nothing_behind(amanah: Runner, tmp_path: Path) -> None:
    home = tmp_path / "home"
    for url in ("foo://bar", "postgresql+psycopg://nobody@127.0.0.1:1/none"):
        result = run_cli(home, "init", "--origin", ORIGIN, db=url)
        assert result.code in (2, 3), result.err
        assert _one_line(result.err), result.err
        assert not home.exists()
    assert amanah("init", "--origin", ORIGIN).code == 0


def test_party_with_control_characters_is_refused(amanah: Runner, tmp_path: Path) -> None:
    result = amanah("init", "--origin", ORIGIN, "--party", "a\nb")
    assert result.code == 2, result.err
    assert _one_line(result.err), result.err
    assert not (tmp_path / "home").exists()


def test_markup_in_names_prints_literally(initialised: Runner) -> None:
    assert initialised("occurrence", "add", "x [red]y[/red]", "--by", "[/bold]").code == 0
    listing = initialised("occurrence", "list")
    assert listing.code == 0, listing.err
    assert "[/bold]" in listing.out
    assert "[red]y[/red]" in listing.out


def test_question_mark_in_home_keeps_database_inside(tmp_path: Path) -> None:
    home = tmp_path / "r-q?x"
    assert run_cli(home, "init", "--origin", ORIGIN).code == 0
    assert (home / DB_FILE).is_file()
    assert not (tmp_path / "r-q").exists()


def test_existing_home_is_made_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    assert run_cli(home, "init", "--origin", ORIGIN).code == 0
    assert home.stat().st_mode & 0o777 == 0o700
    assert (home / DB_FILE).stat().st_mode & 0o077 == 0


def test_corrupt_witness_state_is_a_clear_error(initialised: Runner, tmp_path: Path) -> None:
    whome = tmp_path / "witness"
    make_witness(initialised, whome, "w.example/1")
    (whome / "witness-state.json").write_text(json.dumps({ORIGIN: 1}), encoding="utf-8")
    request = initialised("ledger", "witness-request").raw
    result = initialised("witness", "add-checkpoint", "-", stdin=request, home_dir=whome)
    assert result.code == 2, result.err
    assert "corrupt" in result.err
    assert _one_line(result.err)


def test_text_stored_in_a_blob_column_is_reported_as_tampering(
    initialised: Runner, tmp_path: Path
) -> None:
    assert initialised("occurrence", "add", "hello").code == 0
    conn = attacker_connection(tmp_path / "home" / DB_FILE)
    conn.execute("""UPDATE ledger_entries SET body = CAST('{"seq":1}' AS TEXT) WHERE seq = 1""")
    conn.close()
    result = initialised("ledger", "verify")
    assert result.code == 1, result.err
    assert "TAMPERED (first bad entry: 1)" in result.err


def test_two_witness_processes_never_cosign_at_once(initialised: Runner, tmp_path: Path) -> None:
    whome = tmp_path / "witness"
    make_witness(initialised, whome, "w.example/1")
    request = initialised("ledger", "witness-request").raw
    state = FileWitnessState(whome / "witness-state.json")
    request_file = tmp_path / "request.txt"
    request_file.write_bytes(request)
    with state.exclusive():  # another witness process is mid-way through a cosignature
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "amanah",
                "--home",
                str(whome),
                "witness",
                "add-checkpoint",
                str(request_file),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(1.5)
        assert proc.poll() is None  # it waits for the lock instead of reading stale state
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    assert out.startswith("— w.example/1 ".encode())
    assert state.get("amanah.example/sy11/al-aqtan") is not None
