"""The facility's use cases end to end on throwaway storage: refusals write nothing, figures
add up, history keeps corrections, search folds spelling, a rebuild equals the live tables."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa

from amanah.clock import FixedClock
from amanah.domain.movements.commands import Move
from amanah.domain.registry.commands import (
    AddLocation,
    Admit,
    Correct,
    SetCapacity,
    SetLocationState,
)
from amanah.domain.rollcount.commands import OpenRoll, RecordCount, Resolve
from amanah.domain.shared import Actor
from amanah.errors import InvalidInput, NotFound, Refused
from amanah.ledger.log import Log
from amanah.ledger.signing import Ed25519Signer, Ed25519Verifier, generate_key
from amanah.services.codec import decode_event
from amanah.services.dispatch import Recorder
from amanah.services.facility import Command_, FacilityService, Outcome, ResolveWith
from amanah.services.ledger import LedgerService
from amanah.services.projector import rebuild
from amanah.storage.tables import FACILITY_TABLES
from amanah.storage.units import SqlUnits, open_storage
from tests.support.access_world import make_world

ORIGIN = "amanah.example/facility-service"
SKEY, VKEY = generate_key(ORIGIN, seed=bytes(range(1, 33)))
ACTOR = Actor("Test Authority", "officer-1")
ZONE = timezone(timedelta(hours=3))
NOW = datetime(2026, 1, 20, 12, 0, tzinfo=UTC)
T0 = datetime(2026, 1, 20, 6, 0, tzinfo=UTC)

Snapshot = tuple[int, dict[str, list[tuple[Any, ...]]]]


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


def detainee(
    name_ar: str, name_latin: str, order_ref: str = "CO-1", **extra: Any
) -> dict[str, Any]:
    return {
        "name_ar": name_ar,
        "name_latin": name_latin,
        "gender": "male",
        "nationality": "SY",
        "commitment": {
            "order_ref": order_ref,
            "grounds": "synthetic grounds",
            "ordering_authority": "Court A",
            "responsible_authority": "Administration B",
        },
        "arrest": {"time": "2026-01-10T10:00", "place": "Raqqa", "authority": "Police"},
    } | extra


def staff(name_ar: str, name_latin: str) -> dict[str, Any]:
    return {
        "name_ar": name_ar,
        "name_latin": name_latin,
        "gender": "female",
        "nationality": "SY",
        "staff": {"role": "guard", "post": "gate"},
    }


def visitor(name_latin: str) -> dict[str, Any]:
    return {
        "name_latin": name_latin,
        "gender": "female",
        "nationality": "unknown",
        "other": {"role": "doctor", "organisation": "Synthetic Aid"},
    }


LAYOUT: list[Command_] = [
    AddLocation("AQ", "facility", "سجن الاختبار", "Test prison", adm1="SY11", adm2="SY1101"),
    AddLocation("A", "block", "الجناح أ", "Block A", parent="AQ"),
    AddLocation("A-01", "cell", "الزنزانة أ-01", "Cell A-01", "A", 2, 2, 6),
    AddLocation("A-02", "cell", "الزنزانة أ-02", "Cell A-02", "A", 2, 2, 3),
    AddLocation("B", "block", "الجناح ب", "Block B", parent="AQ"),
    AddLocation("B-01", "cell", "الزنزانة ب-01", "Cell B-01", "B", 1, 1, 1),
    AddLocation("P", "post", "البوابة", "Gate post", parent="AQ"),
]

PEOPLE: list[Command_] = [
    Admit("", "detainee", detainee("سامر الحسن", "Samer al-Hassan", "CO-1"), "A-01", T0),
    Admit("", "detainee", detainee("أحمد خليل", "Ahmad Khalil", "CO-2"), "A-01", T0),
    Admit("", "detainee", detainee("إبراهيم صالح", "Ibrahim Saleh", "CO-3"), "A-02", T0),
    Admit("", "staff", staff("رنا حداد", "Rana Haddad"), "P", T0),
    Admit("", "other", visitor("Lina Saad"), "AQ:reception", T0),
]


class Harness:
    """A facility on ``memory://`` storage with a signed log and a fixed clock."""

    def __init__(self) -> None:
        self.clock = FixedClock(NOW)
        self.storage: SqlUnits = open_storage("memory://")
        recorder = Recorder(Log(ORIGIN, Ed25519Signer.from_skey(SKEY)))
        verifier = Ed25519Verifier.from_vkey(VKEY)
        self.ledger = LedgerService(self.storage, recorder, verifier, VKEY, self.clock)
        self.ledger.open_log("Test Authority", ACTOR)
        self.facility = FacilityService(self.storage, recorder, self.clock, ZONE)

    def run(self, *commands: Command_ | ResolveWith) -> Outcome:
        return self.facility.run(list(commands), ACTOR)

    def snapshot(self) -> Snapshot:
        """The ledger size and every row of every facility projection."""
        tables: dict[str, list[tuple[Any, ...]]] = {}
        with self.storage.engine.connect() as conn:
            for name, table in FACILITY_TABLES.items():
                rows = conn.execute(sa.select(table)).all()
                tables[name] = sorted((tuple(r) for r in rows), key=repr)
        return self.ledger.size(), tables

    def refuse(
        self, commands: list[Command_ | ResolveWith], match: str, error: type[Exception] = Refused
    ) -> str:
        """Run ``commands``, expect the refusal, and check that nothing was written."""
        before = self.snapshot()
        with pytest.raises(error, match=match) as caught:
            self.facility.run(commands, ACTOR)
        assert self.snapshot() == before
        return str(caught.value)

    def entries(self, start: int) -> list[tuple[str, dict[str, Any]]]:
        with self.storage.reader() as view:
            rows = list(view.ledger.entries(start, view.ledger.size()))
        return [(r.type, json.loads(r.body)["data"]) for r in rows]

    def where(self, number: str) -> tuple[str, str | None]:
        person, _ = self.facility.person(number)
        return person.status, person.location


@pytest.fixture
def h() -> Iterator[Harness]:
    harness = Harness()
    try:
        harness.run(*LAYOUT)
        harness.run(*PEOPLE)
        yield harness
    finally:
        harness.storage.close()


def test_the_layout_and_people_are_on_the_register(h: Harness) -> None:
    ids = {p.id: p for p in h.facility.locations("AQ")}
    assert set(ids) >= {"AQ", "A", "A-01", "AQ:reception", "AQ:hospital", "AQ:transit", "P"}
    assert dict(ids["A"].occupancy) == {"detainee": 3}
    assert dict(ids["AQ"].occupancy) == {"detainee": 3, "staff": 1, "other": 1}
    assert h.where("D-000001") == ("inside", "A-01")
    assert h.where("S-000001") == ("inside", "P")
    assert h.where("V-000001") == ("inside", "AQ:reception")
    person, _ = h.facility.person("D-000001")
    assert person.record["arrest"]["time"] == "2026-01-10T07:00:00Z"  # local time, UTC+3


# --- bad input: refused with a message naming the problem; nothing written ----------------

BAD: list[tuple[str, list[Command_ | ResolveWith], str, type[Exception]]] = [
    (
        "unknown person",
        [Move("cell", "D-999999", hours(1), "A-02", details={"reason": "r"})],
        "no person D-999999 on the register",
        Refused,
    ),
    (
        "admission to an unknown location",
        [Admit("", "detainee", detainee("سعيد", "Said"), "Z-99", hours(1))],
        "location Z-99 does not exist",
        Refused,
    ),
    (
        "move to an unknown location",
        [Move("cell", "D-000001", hours(1), "Z-99", details={"reason": "r"})],
        "location Z-99 does not exist",
        Refused,
    ),
    (
        "location under an unknown parent",
        [AddLocation("Z-01", "cell", "ز", "Z", parent="Z")],
        "Z does not exist",
        Refused,
    ),
    (
        "location of a kind that a facility brings",
        [AddLocation("R2", "reception", "استقبال", "Reception 2", parent="AQ")],
        "location kind must be one of facility, block, wing, cell, post",
        Refused,
    ),
    (
        "roll on an unknown location",
        [OpenRoll("", "Z-99", hours(1))],
        "location Z-99 does not exist",
        Refused,
    ),
    (
        "moved from a place they are not in",
        [Move("cell", "D-000001", hours(1), "A-02", "A-01x", {"reason": "r"})],
        "D-000001 is in A-01, not in A-01x",
        Refused,
    ),
    (
        "backdated movement",
        [Move("cell", "D-000001", hours(-1), "A-02", details={"reason": "r"})],
        "dated 2026-01-20T05:00:00Z, before D-000001's previous movement at 2026-01-20T06:00:00Z",
        Refused,
    ),
    (
        "capacity exceeded",
        [
            Admit("", "detainee", detainee("سعيد", "Said"), "B-01", hours(1)),
            Admit("", "detainee", detainee("وليد", "Walid"), "B-01", hours(1)),
        ],
        "command 2: location B-01 holds 1 of a maximum of 1; putting 1 more in needs an override",
        Refused,
    ),
    (
        "count outside the open roll",
        [OpenRoll("", "A", hours(1)), RecordCount("R-0001", "B-01", 0, ("Omar",), hours(1))],
        r"command 2: location B-01 is not counted in roll R-0001 \(A\)",
        Refused,
    ),
    (
        "count of an away place",
        [OpenRoll("", "AQ", hours(1)), RecordCount("R-0001", "AQ:hospital", 0, ("O",), hours(1))],
        "location AQ:hospital is not counted in roll R-0001",
        Refused,
    ),
    (
        "count with no roll open",
        [RecordCount("R-0001", "A-01", 2, ("Omar",), hours(1))],
        "no roll call R-0001",
        Refused,
    ),
    (
        "second admission of the same person",
        [Admit("D-000001", "detainee", detainee("سامر", "Samer"), "A-02", hours(1))],
        r"D-000001 is already on the register \(detainee, inside\)",
        Refused,
    ),
    (
        "malformed arrest time",
        [
            Admit(
                "",
                "detainee",
                detainee("سعيد", "Said")
                | {"arrest": {"time": "10/01/2026", "place": "p", "authority": "a"}},
                "A-02",
                hours(1),
            )
        ],
        "time '10/01/2026' is not an ISO 8601 time",
        InvalidInput,
    ),
    (
        "malformed birth date",
        [Admit("", "detainee", detainee("سعيد", "Said", birth_date="1990-02-30"), "A-02", T0)],
        "birth_date '1990-02-30' is not a date",
        Refused,
    ),
    (
        "malformed last seen",
        [Move("escape", "D-000001", hours(1), details={"where": "wall", "last_seen": "noon"})],
        "time 'noon' is not an ISO 8601 time",
        InvalidInput,
    ),
    (
        "admission in the future",
        [Admit("", "detainee", detainee("سعيد", "Said"), "A-02", NOW + timedelta(hours=1))],
        "the admission is dated 2026-01-20T13:00:00Z, after the current time",
        Refused,
    ),
    (
        "negative count",
        [OpenRoll("", "AQ", hours(1)), RecordCount("R-0001", "A-01", -1, ("Omar",), hours(1))],
        "command 2: the count must be a whole number from 0 to 100000",
        Refused,
    ),
    (
        "negative capacity",
        [SetCapacity("A-01", None, None, -1, "survey")],
        "maximum capacity must be from 0 to 1000000, not -1",
        Refused,
    ),
    (
        "admission without a commitment order reference",
        [
            Admit(
                "",
                "detainee",
                detainee("سعيد", "Said")
                | {
                    "commitment": {
                        "grounds": "g",
                        "ordering_authority": "o",
                        "responsible_authority": "r",
                    }
                },
                "A-02",
                hours(1),
            )
        ],
        r"commitment\.order_ref is required",
        Refused,
    ),
    (
        "correction without a reason",
        [Correct("D-000001", "name_latin", "Samir", "")],
        "the reason for the correction is empty",
        InvalidInput,
    ),
    (
        "correction making the arrest later than the admission",
        [Correct("D-000001", "arrest.time", "2026-01-21T09:00", "typo")],
        r"the arrest \(2026-01-21T06:00:00Z\) is dated after the admission",
        Refused,
    ),
    (
        "override without a reason",
        [
            Admit("", "detainee", detainee("سعيد", "Said"), "B-01", hours(1)),
            Admit("", "detainee", detainee("وليد", "Walid"), "B-01", hours(1), override=" "),
        ],
        "command 2: the override reason is empty",
        InvalidInput,
    ),
    (
        "resolution for an unknown person",
        [Resolve("R-0001", "D-999999", "A-01", "found", hours(1))],
        "no person D-999999 on the register",
        NotFound,
    ),
    (
        "admission into an out of order cell",
        [
            SetLocationState("B-01", "out_of_order", "flooded"),
            Admit("", "detainee", detainee("سعيد", "Said"), "B-01", hours(1)),
        ],
        "command 2: location B-01 is out of order",
        Refused,
    ),
    (
        "occupied cell taken out of order",
        [SetLocationState("A-02", "out_of_order", "flooded")],
        "location A-02 still holds 1 people; move them out first",
        Refused,
    ),
    (
        "roll call for a cell",
        [OpenRoll("", "A-01", hours(1))],
        "a roll call covers a facility, block or wing; A-01 is a cell",
        Refused,
    ),
]


@pytest.mark.parametrize(
    ("commands", "message", "error"),
    [case[1:] for case in BAD],
    ids=[case[0] for case in BAD],
)
def test_bad_input_is_refused_and_nothing_is_written(
    h: Harness, commands: list[Command_ | ResolveWith], message: str, error: type[Exception]
) -> None:
    h.refuse(commands, message, error)


def test_malformed_command_times_are_refused_before_anything_runs(h: Harness) -> None:
    with pytest.raises(InvalidInput, match="time 'yesterday' is not an ISO 8601 time"):
        h.facility.time("yesterday")
    assert h.facility.time("2026-01-20T09:00") == hours(0)  # facility time, UTC+3
    assert h.facility.time(None) == NOW


def test_a_series_that_fails_in_its_third_command_writes_nothing(h: Harness) -> None:
    message = h.refuse(
        [
            Admit("", "detainee", detainee("سعيد", "Said"), "A-02", hours(1)),
            Move("cell", "D-000001", hours(1), "A-02", details={"reason": "crowding"}),
            Admit("D-000002", "detainee", detainee("وليد", "Walid"), "A-02", hours(1)),
        ],
        "^command 3: D-000002 is already on the register",
    )
    assert "command 1" not in message
    assert h.where("D-000001") == ("inside", "A-01")
    out = h.run(Admit("", "detainee", detainee("سعيد", "Said"), "A-02", hours(1)))
    assert out.created == ("D-000004",)  # the failed series used no number


def test_an_empty_series_is_refused(h: Harness) -> None:
    with pytest.raises(InvalidInput, match="nothing to record"):
        h.facility.run([], ACTOR)


def test_a_movement_cannot_predate_the_previous_movement(h: Harness) -> None:
    h.run(Move("cell", "D-000001", hours(2), "A-02", details={"reason": "crowding"}))
    h.refuse(
        [Move("cell", "D-000001", hours(1), "A-01", details={"reason": "back"})],
        "before D-000001's previous movement at 2026-01-20T08:00:00Z",
    )
    h.run(Move("cell", "D-000001", hours(2), "A-01", details={"reason": "back"}))
    assert h.where("D-000001") == ("inside", "A-01")


def test_capacity_is_exceeded_only_with_an_override_with_reason(h: Harness) -> None:
    h.run(Admit("", "detainee", detainee("سعيد", "Said"), "B-01", hours(1)))
    h.refuse(
        [Move("cell", "D-000001", hours(1), "B-01", details={"reason": "r"})],
        "location B-01 holds 1 of a maximum of 1",
    )
    h.run(Move("cell", "D-000001", hours(1), "B-01", details={"reason": "r"}, override="isolation"))
    _, history = h.facility.person("D-000001")
    assert history[-1].details == {"reason": "r", "override": "isolation"}
    h.run(SetCapacity("B-01", 1, 1, 2, "second bunk fitted"))
    ids = {p.id: p for p in h.facility.locations("AQ")}
    assert (ids["B-01"].maximum, ids["B-01"].population) == (2, 2)


def test_a_cell_move_within_a_full_block_is_not_over_its_capacity(h: Harness) -> None:
    h.run(SetCapacity("A", None, None, 3, "block limit"))
    h.refuse(
        [Admit("", "detainee", detainee("سعيد", "Said"), "A-02", hours(1))],
        "location A holds 3 of a maximum of 3",
    )
    h.run(Move("cell", "D-000001", hours(1), "A-02", details={"reason": "crowding"}))
    assert h.where("D-000001") == ("inside", "A-02")
    h.run(Move("out", "D-000002", hours(1), "AQ:court", details={"purpose": "hearing"}))
    h.run(Admit("", "detainee", detainee("سعيد", "Said"), "A-02", hours(1.5)))
    h.refuse(
        [Move("return", "D-000002", hours(2), "A-01")],
        "location A holds 3 of a maximum of 3",
    )


# --- the register's history ----------------------------------------------------------------


def test_person_history_includes_corrections(h: Harness) -> None:
    seq = h.ledger.size()
    h.run(Correct("D-000001", "name_latin", "Samir al-Hasan", "misspelt at admission"))
    h.clock.advance(timedelta(minutes=5))
    h.run(Move("cell", "D-000001", hours(1), "A-02", details={"reason": "crowding"}))
    person, history = h.facility.person("D-000001")
    assert person.record["name_latin"] == "Samir al-Hasan"
    assert [m.kind for m in history] == ["admission", "correction", "cell"]
    correction = history[1]
    assert correction.seq == seq
    assert correction.time == "2026-01-20T12:00:00Z"  # when it was recorded
    assert correction.details == {
        "field": "name_latin",
        "value": "Samir al-Hasan",
        "previous": "Samer al-Hassan",
        "reason": "misspelt at admission",
    }
    assert (history[2].origin, history[2].destination) == ("A-01", "A-02")
    [(kind, data)] = h.entries(seq)[:1]
    assert kind == "registry.person_corrected"
    assert data["previous"] == "Samer al-Hassan"
    assert [p.number for p in h.facility.search("samir")] == ["D-000001"]
    assert h.facility.search("samer") == []


def test_corrections_of_unknown_people_or_fields_are_refused(h: Harness) -> None:
    h.refuse([Correct("D-000404", "name_latin", "X", "r")], "no person D-000404")
    h.refuse(
        [Correct("D-000001", "category", "staff", "r")], "field 'category' cannot be corrected"
    )
    with pytest.raises(NotFound, match="no person D-000404 on the register"):
        h.facility.person("D-000404")


# --- search --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("سامر", ["D-000001"]),
        ("سَامِر الحَسَن", ["D-000001"]),
        ("احمد", ["D-000002"]),
        ("أحمد خليل", ["D-000002"]),
        ("إحمد", ["D-000002"]),
        ("ابراهيم", ["D-000003"]),
        ("عمر", ["D-000004"]),
        ("AL HASSAN", ["D-000001"]),
        ("Al-Hassan", ["D-000001"]),
        ("samer al hassan", ["D-000001"]),
        ("SALEH", ["D-000003"]),
        ("rana", ["S-000001"]),
        ("D-000002", ["D-000002"]),
        ("d 000003", ["D-000003"]),
        ("000004", ["D-000004"]),
        ("V-0000", ["V-000001"]),
        ("%%", []),
        ("%d", []),
        ("0%", []),
        ("nobody", []),
    ],
)
def test_search_by_partial_name_or_number(h: Harness, query: str, found: list[str]) -> None:
    h.run(Admit("", "detainee", detainee("عُمَر يوسف", "Omar Yusuf"), "A-02", hours(1)))
    assert [p.number for p in h.facility.search(query)] == found


def test_search_filters_by_category_and_needs_two_characters(h: Harness) -> None:
    assert [p.number for p in h.facility.search("RANA")] == ["S-000001"]
    assert h.facility.search("rana", category="detainee") == []
    assert [p.number for p in h.facility.search("000", category="detainee", limit=2)] == [
        "D-000001",
        "D-000002",
    ]
    for query in ("a", " - ", "َ"):
        with pytest.raises(InvalidInput, match="at least two letters or digits"):
            h.facility.search(query)


# --- roll calls ----------------------------------------------------------------------------


def test_roll_status_figures_after_a_scenario(h: Harness) -> None:
    h.run(
        Admit("", "detainee", detainee("سعيد", "Said", "CO-4"), "A-02", T0),
        Admit("", "detainee", detainee("وليد", "Walid", "CO-5"), "A-02", T0),
        Admit("", "detainee", detainee("خالد", "Khaled", "CO-6"), "B-01", T0),
    )
    h.run(
        Move("out", "D-000002", hours(1), "AQ:hospital", details={"purpose": "x-ray"}),
        Move("transfer", "D-000003", hours(1), details={"destination": "X", "authority": "M"}),
        Move("release", "D-000004", hours(1), details={"authority": "Court A"}),
        Move("escape", "D-000005", hours(1), details={"where": "north wall"}),
        Move("death", "D-000006", hours(1), details={"place": "B-01", "circumstances": "c"}),
        Move("receive", "D-000003", hours(2), details={"received_by": "R", "authority": "X"}),
    )
    status = h.facility.roll_status()
    json.dumps(status)  # the figures are plain JSON
    assert status["facility"] == {"id": "AQ", "name_ar": "سجن الاختبار", "name_en": "Test prison"}
    assert status["as_of"] == "2026-01-20T12:00:00Z"
    assert status["roll"] is None
    gone = {"transferred": 1, "released": 1, "dead": 1, "escaped": 1}
    assert (
        status["by_category"]["detainee"]
        == {
            "in_custody": 2,
            "in_cells": 1,
            "out": 1,
            "in_transit": 0,
            "arrived_today": 6,
            "left_today": 4,
            "unaccounted": 0,
        }
        | gone
    )
    one_inside = {"in_custody": 1, "in_cells": 1, "out": 0, "in_transit": 0, "arrived_today": 1}
    no_one_gone = {"transferred": 0, "released": 0, "dead": 0, "escaped": 0}
    assert status["by_category"]["staff"] == one_inside | {"left_today": 0, "unaccounted": 0} | (
        no_one_gone
    )
    assert status["by_category"]["other"] == status["by_category"]["staff"]
    assert status["total"]["in_custody"] == 4
    assert status["total"]["arrived_today"] == 8

    h.run(OpenRoll("", "AQ", hours(3)))
    h.run(
        RecordCount("R-0001", "A-01", 1, ("Omar",), hours(3)),
        RecordCount("R-0001", "A-02", 0, ("Omar",), hours(3)),
        RecordCount("R-0001", "B-01", 0, ("Omar",), hours(3)),
        RecordCount("R-0001", "P", 0, ("Omar",), hours(3)),
    )
    status = h.facility.roll_status()
    assert status["roll"] == {
        "id": "R-0001",
        "scope": "AQ",
        "status": "open",
        "opened_at": "2026-01-20T09:00:00Z",
        "places": 5,
        "pending": 1,
        "matched": 3,
        "recount": 1,
        "unresolved": 0,
        "resolved": 0,
    }
    assert status["by_category"]["staff"]["unaccounted"] == 1
    assert status["total"]["unaccounted"] == 1
    rows = {row["id"]: row for row in status["locations"]}
    assert set(rows) == {"A", "B", "P", "AQ:reception"}
    assert rows["A"] == {
        "id": "A",
        "kind": "block",
        "name": "الجناح أ",
        "name_ar": "الجناح أ",
        "name_en": "Block A",
        "state": "active",
        "expected": 1,
        "by_category": {"detainee": 1, "staff": 0, "other": 0},
        "counted": 1,
        "expected_at_count": 1,
        "places_counted": 2,
        "places": 2,
        "roll_status": "matched",
        "capacity": 4,
        "working_capacity": 4,
        "maximum_capacity": 9,
        "vacancies": 3,
        "overcrowded": False,
    }
    assert (rows["P"]["expected"], rows["P"]["counted"], rows["P"]["roll_status"]) == (
        1,
        0,
        "recount",
    )
    assert rows["P"]["capacity"] is None
    assert rows["P"]["vacancies"] is None
    assert (rows["AQ:reception"]["counted"], rows["AQ:reception"]["roll_status"]) == (
        None,
        "pending",
    )
    cells = {row["id"] for row in h.facility.roll_status(level="cell")["locations"]}
    assert cells == {"A-01", "A-02", "B-01", "P", "AQ:reception"}

    h.run(RecordCount("R-0001", "P", 0, ("Omar", "Ali"), hours(3.1)))
    assert h.facility.roll_status()["roll"]["unresolved"] == 1
    h.run(Resolve("R-0001", "S-000001", "P", "found", hours(3.2), note="asleep in the booth"))
    h.run(RecordCount("R-0001", "AQ:reception", 1, ("Omar",), hours(3.3)))
    status = h.facility.roll_status()
    assert status["roll"]["status"] == "cleared"
    assert (status["roll"]["matched"], status["roll"]["resolved"]) == (4, 1)
    assert status["total"]["unaccounted"] == 0


def test_arrivals_and_departures_today_follow_the_facility_day(h: Harness) -> None:
    h.run(Move("escape", "D-000001", hours(1), details={"where": "north wall"}))
    h.run(Move("recapture", "D-000001", hours(2), details={"where": "market"}))
    h.run(Move("out", "D-000002", hours(2), "AQ:court", details={"purpose": "hearing"}))
    figures = h.facility.roll_status()["by_category"]["detainee"]
    assert (figures["arrived_today"], figures["left_today"]) == (4, 1)  # 3 admitted, 1 back
    assert (figures["in_custody"], figures["in_cells"], figures["escaped"]) == (3, 2, 0)
    assert h.where("D-000001") == ("inside", "AQ:reception")
    h.clock.set(datetime(2026, 1, 20, 21, 0, tzinfo=UTC))  # midnight in the facility
    figures = h.facility.roll_status()["by_category"]["detainee"]
    assert (figures["arrived_today"], figures["left_today"]) == (0, 0)


def test_roll_status_counts_only_the_facility_asked_for(h: Harness) -> None:
    h.run(
        AddLocation("BZ", "facility", "سجن آخر", "Other prison"),
        AddLocation("BZ-A", "block", "جناح", "Block", parent="BZ"),
        AddLocation("BZ-01", "cell", "زنزانة", "Cell", parent="BZ-A"),
        Admit("", "detainee", detainee("سعيد", "Said"), "BZ-01", hours(1)),
    )
    with pytest.raises(InvalidInput, match="name the facility: one of AQ, BZ"):
        h.facility.roll_status()
    aq = h.facility.roll_status("AQ")
    bz = h.facility.roll_status("BZ")
    assert aq["by_category"]["detainee"]["in_custody"] == 3
    assert aq["by_category"]["detainee"]["arrived_today"] == 3
    assert bz["by_category"]["detainee"]["in_custody"] == 1
    assert bz["by_category"]["detainee"]["arrived_today"] == 1
    assert bz["total"]["in_custody"] == 1
    h.refuse(
        [Move("cell", "D-000004", hours(2), "A-01", details={"reason": "r"})],
        "A-01 is not in D-000004's facility BZ",
    )
    with pytest.raises(NotFound, match="no facility Z"):
        h.facility.roll_status("Z")


def test_a_roll_goes_mismatch_recount_unresolved_and_is_resolved_person_by_person(
    h: Harness,
) -> None:
    h.run(
        Admit("", "detainee", detainee("سعيد", "Said", "CO-4"), "A-01", T0),
        Admit("", "detainee", detainee("وليد", "Walid", "CO-5"), "A-01", T0),
        Admit("", "detainee", detainee("خالد", "Khaled", "CO-6"), "A-01", T0),
    )
    # A-01: D-000001, D-000002, D-000004, D-000005, D-000006; A-02: D-000003
    [roll] = h.run(OpenRoll("", "A", hours(3))).created
    assert roll == "R-0001"
    h.refuse([OpenRoll("", "B", hours(3))], r"roll R-0001 \(A\) is still open in AQ")
    h.refuse([RecordCount(roll, "P", 1, ("Omar",), hours(3))], "location P is not counted in roll")
    h.run(RecordCount(roll, "A-01", 0, ("Omar",), hours(3)))
    h.run(RecordCount(roll, "A-02", 2, ("Omar",), hours(3)))
    tallies = h.facility.roll_places(roll)["tallies"]
    assert {k: (t.status, t.expected, t.counted) for k, t in tallies.items()} == {
        "A-01": ("recount", 5, 0),
        "A-02": ("recount", 1, 2),
    }
    h.refuse(
        [Resolve(roll, "D-000001", "A-01", "found", hours(3))],
        "no unresolved difference at A-01 in roll R-0001: differences are resolved after a "
        "recount fails",
    )
    h.run(
        RecordCount(roll, "A-01", 0, ("Omar", "Ali"), hours(3.1)),
        RecordCount(roll, "A-02", 2, ("Omar", "Ali"), hours(3.1)),
    )
    at = hours(3.5)

    def resolve(outcome: str, number: str, **kwargs: Any) -> list[str]:
        found_in = kwargs.pop("found_in", None)
        start = h.ledger.size()
        h.run(ResolveWith(Resolve(roll, number, "A-01", outcome, at, found_in), **kwargs))
        return [kind for kind, _ in h.entries(start)]

    assert resolve("found", "D-000001") == ["rollcount.difference_resolved"]
    h.refuse(
        [Resolve(roll, "D-000001", "A-01", "found", at)],
        "D-000001 is already accounted for in roll R-0001",
    )
    h.refuse(
        [ResolveWith(Resolve(roll, "D-000002", "A-01", "out", at))],
        "an? out movement needs a destination",
    )
    assert resolve("out", "D-000002", to="AQ:hospital") == [
        "movements.went_out",
        "rollcount.difference_resolved",
    ]
    h.refuse(
        [ResolveWith(Resolve(roll, "S-000001", "P", "escaped", at), details={"where": "w"})],
        "the register has S-000001 in P, not in A-01|no unresolved difference at P",
    )
    # An escape owes the independent authority and the family a notice (Mandela Rule 71).
    assert resolve("escaped", "D-000004", details={"where": "north wall"}) == [
        "movements.escaped",
        "rollcount.difference_resolved",
        "notifications.owed",
        "notifications.owed",
    ]
    assert resolve("elsewhere", "D-000005", found_in="A-02") == [
        "movements.cell_moved",
        "rollcount.difference_resolved",
    ]
    tallies = h.facility.roll_places(roll)["tallies"]
    assert (tallies["A-02"].status, tallies["A-02"].expected) == ("resolved", 2)
    assert h.facility.roll_status()["roll"]["status"] == "open"
    assert resolve(
        "dead", "D-000006", details={"place": "A-01", "circumstances": "found unresponsive"}
    ) == [
        "movements.died",
        "rollcount.difference_resolved",
        "rollcount.roll_cleared",
        "notifications.owed",
        "notifications.owed",
    ]

    assert h.where("D-000001") == ("inside", "A-01")
    assert h.where("D-000002") == ("out", "AQ:hospital")
    assert h.where("D-000004") == ("escaped", None)
    assert h.where("D-000005") == ("inside", "A-02")
    assert h.where("D-000006") == ("dead", None)
    _, history = h.facility.person("D-000005")
    assert history[-1].details == {"reason": "found in A-02 at roll call R-0001"}
    status = h.facility.roll_status()
    assert status["roll"]["status"] == "cleared"
    assert (status["roll"]["resolved"], status["roll"]["pending"]) == (2, 0)
    h.refuse([Resolve(roll, "D-000003", "A-02", "found", at)], "roll R-0001 is already cleared")
    h.refuse([RecordCount(roll, "A-01", 1, ("Omar",), at)], "roll R-0001 is already cleared")
    assert h.run(OpenRoll("", "AQ", hours(4))).created == ("R-0002",)


def test_a_person_registered_out_but_found_inside_is_resolved_as_a_return(h: Harness) -> None:
    h.run(Move("out", "D-000002", hours(1), "AQ:court", details={"purpose": "hearing"}))
    h.run(OpenRoll("", "A", hours(2)))
    h.run(
        RecordCount("R-0001", "A-01", 2, ("Omar",), hours(2)),
        RecordCount("R-0001", "A-01", 2, ("Omar",), hours(2)),
        RecordCount("R-0001", "A-02", 1, ("Omar",), hours(2)),
    )
    start = h.ledger.size()
    h.run(Resolve("R-0001", "D-000002", "AQ:court", "elsewhere", hours(2.5), "A-01"))
    assert [kind for kind, _ in h.entries(start)] == [
        "movements.returned",
        "rollcount.difference_resolved",
        "rollcount.roll_cleared",
    ]
    assert h.where("D-000002") == ("inside", "A-01")


def test_a_place_with_an_open_difference_stays_in_use_until_it_is_settled(h: Harness) -> None:
    h.run(AddLocation("B-02", "cell", "الزنزانة ب-02", "Cell B-02", "B", 1, 1, 1))
    [roll] = h.run(OpenRoll("", "B", hours(3))).created
    h.run(RecordCount(roll, "B-02", 1, ("Omar",), hours(3)))  # expected 0: a recount
    h.refuse([SetLocationState("B-02", "out_of_order", "flooded")], "still to be counted")
    h.run(RecordCount(roll, "B-01", 0, ("Omar",), hours(3)))
    status = h.facility.roll_status()["roll"]
    assert (status["status"], status["matched"], status["recount"]) == ("open", 1, 1)
    h.run(RecordCount(roll, "B-02", 0, ("Omar",), hours(3.1)))
    assert h.facility.roll_status()["roll"]["status"] == "cleared"
    h.run(SetLocationState("B-02", "out_of_order", "flooded"))


def test_a_roll_of_many_places_clears_with_its_last_count(h: Harness) -> None:
    cells = [f"C-{n:02d}" for n in range(1, 31)]
    h.run(
        AddLocation("C", "block", "الجناح ج", "Block C", parent="AQ"),
        *(AddLocation(c, "cell", c, c, "C", 2, 2, 2) for c in cells),
    )
    [roll] = h.run(OpenRoll("", "C", hours(3))).created
    for cell in cells[:-1]:
        assert h.run(RecordCount(roll, cell, 0, ("Omar",), hours(3))).count == 1
    last = h.run(RecordCount(roll, cells[-1], 0, ("Omar",), hours(3)))
    assert last.count == 2  # the count and the roll's clearing
    assert h.facility.roll_status()["roll"]["matched"] == 30


def test_explicit_and_generated_roll_ids_never_collide(h: Harness) -> None:
    h.run(OpenRoll("R-0002", "B", hours(1)), RecordCount("R-0002", "B-01", 0, ("O",), hours(1)))
    assert h.facility.roll_status()["roll"]["status"] == "cleared"
    h.refuse([OpenRoll("R-0002", "B", hours(2))], "roll call R-0002 already exists")
    assert h.run(OpenRoll("", "B", hours(2))).created == ("R-0003",)


def test_a_count_uses_the_register_at_the_moment_of_counting(h: Harness) -> None:
    h.run(OpenRoll("", "A", hours(1)))
    h.run(RecordCount("R-0001", "A-01", 1, ("Omar",), hours(1)))
    h.run(Move("cell", "D-000001", hours(1.5), "A-02", details={"reason": "fight"}))
    start = h.ledger.size()
    h.run(RecordCount("R-0001", "A-01", 1, ("Omar",), hours(1.6)))
    h.run(RecordCount("R-0001", "A-02", 2, ("Omar",), hours(1.6)))
    counted = [data for kind, data in h.entries(start) if kind == "rollcount.counted"]
    assert [(c["location"], c["expected"], c["result"]) for c in counted] == [
        ("A-01", 1, "matched"),
        ("A-02", 2, "matched"),
    ]
    assert h.facility.roll_status()["roll"]["status"] == "cleared"


# --- projections -----------------------------------------------------------------------------


def test_a_rebuild_equals_the_live_projections(h: Harness) -> None:
    h.run(Correct("D-000001", "name_ar", "سمير الحسن", "misspelt"))
    h.run(Move("out", "D-000002", hours(1), "AQ:hospital", details={"purpose": "x-ray"}))
    h.run(SetLocationState("B-01", "out_of_order", "flooded"))
    h.run(OpenRoll("", "AQ", hours(2)))
    h.run(RecordCount("R-0001", "A-01", 0, ("Omar",), hours(2)))
    h.run(RecordCount("R-0001", "A-01", 0, ("Omar",), hours(2)))
    h.run(Resolve("R-0001", "D-000001", "A-01", "found", hours(2)))
    live = h.snapshot()
    assert rebuild(h.storage) == live[0]
    assert h.snapshot() == live
    # The name index (SQLite FTS5, kept by triggers) is rebuilt with the register.
    assert [p.number for p in h.facility.search("سمير")] == ["D-000001"]
    assert h.facility.search("سامر") == []
    replayed = [decode_event(kind, data) for kind, data in h.entries(0)]
    assert len(replayed) == live[0]


def test_a_place_still_to_count_cannot_be_taken_out_of_use_mid_roll(h: Harness) -> None:
    h.run(AddLocation("B-02", "cell", "الزنزانة ب-02", "Cell B-02", "B", 1, 1, 1))
    [roll] = h.run(OpenRoll("", "B", hours(3))).created
    h.run(RecordCount(roll, "B-01", 0, ("Omar",), hours(3)))
    h.refuse(
        [SetLocationState("B-02", "out_of_order", "flooded")],
        f"B-02 has 1 place.* still to be counted in roll {roll}",
    )
    h.refuse(
        [SetLocationState("B", "out_of_order", "flooded")],
        f"B has 1 place.* still to be counted in roll {roll}",
    )
    h.run(AddLocation("A-03", "cell", "الزنزانة أ-03", "Cell A-03", "A", 2, 2, 2))
    h.run(SetLocationState("A-03", "out_of_order", "not in this roll"))  # outside the scope
    h.run(RecordCount(roll, "B-02", 0, ("Omar",), hours(3)))
    assert h.facility.roll_status()["roll"]["status"] == "cleared"
    h.run(SetLocationState("B-02", "out_of_order", "flooded"))


def test_cells_of_a_block_out_of_order_are_not_counted(h: Harness) -> None:
    h.run(
        AddLocation("C", "block", "الجناح ج", "Block C", parent="AQ"),
        AddLocation("C-01", "cell", "ج-01", "C-01", "C", 2, 2, 2),
        SetLocationState("C", "out_of_order", "roof collapsed"),
    )
    h.refuse([OpenRoll("", "C", hours(3))], "out of order")
    [roll] = h.run(OpenRoll("", "AQ", hours(3))).created
    places = {p.id for p in h.facility.roll_places(roll)["places"]}
    assert places == {"A-01", "A-02", "B-01", "P", "AQ:reception"}
    rows = {row["id"]: row for row in h.facility.roll_status()["locations"]}
    assert (rows["C"]["places"], rows["C"]["capacity"]) == (0, None)
    assert h.facility.roll_status()["roll"]["places"] == 5


def test_roll_status_is_kept_until_the_log_grows() -> None:
    """The cached figures are the fresh ones until any entry is added, then recomputed."""
    world = make_world(accounts=False)
    try:
        service = world.facility
        first = service.roll_status()
        assert first == service.roll_status(cached=False) | {"as_of": first["as_of"]}
        again = service.roll_status()
        assert again == first
        again["total"]["in_custody"] = -1  # a caller's change does not reach the cache
        assert service.roll_status()["total"]["in_custody"] == 2
        world.clock.advance(timedelta(minutes=1))
        world.facility.run(
            [Move("out", "D-000001", world.clock.now(), "AQ:hospital", details={"purpose": "x"})],
            Actor("Test Authority", "operator"),
        )
        after = service.roll_status()
        assert after["by_category"]["detainee"]["out"] == 1
        assert after == service.roll_status(cached=False) | {"as_of": after["as_of"]}
    finally:
        world.close()
