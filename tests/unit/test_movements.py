"""The rules of movement, kind by kind (pure domain: no storage)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any, cast

import pytest

from amanah.domain.movements.commands import Move
from amanah.domain.movements.errors import MovementRefused
from amanah.domain.movements.events import (
    MOVEMENT_EVENTS,
    CellMoved,
    Died,
    Escaped,
    Recaptured,
    Released,
    Returned,
    TransferDeparted,
    TransferReceived,
    WentOut,
)
from amanah.domain.movements.model import EVENT_KIND, KINDS, PersonState, decide, status_after
from amanah.domain.shared import Place
from amanah.errors import InvalidInput

NOW = datetime(2026, 1, 20, 12, 0, tzinfo=UTC)
SINCE = "2026-01-20T06:00:00Z"
WHEN = datetime(2026, 1, 20, 8, 0, tzinfo=UTC)
WHEN_TEXT = "2026-01-20T08:00:00Z"


def place(
    id_: str,
    kind: str,
    parent: str | None = "A",
    *,
    facility: str = "AQ",
    maximum: int | None = None,
    occupancy: int = 0,
    state: str = "active",
) -> Place:
    return Place(id_, kind, facility, parent, state, None, None, maximum, occupancy)


FACILITY = place("AQ", "facility", None, occupancy=3)
BLOCK = place("A", "block", "AQ", occupancy=3)


def chain_of(target: Place) -> list[Place]:
    if target.kind in ("cell", "post"):
        return [target, BLOCK, FACILITY]
    return [target, FACILITY]


CELL_2 = place("A-02", "cell", maximum=4, occupancy=1)
HOSPITAL = place("AQ:hospital", "hospital", "AQ")
COURT = place("AQ:court", "court", "AQ")
TRANSIT = place("AQ:transit", "transit", "AQ")
RECEPTION = place("AQ:reception", "reception", "AQ")
PLACES = {p.id: p for p in (CELL_2, HOSPITAL, COURT, TRANSIT, RECEPTION)}

INSIDE = PersonState("D-000001", "detainee", "inside", "A-01", "AQ", SINCE)
OUT = PersonState("D-000001", "detainee", "out", "AQ:hospital", "AQ", SINCE)
IN_TRANSIT = PersonState("D-000001", "detainee", "in_transit", "AQ:transit", "AQ", SINCE)
ESCAPED = PersonState("D-000001", "detainee", "escaped", None, "AQ", SINCE)
STAFF = PersonState("S-000001", "staff", "inside", "A-01", "AQ", SINCE)

DETAILS: dict[str, dict[str, str]] = {
    "cell": {"reason": "crowding"},
    "out": {"purpose": "x-ray", "escort": "two guards"},
    "return": {"note": "back from x-ray"},
    "transfer": {"destination": "Central prison", "authority": "Ministry", "reference": "T-7"},
    "receive": {"received_by": "Officer Nour", "authority": "Central prison"},
    "release": {"authority": "Court A", "reference": "RO-1", "reason": "sentence served"},
    "death": {"place": "cell A-01", "circumstances": "found unresponsive", "cause": "unknown"},
    "escape": {"where": "north wall", "last_seen": "2026-01-20T07:30:00Z"},
    "recapture": {"where": "market", "note": "unharmed"},
}


def move(
    kind: str,
    person: PersonState | None,
    to: str | None = None,
    *,
    origin: str | None = None,
    when: datetime = WHEN,
    details: dict[str, str] | None = None,
    override: str | None = None,
    chain: list[Place] | None = None,
) -> list[Any]:
    command = Move(
        kind,
        person.number if person else "D-000009",
        when,
        to,
        origin,
        DETAILS[kind] if details is None else details,
        override,
    )
    if chain is None:
        chain = chain_of(PLACES[to]) if to in PLACES else []
    return list(decide(command, person, chain, NOW, UTC))


# --- each kind, accepted ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "person", "to", "event", "origin", "destination", "status"),
    [
        ("cell", INSIDE, "A-02", CellMoved, "A-01", "A-02", "inside"),
        ("cell", STAFF, "A-02", CellMoved, "A-01", "A-02", "inside"),
        ("out", INSIDE, "AQ:hospital", WentOut, "A-01", "AQ:hospital", "out"),
        ("out", INSIDE, "AQ:court", WentOut, "A-01", "AQ:court", "out"),
        ("return", OUT, "A-02", Returned, "AQ:hospital", "A-02", "inside"),
        ("return", OUT, "AQ:reception", Returned, "AQ:hospital", "AQ:reception", "inside"),
        ("transfer", INSIDE, "AQ:transit", TransferDeparted, "A-01", "AQ:transit", "in_transit"),
        (
            "transfer",
            OUT,
            "AQ:transit",
            TransferDeparted,
            "AQ:hospital",
            "AQ:transit",
            "in_transit",
        ),
        ("receive", IN_TRANSIT, None, TransferReceived, "AQ:transit", None, "transferred"),
        ("release", INSIDE, None, Released, "A-01", None, "released"),
        ("release", OUT, None, Released, "AQ:hospital", None, "released"),
        ("death", INSIDE, None, Died, "A-01", None, "dead"),
        ("death", OUT, None, Died, "AQ:hospital", None, "dead"),
        ("death", IN_TRANSIT, None, Died, "AQ:transit", None, "dead"),
        ("escape", INSIDE, None, Escaped, "A-01", None, "escaped"),
        ("escape", IN_TRANSIT, None, Escaped, "AQ:transit", None, "escaped"),
        ("recapture", ESCAPED, "AQ:reception", Recaptured, None, "AQ:reception", "inside"),
        ("recapture", ESCAPED, "A-02", Recaptured, None, "A-02", "inside"),
    ],
)
def test_each_kind_moves_from_and_to_the_right_places(
    kind: str,
    person: PersonState,
    to: str | None,
    event: type[Any],
    origin: str | None,
    destination: str | None,
    status: str,
) -> None:
    [ev] = move(kind, person, to)
    assert type(ev) is event
    assert (ev.person, ev.time, ev.origin, ev.destination) == (
        person.number,
        WHEN_TEXT,
        origin,
        destination,
    )
    assert ev.details == DETAILS[kind]
    assert status_after(ev) == status
    assert EVENT_KIND[ev.TYPE] == kind
    assert KINDS[kind].event is event


def test_every_movement_event_has_a_kind() -> None:
    assert {cls.TYPE for cls in MOVEMENT_EVENTS} == set(EVENT_KIND)
    assert len(EVENT_KIND) == len(KINDS) == 9


# --- who may move, from where --------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "person", "to"),
    [
        ("cell", OUT, "A-02"),
        ("cell", ESCAPED, "A-02"),
        ("out", OUT, "AQ:court"),
        ("out", IN_TRANSIT, "AQ:hospital"),
        ("return", INSIDE, "A-02"),
        ("return", IN_TRANSIT, "A-02"),
        ("transfer", IN_TRANSIT, "AQ:transit"),
        ("transfer", ESCAPED, "AQ:transit"),
        ("receive", INSIDE, None),
        ("receive", OUT, None),
        ("release", IN_TRANSIT, None),
        ("release", ESCAPED, None),
        ("death", ESCAPED, None),
        ("escape", ESCAPED, None),
        ("recapture", INSIDE, "A-02"),
    ],
)
def test_a_move_from_the_wrong_status_is_refused(
    kind: str, person: PersonState, to: str | None
) -> None:
    with pytest.raises(MovementRefused, match=f"a {kind} movement needs a person who is"):
        move(kind, person, to)


@pytest.mark.parametrize("status", ["transferred", "released", "dead"])
def test_nobody_moves_once_gone(status: str) -> None:
    gone = PersonState("D-000001", "detainee", status, None, "AQ", SINCE)
    for kind in KINDS:
        with pytest.raises(MovementRefused, match=f"D-000001 is {status}"):
            move(kind, gone, "A-02" if KINDS[kind].to_kinds else None)


def test_escape_and_recapture_are_for_detainees() -> None:
    with pytest.raises(MovementRefused, match="escape applies to detainees; S-000001 is staff"):
        move("escape", STAFF)
    staff_gone = PersonState("S-000001", "staff", "escaped", None, "AQ", SINCE)
    with pytest.raises(MovementRefused, match="recapture applies to detainees"):
        move("recapture", staff_gone, "A-02")


def test_an_unknown_person_or_kind_is_refused() -> None:
    with pytest.raises(MovementRefused, match="no person D-000009 on the register"):
        move("cell", None, "A-02")
    with pytest.raises(MovementRefused, match="movement kind must be one of cell, out, return"):
        decide(Move("teleport", "D-000001", WHEN), INSIDE, [], NOW, UTC)


def test_a_person_moved_from_a_place_they_are_not_in_is_refused() -> None:
    with pytest.raises(MovementRefused, match="D-000001 is in A-01, not in A-03"):
        move("cell", INSIDE, "A-02", origin="A-03")
    with pytest.raises(MovementRefused, match="is in no location, not in A-01"):
        move("recapture", ESCAPED, "A-02", origin="A-01")
    [ev] = move("cell", INSIDE, "A-02", origin="A-01")
    assert ev.origin == "A-01"


# --- when ---------------------------------------------------------------------------------


def test_a_backdated_movement_is_refused() -> None:
    before = datetime(2026, 1, 20, 5, 59, 59, tzinfo=UTC)
    with pytest.raises(
        MovementRefused,
        match="dated 2026-01-20T05:59:59Z, before D-000001's previous movement at "
        "2026-01-20T06:00:00Z",
    ):
        move("cell", INSIDE, "A-02", when=before)
    [ev] = move("cell", INSIDE, "A-02", when=datetime(2026, 1, 20, 6, 0, tzinfo=UTC))
    assert ev.time == SINCE


def test_a_future_or_ancient_movement_is_refused() -> None:
    with pytest.raises(MovementRefused, match="after the current time"):
        move("release", INSIDE, when=NOW + timedelta(minutes=11))
    ancient = PersonState("D-000001", "detainee", "inside", "A-01", "AQ", "1980-01-01T00:00:00Z")
    with pytest.raises(MovementRefused, match="before 1990"):
        move("release", ancient, when=datetime(1989, 1, 1, tzinfo=UTC))


def test_times_are_stored_in_utc() -> None:
    local = datetime(2026, 1, 20, 11, 0, tzinfo=timezone(timedelta(hours=3)))
    [ev] = move("release", INSIDE, when=local)
    assert ev.time == WHEN_TEXT


# --- details -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "person", "to", "missing"),
    [
        ("cell", INSIDE, "A-02", "reason"),
        ("out", INSIDE, "AQ:hospital", "purpose"),
        ("transfer", INSIDE, "AQ:transit", "destination"),
        ("transfer", INSIDE, "AQ:transit", "authority"),
        ("receive", IN_TRANSIT, None, "received_by"),
        ("release", INSIDE, None, "authority"),
        ("death", INSIDE, None, "place"),
        ("death", INSIDE, None, "circumstances"),
        ("escape", INSIDE, None, "where"),
    ],
)
def test_a_required_detail_is_required(
    kind: str, person: PersonState, to: str | None, missing: str
) -> None:
    details = {k: v for k, v in DETAILS[kind].items() if k != missing}
    with pytest.raises(MovementRefused, match=f"needs {missing.replace('_', ' ')}"):
        move(kind, person, to, details=details)
    with pytest.raises(MovementRefused, match=f"needs {missing.replace('_', ' ')}"):
        move(kind, person, to, details=details | {missing: "   "})


def test_unknown_details_are_refused() -> None:
    with pytest.raises(MovementRefused, match="a return movement takes note, not reason"):
        move("return", OUT, "A-02", details={"reason": "x"})
    with pytest.raises(MovementRefused, match="takes reason, not colour"):
        move("cell", INSIDE, "A-02", details={"reason": "x", "colour": "blue"})


def test_details_are_cleaned() -> None:
    [ev] = move(
        "death",
        INSIDE,
        details={"place": " cell A-01 ", "circumstances": "found at 06:10\nby the guard"},
    )
    assert ev.details == {"place": "cell A-01", "circumstances": "found at 06:10\nby the guard"}
    with pytest.raises(InvalidInput, match="place must be on one line"):
        move("death", INSIDE, details={"place": "a\nb", "circumstances": "c"})


def test_last_seen_is_a_time_between_the_previous_movement_and_the_escape() -> None:
    [ev] = move("escape", INSIDE, details={"where": "wall", "last_seen": "2026-01-20T10:30+03:00"})
    assert ev.details["last_seen"] == "2026-01-20T07:30:00Z"
    for last_seen in ("2026-01-20T05:00:00Z", "2026-01-20T09:00:00Z"):
        with pytest.raises(MovementRefused, match="last seen must be between"):
            move("escape", INSIDE, details={"where": "wall", "last_seen": last_seen})
    with pytest.raises(InvalidInput, match="not an ISO 8601 time"):
        move("escape", INSIDE, details={"where": "wall", "last_seen": "yesterday"})


# --- where to ------------------------------------------------------------------------------


def test_a_destination_is_needed_and_must_exist() -> None:
    with pytest.raises(MovementRefused, match=r"a cell movement needs a destination$"):
        move("cell", INSIDE, None)
    with pytest.raises(
        MovementRefused, match="a cell movement needs a destination; location Z-9 does not exist"
    ):
        move("cell", INSIDE, "Z-9")


@pytest.mark.parametrize(
    ("kind", "person", "to", "message"),
    [
        ("cell", INSIDE, "AQ:hospital", "a cell movement goes to a cell or post or reception"),
        ("out", INSIDE, "A-02", "an? out movement goes to a hospital or court or outside"),
        ("out", INSIDE, "AQ:transit", "goes to a hospital or court or outside"),
        ("return", OUT, "AQ:court", "goes to a cell or post or reception"),
        ("transfer", INSIDE, "A-02", "a transfer movement goes to a transit"),
        ("recapture", ESCAPED, "AQ:hospital", "goes to a cell or post or reception"),
    ],
)
def test_a_destination_of_the_wrong_kind_is_refused(
    kind: str, person: PersonState, to: str, message: str
) -> None:
    with pytest.raises(MovementRefused, match=message):
        move(kind, person, to)


@pytest.mark.parametrize("kind", ["receive", "release", "death", "escape"])
def test_leaving_custody_takes_no_destination(kind: str) -> None:
    person = IN_TRANSIT if kind == "receive" else INSIDE
    with pytest.raises(MovementRefused, match="out of custody; no destination"):
        move(kind, person, "A-02")


def test_a_place_in_another_facility_is_refused() -> None:
    elsewhere = place("BZ-01", "cell", "B", facility="BZ")
    with pytest.raises(MovementRefused, match="BZ-01 is not in D-000001's facility AQ"):
        move("cell", INSIDE, "BZ-01", chain=[elsewhere])


def test_a_move_to_where_the_person_is_is_refused() -> None:
    here = place("A-01", "cell", occupancy=1)
    with pytest.raises(MovementRefused, match="D-000001 is already in A-01"):
        move("cell", INSIDE, "A-01", chain=[here, BLOCK, FACILITY])


def test_an_out_of_order_place_is_refused() -> None:
    broken = place("A-02", "cell", state="out_of_order")
    with pytest.raises(MovementRefused, match="location A-02 is out of order"):
        move("cell", INSIDE, "A-02", chain=[broken, BLOCK, FACILITY])
    closed_court = place("AQ:court", "court", "AQ", state="out_of_order")
    with pytest.raises(MovementRefused, match="location AQ:court is out of order"):
        move("out", INSIDE, "AQ:court", chain=[closed_court, FACILITY])


# --- capacity ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["cell", "return", "recapture"])
def test_capacity_is_exceeded_only_with_an_override_reason(kind: str) -> None:
    person = {"cell": INSIDE, "return": OUT, "recapture": ESCAPED}[kind]
    full = [place("A-02", "cell", maximum=2, occupancy=2), BLOCK, FACILITY]
    details = {k: v for k, v in DETAILS[kind].items() if k != "override"}
    with pytest.raises(
        MovementRefused,
        match="location A-02 holds 2 of a maximum of 2; putting 1 more in needs an override",
    ):
        move(kind, person, "A-02", chain=full, details=details)
    [ev] = move(kind, person, "A-02", chain=full, details=details, override=" riot in B ")
    assert ev.details["override"] == "riot in B"
    [ev] = move(kind, person, "A-02", details=details, override="not needed")
    assert "override" not in ev.details


def test_a_full_ancestor_refuses_too() -> None:
    full_block = place("A", "block", "AQ", maximum=3, occupancy=3)
    with pytest.raises(MovementRefused, match="location A holds 3 of a maximum of 3"):
        move("return", OUT, "A-02", chain=[CELL_2, full_block, FACILITY])


def test_away_places_have_no_capacity_check() -> None:
    crowded = place("AQ:hospital", "hospital", "AQ", maximum=0, occupancy=5)
    [ev] = move("out", INSIDE, "AQ:hospital", chain=[crowded, FACILITY])
    assert ev.destination == "AQ:hospital"


# --- places out of order: the destination and every ancestor must be in use ---------------

CLOSED_BLOCK = place("B", "block", "AQ", state="out_of_order")
CELL_B1 = place("B-01", "cell", "B")


@pytest.mark.parametrize("kind", ["cell", "return", "recapture"])
def test_no_one_is_put_in_a_cell_of_an_out_of_order_block(kind: str) -> None:
    person = {"cell": INSIDE, "return": OUT, "recapture": ESCAPED}[kind]
    chain = [CELL_B1, CLOSED_BLOCK, FACILITY]
    message = "location B-01 is in block B, which is out of order; no one may be put there"
    with pytest.raises(MovementRefused, match=message):
        move(kind, person, "B-01", chain=chain)
    with pytest.raises(MovementRefused, match=message):
        move(kind, person, "B-01", chain=chain, override="riot in A")


def test_no_one_is_put_in_a_cell_of_an_out_of_order_wing() -> None:
    wing = place("B-W", "wing", "B", state="out_of_order")
    chain = [place("B-W-01", "cell", "B-W"), wing, place("B", "block", "AQ"), FACILITY]
    with pytest.raises(MovementRefused, match="B-W-01 is in wing B-W, which is out of order"):
        move("cell", INSIDE, "B-W-01", chain=chain)


def test_an_away_place_counts_only_its_own_state() -> None:
    """Hospital, court, outside and transit are outside the walls: a facility out of order
    must still be able to send the people it answers for to hospital or on a transfer."""
    closed = place("AQ", "facility", None, state="out_of_order")
    [ev] = move("out", INSIDE, "AQ:hospital", chain=[HOSPITAL, closed])
    assert ev.destination == "AQ:hospital"
    [ev] = move("transfer", OUT, "AQ:transit", chain=[TRANSIT, closed])
    assert ev.destination == "AQ:transit"


# --- input of the wrong type: a refusal that names the problem, never a TypeError ----------

NAIVE = datetime(2026, 1, 20, 8, 0)  # noqa: DTZ001 (the naive time under test)


@pytest.mark.parametrize("kind", ["cell", "out", "return", "release", "escape", "recapture"])
def test_a_movement_time_without_a_zone_is_refused(kind: str) -> None:
    person = {"return": OUT, "recapture": ESCAPED}.get(kind, INSIDE)
    to = {"cell": "A-02", "out": "AQ:hospital", "return": "A-02", "recapture": "A-02"}.get(kind)
    with pytest.raises(
        InvalidInput, match=rf"the time of the {kind} movement \(2026-01-20T08:00:00\) has no"
    ):
        move(kind, person, to, when=NAIVE)


@pytest.mark.parametrize("when", ["2026-01-20T08:00:00Z", 1_768_896_000, None])
def test_a_movement_time_that_is_not_a_datetime_is_refused(when: Any) -> None:
    with pytest.raises(InvalidInput, match="the time of the release movement must be a date"):
        move("release", INSIDE, when=when)


@pytest.mark.parametrize(
    ("kind", "details", "message"),
    [
        ("cell", {"reason": 5}, "reason must be text"),
        ("escape", {"where": "wall", "last_seen": 7}, "last seen must be text"),
        ("transfer", {"destination": ["X"], "authority": "M"}, "destination must be text"),
        ("release", "authority: court", "the details of a release movement must be named"),
        ("release", [("authority", "court")], "the details of a release movement must be named"),
    ],
)
def test_details_that_are_not_text_are_refused(kind: str, details: Any, message: str) -> None:
    to = {"cell": "A-02", "transfer": "AQ:transit"}.get(kind)
    with pytest.raises(MovementRefused, match=message):
        move(kind, INSIDE, to, details=details)


def test_an_override_that_is_not_text_is_refused() -> None:
    full = [place("A-02", "cell", maximum=0), BLOCK, FACILITY]
    with pytest.raises(InvalidInput, match="the override reason must be text, not int 1"):
        move("cell", INSIDE, "A-02", chain=full, override=cast(Any, 1))
