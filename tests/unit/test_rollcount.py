"""The rules of a roll call: open, count, recount, resolve person by person, clear."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest

from amanah.domain.rollcount.commands import OpenRoll, RecordCount, Resolve
from amanah.domain.rollcount.errors import RollRefused
from amanah.domain.rollcount.events import Counted, DifferenceResolved, RollCleared, RollOpened
from amanah.domain.rollcount.model import (
    MATCHED,
    PENDING,
    RECOUNT,
    RESOLVED,
    UNRESOLVED,
    Roll,
    Tally,
    adjust,
    decide_count,
    decide_open,
    decide_resolve,
    settle,
)
from amanah.domain.shared import Place
from amanah.errors import InvalidInput

NOW = datetime(2026, 1, 20, 12, 0, tzinfo=UTC)
OPENED = datetime(2026, 1, 20, 8, 0, tzinfo=UTC)
AT = datetime(2026, 1, 20, 8, 5, tzinfo=UTC)
ROLL = Roll("R-0001", "AQ", "AQ", "open", "2026-01-20T08:00:00Z")
PLACES = ("A-01", "A-02", "AQ:reception")


def pending() -> dict[str, Tally]:
    return {p: Tally(p) for p in PLACES}


def count(
    location: str,
    counted: int,
    expected: int,
    tallies: dict[str, Tally],
    *,
    roll: Roll | None = ROLL,
    counters: tuple[str, ...] = ("Omar",),
    when: datetime = AT,
) -> list[Counted | RollCleared]:
    command = RecordCount("R-0001", location, counted, counters, when)
    return decide_count(command, roll=roll, tallies=tallies, expected=expected, now=NOW)


def apply(tallies: dict[str, Tally], event: Counted) -> dict[str, Tally]:
    """The tallies after a count, as the projection keeps them."""
    tally = Tally(event.location, event.result, event.attempt, event.expected, event.counted)
    return tallies | {event.location: tally}


def unresolved(location: str, expected: int, counted: int) -> Tally:
    return Tally(location, UNRESOLVED, 2, expected, counted)


def resolve(
    tallies: dict[str, Tally],
    outcome: str,
    *,
    person_location: str | None = "A-01",
    location: str = "A-01",
    found_in: str | None = None,
    already: bool = False,
    roll: Roll | None = ROLL,
    when: datetime = AT,
    note: str | None = None,
) -> list[DifferenceResolved | RollCleared]:
    command = Resolve("R-0001", "D-000001", location, outcome, when, found_in, note)
    return decide_resolve(
        command,
        roll=roll,
        tallies=tallies,
        person_location=person_location,
        already=already,
        now=NOW,
    )


# --- opening -------------------------------------------------------------------------------


def test_a_roll_opens_on_a_facility_block_or_wing() -> None:
    for kind in ("facility", "block", "wing"):
        scope = Place("X", kind, "AQ", None)
        [ev] = decide_open(OpenRoll("R-0001", "X", OPENED), scope, None, NOW)
        assert ev == RollOpened("R-0001", "AQ", "X", "2026-01-20T08:00:00Z")


def test_a_roll_on_a_cell_or_nowhere_is_refused() -> None:
    cell = Place("A-01", "cell", "AQ", "A")
    with pytest.raises(RollRefused, match="covers a facility, block or wing; A-01 is a cell"):
        decide_open(OpenRoll("R-1", "A-01", OPENED), cell, None, NOW)
    with pytest.raises(RollRefused, match="location Z does not exist"):
        decide_open(OpenRoll("R-1", "Z", OPENED), None, None, NOW)


def test_one_roll_at_a_time() -> None:
    block = Place("A", "block", "AQ", "AQ")
    with pytest.raises(RollRefused, match=r"roll R-0001 \(AQ\) is still open in AQ"):
        decide_open(OpenRoll("R-0002", "A", OPENED), block, ROLL, NOW)


def test_a_future_roll_is_refused() -> None:
    block = Place("A", "block", "AQ", "AQ")
    with pytest.raises(RollRefused, match=r"the roll call is dated .* after the current time"):
        decide_open(OpenRoll("R-1", "A", NOW + timedelta(hours=1)), block, None, NOW)


# --- counting ------------------------------------------------------------------------------


def test_match_then_clear_when_every_place_matches() -> None:
    tallies = pending()
    [first] = count("A-01", 3, 3, tallies)
    assert isinstance(first, Counted)
    assert (first.expected, first.counted, first.attempt, first.result) == (3, 3, 1, MATCHED)
    assert first.counters == ["Omar"]
    tallies = apply(tallies, first)
    [second] = count("A-02", 0, 0, tallies)
    assert isinstance(second, Counted)
    tallies = apply(tallies, second)
    third, cleared = count("AQ:reception", 1, 1, tallies)
    assert isinstance(third, Counted)
    assert cleared == RollCleared("R-0001", "2026-01-20T08:05:00Z")


def test_mismatch_asks_for_a_recount_and_a_second_mismatch_is_unresolved() -> None:
    tallies = pending()
    [first] = count("A-01", 2, 3, tallies)
    assert isinstance(first, Counted)
    assert (first.attempt, first.result) == (1, RECOUNT)
    tallies = apply(tallies, first)
    assert tallies["A-01"].shortfall == 1
    [second] = count("A-01", 2, 3, tallies, counters=("Omar", "Ali"))
    assert isinstance(second, Counted)
    assert (second.attempt, second.result, second.counters) == (2, UNRESOLVED, ["Omar", "Ali"])
    tallies = apply(tallies, second)
    [third] = count("A-01", 3, 3, tallies)
    assert isinstance(third, Counted)
    assert (third.attempt, third.result) == (3, MATCHED)


def test_a_recount_that_matches_clears_the_place() -> None:
    tallies = pending() | {"A-01": Tally("A-01", RECOUNT, 1, 3, 2)}
    [recount] = count("A-01", 3, 3, tallies)
    assert isinstance(recount, Counted)
    assert (recount.attempt, recount.result) == (2, MATCHED)


def test_a_count_uses_the_register_number_at_that_moment() -> None:
    tallies = pending() | {"A-01": Tally("A-01", RECOUNT, 1, 3, 2)}
    [recount] = count("A-01", 2, 2, tallies)
    assert isinstance(recount, Counted)
    assert (recount.expected, recount.result) == (2, MATCHED)


@pytest.mark.parametrize(
    ("location", "counted", "tallies", "roll", "message"),
    [
        ("A-01", 1, pending(), None, "no roll call R-0001"),
        ("A-01", 1, pending(), replace(ROLL, status="cleared"), "R-0001 is already cleared"),
        ("B-01", 1, pending(), ROLL, r"location B-01 is not counted in roll R-0001 \(AQ\)"),
        ("A-01", -1, pending(), ROLL, "the count must be a whole number from 0 to 100000"),
        ("A-01", 100_001, pending(), ROLL, "from 0 to 100000"),
        ("A-01", True, pending(), ROLL, "from 0 to 100000"),
        (
            "A-01",
            1,
            pending() | {"A-01": Tally("A-01", MATCHED, 1, 1, 1)},
            ROLL,
            "A-01 is already matched in roll R-0001",
        ),
        (
            "A-01",
            1,
            pending() | {"A-01": Tally("A-01", RESOLVED, 2, 1, 1)},
            ROLL,
            "A-01 is already resolved",
        ),
    ],
)
def test_a_bad_count_is_refused(
    location: str, counted: int, tallies: dict[str, Tally], roll: Roll | None, message: str
) -> None:
    with pytest.raises(RollRefused, match=message):
        count(location, counted, 1, tallies, roll=roll)


def test_a_count_needs_counters_and_a_time_within_the_roll() -> None:
    with pytest.raises(RollRefused, match="at least one counter"):
        count("A-01", 1, 1, pending(), counters=())
    with pytest.raises(InvalidInput, match="a counter's name is empty"):
        count("A-01", 1, 1, pending(), counters=("Omar", " "))
    with pytest.raises(RollRefused, match="before roll R-0001 opened at 2026-01-20T08:00:00Z"):
        count("A-01", 1, 1, pending(), when=OPENED - timedelta(seconds=1))
    with pytest.raises(RollRefused, match="after the current time"):
        count("A-01", 1, 1, pending(), when=NOW + timedelta(hours=1))


# --- tallies -------------------------------------------------------------------------------


def test_shortfall_counts_only_open_differences() -> None:
    assert Tally("A", RECOUNT, 1, 5, 3).shortfall == 2
    assert Tally("A", UNRESOLVED, 2, 5, 3).shortfall == 2
    assert Tally("A", UNRESOLVED, 2, 3, 5).shortfall == 0
    assert Tally("A", MATCHED, 1, 5, 5).shortfall == 0
    assert Tally("A", PENDING, 0, 5, 0).shortfall == 0


def test_settle() -> None:
    assert settle(Tally("A", UNRESOLVED, 2, 3, 3)).status == RESOLVED
    assert settle(Tally("A", MATCHED, 1, 3, 3)).status == MATCHED
    assert settle(Tally("A", MATCHED, 1, 4, 3)).status == UNRESOLVED
    assert settle(Tally("A", UNRESOLVED, 2, 4, 3)).status == UNRESOLVED


def resolution(outcome: str, found_in: str | None = None) -> DifferenceResolved:
    return DifferenceResolved("R-0001", "D-000001", "A-01", outcome, "t", found_in)


def test_adjust_moves_the_numbers_as_each_outcome_says() -> None:
    tallies = {"A-01": unresolved("A-01", 3, 2), "A-02": unresolved("A-02", 1, 2)}
    assert adjust(tallies, resolution("found")) == {"A-01": Tally("A-01", RESOLVED, 2, 3, 3)}
    for outcome in ("out", "escaped", "dead"):
        assert adjust(tallies, resolution(outcome)) == {"A-01": Tally("A-01", RESOLVED, 2, 2, 2)}
    assert adjust(tallies, resolution("elsewhere", "A-02")) == {
        "A-01": Tally("A-01", RESOLVED, 2, 2, 2),
        "A-02": Tally("A-02", RESOLVED, 2, 2, 2),
    }


def test_adjust_leaves_uncounted_places_alone() -> None:
    tallies = {"A-01": unresolved("A-01", 3, 2), "A-02": Tally("A-02")}
    assert adjust(tallies, resolution("elsewhere", "A-02")) == {
        "A-01": Tally("A-01", RESOLVED, 2, 2, 2)
    }
    assert adjust({}, resolution("out")) == {}


# --- resolving -----------------------------------------------------------------------------


def test_resolve_found_clears_the_place_and_the_roll() -> None:
    tallies = pending() | {
        "A-01": unresolved("A-01", 3, 2),
        "A-02": Tally("A-02", MATCHED, 1, 0, 0),
        "AQ:reception": Tally("AQ:reception", MATCHED, 1, 0, 0),
    }
    ev, cleared = resolve(tallies, "found", note=" under the bunk ")
    assert ev == DifferenceResolved(
        "R-0001", "D-000001", "A-01", "found", "2026-01-20T08:05:00Z", None, "under the bunk"
    )
    assert cleared == RollCleared("R-0001", "2026-01-20T08:05:00Z")


def test_resolve_elsewhere_settles_both_places() -> None:
    tallies = pending() | {"A-01": unresolved("A-01", 3, 2), "A-02": unresolved("A-02", 1, 2)}
    [ev] = resolve(tallies, "elsewhere", found_in="A-02")
    assert isinstance(ev, DifferenceResolved)
    assert ev.found_in == "A-02"
    assert adjust(tallies, ev) == {
        "A-01": Tally("A-01", RESOLVED, 2, 2, 2),
        "A-02": Tally("A-02", RESOLVED, 2, 2, 2),
    }


def test_resolve_a_person_from_an_uncounted_place_found_in_an_unresolved_one() -> None:
    tallies = pending() | {"A-02": unresolved("A-02", 1, 2)}
    [ev] = resolve(
        tallies, "elsewhere", location="AQ:hospital", person_location="AQ:hospital", found_in="A-02"
    )
    assert isinstance(ev, DifferenceResolved)
    assert ev.location == "AQ:hospital"


@pytest.mark.parametrize("outcome", ["out", "escaped", "dead"])
def test_resolve_out_escaped_dead_takes_one_from_the_expected(outcome: str) -> None:
    tallies = pending() | {"A-01": unresolved("A-01", 3, 2)}
    [ev] = resolve(tallies, outcome)
    assert isinstance(ev, DifferenceResolved)
    assert adjust(tallies, ev)["A-01"] == Tally("A-01", RESOLVED, 2, 2, 2)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"roll": None}, "no roll call R-0001"),
        ({"roll": replace(ROLL, status="cleared")}, "already cleared"),
        ({"already": True}, "D-000001 is already accounted for in roll R-0001"),
        ({"person_location": "A-02"}, "the register has D-000001 in A-02, not in A-01"),
        ({"person_location": None}, "the register has D-000001 in no place, not in A-01"),
        ({"found_in": "A-02"}, "say where the person was found"),
        ({"when": OPENED - timedelta(minutes=1)}, "before roll R-0001 opened"),
    ],
)
def test_a_bad_resolution_is_refused(kwargs: dict[str, object], message: str) -> None:
    tallies = pending() | {"A-01": unresolved("A-01", 3, 2)}
    with pytest.raises(RollRefused, match=message):
        resolve(tallies, "found", **kwargs)  # type: ignore[arg-type]


def test_resolution_outcomes_and_places_are_checked() -> None:
    tallies = pending() | {"A-01": unresolved("A-01", 3, 2)}
    with pytest.raises(RollRefused, match="outcome must be one of found, elsewhere, out"):
        resolve(tallies, "vanished")
    with pytest.raises(RollRefused, match="say where the person was found"):
        resolve(tallies, "elsewhere")
    with pytest.raises(RollRefused, match="found in the same place is the outcome 'found'"):
        resolve(tallies, "elsewhere", found_in="A-01")


def test_only_an_unresolved_difference_is_resolved() -> None:
    for tally in (Tally("A-01"), Tally("A-01", RECOUNT, 1, 3, 2), Tally("A-01", MATCHED, 1, 3, 3)):
        with pytest.raises(RollRefused, match="no unresolved difference at A-01"):
            resolve(pending() | {"A-01": tally}, "out")
    with pytest.raises(RollRefused, match="no unresolved difference at A-01 or A-02"):
        resolve(pending(), "elsewhere", found_in="A-02")


def test_found_needs_someone_missing() -> None:
    tallies = pending() | {"A-01": unresolved("A-01", 2, 3)}
    with pytest.raises(RollRefused, match="A-01 has no one missing to be found"):
        resolve(tallies, "found")


# --- a roll with nothing to count could never clear ----------------------------------------


def test_a_roll_over_an_out_of_order_scope_is_refused() -> None:
    block = Place("B", "block", "AQ", "AQ", state="out_of_order")
    with pytest.raises(RollRefused, match="block B is out of order: there is no one to count"):
        decide_open(OpenRoll("R-0002", "B", OPENED), block, None, NOW)


def test_a_roll_over_a_scope_with_no_place_in_use_is_refused() -> None:
    """A block whose cells are all out of order: the service says how many places the roll
    would count (``places``), and none means the roll could never clear."""
    block = Place("B", "block", "AQ", "AQ")
    with pytest.raises(RollRefused, match="block B has no cell, post or reception in use"):
        decide_open(OpenRoll("R-0002", "B", OPENED), block, None, NOW, places=0)
    [ev] = decide_open(OpenRoll("R-0002", "B", OPENED), block, None, NOW, places=1)
    assert ev.scope == "B"


@pytest.mark.parametrize("roll_id", ["", " R-1", "R 1", "R-1\n", "x" * 65, 7])
def test_a_roll_id_that_cannot_name_a_stream_is_refused(roll_id: Any) -> None:
    block = Place("A", "block", "AQ", "AQ")
    with pytest.raises(RollRefused, match=r"roll id .* must be 1-64 letters"):
        decide_open(OpenRoll(roll_id, "A", OPENED), block, None, NOW)


# --- input of the wrong type: a refusal that names the problem, never a TypeError ----------

NAIVE = datetime(2026, 1, 20, 8, 5)  # noqa: DTZ001 (the naive time under test)


@pytest.mark.parametrize(
    ("counted", "message"),
    [
        (1.0, "the count must be a whole number from 0 to 100000, not float 1.0"),
        (1.5, "not float 1.5"),
        (True, "not bool True"),
        (False, "not bool False"),
        ("1", "not str '1'"),
        (None, "not NoneType None"),
        (-1, "from 0 to 100000, not -1"),
    ],
)
def test_a_count_that_is_not_a_whole_number_is_refused(counted: Any, message: str) -> None:
    # expected 1: a float 1.0 or True would otherwise "match" and clear the place.
    with pytest.raises(RollRefused, match=message):
        count("A-01", counted, 1, pending())


def test_counters_are_a_list_of_distinct_names() -> None:
    with pytest.raises(RollRefused, match="the counters must be a list of names"):
        count("A-01", 1, 1, pending(), counters=cast(Any, "Omar"))
    with pytest.raises(RollRefused, match="counter Omar is named more than once"):
        count("A-01", 1, 1, pending(), counters=("Omar", "Omar"))
    with pytest.raises(InvalidInput, match="a counter's name must be text, not int 3"):
        count("A-01", 1, 1, pending(), counters=cast(Any, ("Omar", 3)))
    [ev, *_] = count("A-01", 1, 1, pending(), counters=("Omar", "Nour"))
    assert isinstance(ev, Counted)
    assert ev.counters == ["Omar", "Nour"]


def test_times_without_a_zone_are_refused_at_every_step() -> None:
    block = Place("A", "block", "AQ", "AQ")
    match = r"the time of the roll call \(2026-01-20T08:05:00\) has no time zone"
    with pytest.raises(InvalidInput, match=match):
        decide_open(OpenRoll("R-0001", "A", NAIVE), block, None, NOW)
    with pytest.raises(InvalidInput, match=r"the time of the count .* has no time zone"):
        count("A-01", 1, 1, pending(), when=NAIVE)
    tallies = pending() | {"A-01": unresolved("A-01", 3, 2)}
    with pytest.raises(InvalidInput, match=r"the time of the resolution .* has no time zone"):
        resolve(tallies, "found", when=NAIVE)
    with pytest.raises(InvalidInput, match="the time of the resolution must be a date and time"):
        resolve(tallies, "found", when=cast(Any, "2026-01-20T08:05:00Z"))
