"""The CLI against PostgreSQL: `--db` at init is remembered by the data home."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amanah.ledger.proof import parse_proof
from amanah.settings import DB_FILE, SETTINGS_FILE
from tests.e2e.conftest import ORIGIN, Runner


@pytest.mark.postgres
def test_cli_on_postgres_remembers_the_database(
    amanah: Runner, postgres_db: str, tmp_path: Path
) -> None:
    assert postgres_db.startswith("postgresql+psycopg://")
    home = tmp_path / "home"
    init = amanah("init", "--origin", ORIGIN, db=postgres_db)
    assert init.code == 0, init.err
    vkey = init.out.strip()
    assert postgres_db in (home / SETTINGS_FILE).read_text(encoding="utf-8")

    added = amanah("occurrence", "add", "وصول قافلة المياه", "--json", db=postgres_db)
    assert added.code == 0, added.err
    assert json.loads(added.out) == {"seq": 1, "size": 2}
    book = tmp_path / "book.jsonl"
    rows = [
        {"time": f"2026-01-20T{8 + i:02d}:00", "text": f"تعداد {i}", "by": "ضابط المناوبة"}
        for i in range(10)
    ]
    book.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    imported = amanah("occurrence", "import", str(book), "--json", db=postgres_db)
    assert imported.code == 0, imported.err
    assert json.loads(imported.out) == {"imported": 10, "first_seq": 2, "size": 12}

    verify = amanah("ledger", "verify", "--json", db=postgres_db)
    assert verify.code == 0, verify.err
    assert json.loads(verify.out)["ok"] is True
    proved = amanah("ledger", "prove", "5", db=postgres_db)
    assert proved.code == 0, proved.err
    assert parse_proof(proved.raw).index == 5

    # Without --db the home's settings name the same PostgreSQL database; no SQLite file.
    again = amanah("ledger", "verify", "--json")
    assert again.code == 0, again.err
    assert json.loads(again.out)["size"] == 12
    assert amanah("ledger", "vkey").out.strip() == vkey
    listing = json.loads(amanah("occurrence", "list", "--json").out)
    assert {row["text"] for row in listing} == {"وصول قافلة المياه"} | {r["text"] for r in rows}
    assert not (home / DB_FILE).exists()

    # And the receipt from PostgreSQL verifies offline like any other.
    receipt, entry = tmp_path / "r", tmp_path / "e"
    receipt.write_bytes(proved.raw)
    entry.write_bytes(amanah("ledger", "entry", "5").raw)
    check = amanah("ledger", "verify-receipt", str(receipt), "--entry", str(entry), "--vkey", vkey)
    assert check.code == 0, check.err
