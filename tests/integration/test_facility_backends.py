"""The same facility history on SQLite and PostgreSQL gives the same figures, live and rebuilt."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from amanah.bootstrap import init_home
from amanah.clock import FixedClock
from amanah.domain.movements.commands import Move
from amanah.domain.registry.commands import AddLocation, Admit, Correct
from amanah.domain.rollcount.commands import OpenRoll, RecordCount, Resolve
from amanah.services.facility import ResolveWith
from amanah.services.projector import rebuild

T0 = datetime(2026, 1, 12, 6, tzinfo=UTC)
NOW = datetime(2026, 1, 13, 12, tzinfo=UTC)


def _record(n: int) -> dict[str, Any]:
    return {
        "name_ar": f"سامر الحسن {n}",
        "name_latin": f"Samer al-Hassan {n}",
        "gender": "male",
        "nationality": ["SY", "IQ", "TN"][n % 3],
        "commitment": {
            "order_ref": f"CO-{n}",
            "grounds": "synthetic",
            "ordering_authority": "Test court",
            "responsible_authority": "Test administration",
        },
        "arrest": {"time": "2026-01-01T10:00", "place": "Raqqa", "authority": "Test police"},
    }


def _history() -> list[Any]:
    commands: list[Any] = [
        AddLocation("AQ", "facility", "سجن", "Prison", adm1="SY11", adm2="SY1101"),
        AddLocation("A", "block", "أ", "Block A", parent="AQ"),
        AddLocation("B", "block", "ب", "Block B", parent="AQ"),
        AddLocation("G", "post", "البوابة", "Gate", parent="AQ"),
    ]
    commands += [
        AddLocation(f"{block}-{i}", "cell", block, block, parent=block, certified=3, maximum=6)
        for block in ("A", "B")
        for i in range(3)
    ]
    for n in range(24):
        cell = f"{'AB'[n % 2]}-{n % 3}"
        commands.append(Admit(f"D-{n:03d}", "detainee", _record(n), cell, T0))
    staff = {
        "name_latin": "Guard",
        "gender": "male",
        "nationality": "SY",
        "staff": {"role": "guard"},
    }
    commands.append(Admit("S-001", "staff", staff, "G", T0))
    t = T0 + timedelta(hours=1)
    commands += [
        Move("cell", "D-000", t, "B-0", "A-0", {"reason": "crowding"}),
        Move("out", "D-001", t, "AQ:hospital", None, {"purpose": "surgery"}),
        Move("transfer", "D-002", t, None, None, {"destination": "X", "authority": "Y"}),
        Move(
            "receive",
            "D-002",
            t + timedelta(hours=2),
            None,
            None,
            {"received_by": "Z", "authority": "Y"},
        ),
        Move("release", "D-003", t, None, None, {"authority": "Court"}),
        Move("death", "D-004", t, None, None, {"place": "cell", "circumstances": "illness"}),
        Correct("D-005", "name_latin", "Samir al-Hasan", "spelling"),
        OpenRoll("", "A", t + timedelta(hours=3)),
    ]
    counts = {"A-0": 3, "A-1": 2, "A-2": 3}  # the register has 3 in each by now
    commands += [
        RecordCount("R-0001", cell, n, ("Omar",), t + timedelta(hours=3))
        for cell, n in counts.items()
    ]
    commands.append(RecordCount("R-0001", "A-1", 2, ("Ali",), t + timedelta(hours=4)))
    missing = Resolve("R-0001", "D-010", "A-1", "escaped", t + timedelta(hours=5))
    commands.append(ResolveWith(missing, details={"where": "north wall"}))
    return commands


def _figures(home: Path, db: str | None) -> dict[str, Any]:
    app = init_home(home, "amanah.example/backends", db_url=db, clock=FixedClock(NOW))
    try:
        app.facility.run(_history(), app.actor)
        live = app.facility.roll_status(level="cell")
        people = [app.facility.person(f"D-{n:03d}") for n in range(24)]
        rebuild(app.storage)
        assert app.facility.roll_status(level="cell") == live
        assert [app.facility.person(f"D-{n:03d}") for n in range(24)] == people
        return {"status": live, "people": people}
    finally:
        app.close()


def test_the_history_gives_the_expected_figures(tmp_path: Path) -> None:
    figures = _figures(tmp_path / "sqlite", None)["status"]
    detainees = figures["by_category"]["detainee"]
    assert detainees["in_custody"] == 24 - 4  # transferred, released, dead, escaped
    assert detainees["out"] == 1
    assert (detainees["transferred"], detainees["released"], detainees["dead"]) == (1, 1, 1)
    assert detainees["escaped"] == 1
    assert figures["by_category"]["staff"]["in_custody"] == 1
    assert figures["roll"]["status"] == "cleared"
    assert (figures["roll"]["places"], figures["roll"]["resolved"]) == (3, 1)  # block A only
    cells = {row["id"]: row for row in figures["locations"]}
    assert cells["A-1"]["expected"] == 2
    assert cells["A-1"]["counted"] == 2
    assert cells["B-0"]["counted"] is None


@pytest.mark.postgres
def test_postgres_and_sqlite_agree(tmp_path: Path, postgres_db: str) -> None:
    assert _figures(tmp_path / "pg", postgres_db) == _figures(tmp_path / "sqlite", None)
