"""The facility through the real command line: register, move, count, and every refusal."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.conftest import Runner


def _size(run: Runner) -> int:
    result = run("ledger", "verify", "--json")
    assert result.code == 0, result.err
    return int(json.loads(result.out)["size"])


def _ok(run: Runner, *args: str) -> Any:
    result = run(*args, "--json")
    assert result.code == 0, f"{args}: {result.err}"
    return json.loads(result.out)


ADMIT = (
    "person",
    "admit",
    "--name-ar",
    "سامر الحسن",
    "--name-latin",
    "Samer al-Hassan",
    "--gender",
    "male",
    "--nationality",
    "SY",
    "--commitment-order",
    "CO-2026-0001",
    "--grounds",
    "synthetic test grounds",
    "--ordering-authority",
    "Test court",
    "--responsible-authority",
    "Test administration",
    "--arrest-time",
    "2026-11-01T10:00",
    "--arrest-place",
    "Raqqa",
    "--arrest-authority",
    "Test police",
)


@pytest.fixture
def facility(initialised: Runner) -> Runner:
    run = initialised
    _ok(run, "location", "add", "AQ", "--kind", "facility", "--name-ar", "سجن الاختبار",
        "--name-en", "Test prison", "--adm1", "SY11", "--adm2", "SY1101")  # fmt: skip
    _ok(run, "location", "add", "A", "--kind", "block", "--name-ar", "الجناح أ",
        "--name-en", "Block A", "--parent", "AQ")  # fmt: skip
    for cell in ("A-01", "A-02"):
        _ok(run, "location", "add", cell, "--kind", "cell", "--name-ar", cell, "--name-en", cell,
            "--parent", "A", "--certified", "1", "--working", "1", "--maximum", "2")  # fmt: skip
    return run


def test_a_day_through_the_cli(facility: Runner) -> None:
    run = facility
    admitted = _ok(run, *ADMIT, "--location", "A-01", "--at", "2026-11-20T08:00")
    assert admitted["number"] == "D-000001"
    guard = ("--name-ar", "خالد العمر", "--name-latin", "Khalid al-Omar", "--gender", "male")
    staff = _ok(run, "staff", "add", "--role", "guard", *guard, "--nationality", "SY")
    assert staff["number"] == "S-000001"
    found = json.loads(run("person", "search", "الحسن", "--json").out)
    assert [p["number"] for p in found] == ["D-000001"]
    assert json.loads(run("person", "search", "HASSAN", "--json").out)[0]["number"] == "D-000001"
    _ok(run, "move", "cell", "D-000001", "--to", "A-02", "--from", "A-01", "--reason", "crowding")
    _ok(run, "move", "out", "D-000001", "--to", "hospital", "--purpose", "x-ray")
    _ok(run, "move", "return", "D-000001", "--to", "A-02")
    _ok(run, "person", "correct", "D-000001", "--field", "name_latin", "--value", "Samir al-Hasan",
        "--reason", "spelling on the commitment order")  # fmt: skip
    shown = _ok(run, "person", "show", "D-000001")
    kinds = [h["kind"] for h in shown["history"]]
    assert kinds == ["admission", "cell", "out", "return", "correction"]
    assert shown["record"]["name_latin"] == "Samir al-Hasan"

    roll = _ok(run, "roll", "open")
    assert roll["roll"] == "R-0001"
    assert _ok(run, "roll", "count", "A-01", "0", "--counter", "Omar")["result"] == "matched"
    assert _ok(run, "roll", "count", "reception", "1", "--counter", "Omar")["result"] == "matched"
    assert _ok(run, "roll", "count", "A-02", "0", "--counter", "Omar")["result"] == "recount"
    status = _ok(run, "roll", "status")
    detainees = status["by_category"]["detainee"]
    assert detainees["in_custody"] == 1
    assert detainees["unaccounted"] == 1
    assert _ok(run, "roll", "count", "A-02", "0", "--counter", "Ali")["result"] == "unresolved"
    resolved = _ok(run, "roll", "resolve", "D-000001", "--outcome", "escaped", "--where", "roof")
    assert resolved["roll_cleared"] is True
    status = _ok(run, "roll", "status")
    detainees = status["by_category"]["detainee"]
    assert detainees["in_custody"] == 0
    assert detainees["escaped"] == 1
    assert detainees["unaccounted"] == 0
    assert status["roll"]["status"] == "cleared"
    block = next(r for r in status["locations"] if r["id"] == "A")
    assert {"id", "name", "expected", "counted", "capacity", "vacancies", "overcrowded"} <= set(
        block
    )
    _ok(run, "move", "recapture", "D-000001", "--where", "the river bank")
    shown_after_recapture = _ok(run, "person", "show", "D-000001")
    assert shown_after_recapture["location"] == "AQ:reception"
    before = _ok(run, "roll", "status", "--level", "cell")
    rebuilt = run("projections", "rebuild")
    assert rebuilt.code == 0, rebuilt.err
    after = _ok(run, "roll", "status", "--level", "cell")
    for key in ("by_category", "roll", "locations"):
        assert after[key] == before[key]
    assert _ok(run, "person", "show", "D-000001")["history"] == shown_after_recapture["history"]
    assert run("ledger", "verify").code == 0


REFUSALS = [
    (("move", "cell", "D-999999", "--to", "A-02", "--reason", "x"), "no person D-999999"),
    (("move", "cell", "D-000001", "--to", "Z-99", "--reason", "x"), "no location Z-99"),
    (
        ("move", "cell", "D-000001", "--to", "A-02", "--from", "A-02", "--reason", "x"),
        "is in A-01, not in A-02",
    ),
    (
        ("move", "cell", "D-000001", "--to", "A-02", "--reason", "x", "--at", "2026-11-19T08:00"),
        "before D-000001's previous movement",
    ),
    (
        ("move", "cell", "D-000001", "--to", "A-02", "--reason", "x", "--at", "20/11/2026"),
        "not an ISO 8601 time",
    ),
    ((*ADMIT, "--number", "D-000001", "--location", "A-01"), "already on the register"),
    (
        ("person", "admit", "--name-ar", "سامر", "--gender", "male", "--nationality", "SY"),
        "commitment is required",
    ),
    ((*ADMIT, "--location", "A-01", "--nationality", "Narnia"), "not an ISO 3166 country code"),
    (("roll", "count", "A-01", "1", "--counter", "Omar"), "no roll call is open"),
]


@pytest.mark.parametrize(("args", "message"), REFUSALS, ids=[m for _, m in REFUSALS])
def test_bad_input_is_refused_and_nothing_is_written(
    facility: Runner, args: tuple[str, ...], message: str
) -> None:
    run = facility
    _ok(run, *ADMIT, "--location", "A-01", "--at", "2026-11-20T08:00")
    _ok(run, *ADMIT, "--number", "D-000002", "--location", "A-02", "--at", "2026-11-20T08:00")
    before = _size(run)
    result = run(*args)
    assert result.code == 2, result.out
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err
    assert _size(run) == before


def test_capacity_needs_an_override_and_roll_counts_are_checked(facility: Runner) -> None:
    run = facility
    for n in (1, 2):
        _ok(
            run, *ADMIT, "--number", f"D-00000{n}", "--location", "A-01", "--at", "2026-11-20T08:00"
        )
    before = _size(run)
    over = run(*ADMIT, "--number", "D-000003", "--location", "A-01")
    assert over.code == 2
    assert "maximum of 2" in over.err
    assert "override" in over.err
    _ok(run, "roll", "open", "--scope", "A")
    for args, message in (
        (("roll", "count", "A-01", "-1", "--counter", "Omar"), "whole number from 0"),
        (("roll", "count", "reception", "0", "--counter", "Omar"), "not counted in roll R-0001"),
        (("roll", "open"), "still open"),
    ):
        result = run(*args)
        assert result.code == 2, (args, result.err)
        assert message in result.err, (args, result.err)
    assert _size(run) == before + 1  # only the roll's opening
    _ok(run, *ADMIT, "--number", "D-000003", "--location", "A-01", "--override", "flooding in B")
    status = _ok(run, "roll", "status", "--level", "cell")
    cell = next(r for r in status["locations"] if r["id"] == "A-01")
    assert cell["expected"] == 3
    assert cell["overcrowded"] is True
    assert cell["vacancies"] == 0
