"""What the facility's domain areas share: times, whole numbers, text and usable places."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from amanah.domain.shared import (
    Place,
    check_aware,
    check_room,
    check_usable,
    check_when,
    check_whole,
    clean_text,
    one_line,
)
from amanah.errors import InvalidInput, Refused

NOW = datetime(2026, 1, 20, 12, 0, tzinfo=UTC)
NAIVE = datetime(2026, 1, 20, 8, 0)  # noqa: DTZ001 (the naive time under test)


class Nope(Refused):
    """Stands for a domain area's refusal."""


# --- times -----------------------------------------------------------------------------------


def test_an_aware_time_of_any_offset_is_accepted() -> None:
    east = datetime(2026, 1, 20, 11, 0, tzinfo=timezone(timedelta(hours=3)))
    assert check_aware(east, "x") is east
    assert check_when(east, NOW, "the count", Nope) == "2026-01-20T08:00:00Z"


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (NAIVE, r"the time of the count \(2026-01-20T08:00:00\) has no time zone"),
        ("2026-01-20T08:00:00Z", "the time of the count must be a date and time, not str"),
        (1_768_896_000, "not int 1768896000"),
        (None, "not NoneType None"),
        (NAIVE.date(), "not date datetime.date"),
    ],
)
def test_a_time_without_a_zone_or_not_a_time_is_refused(moment: Any, message: str) -> None:
    """A naive time compared with the clock raised a TypeError; which zone was meant cannot
    be guessed in the domain (the service reads text in the facility's zone)."""
    with pytest.raises(InvalidInput, match=message):
        check_when(moment, NOW, "the count", Nope)


# --- whole numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "not bool True"),
        (1.0, "not float 1.0"),
        ("3", "not str '3'"),
        (None, "not NoneType None"),
        (-1, "from 0 to 10, not -1"),
        (11, "from 0 to 10, not 11"),
    ],
)
def test_only_a_whole_number_in_range_is_a_count(value: Any, message: str) -> None:
    with pytest.raises(Nope, match=f"^the count must be a whole number .*{message}$"):
        check_whole(value, "the count", 0, 10, Nope)
    assert check_whole(0, "the count", 0, 10, Nope) == 0
    assert check_whole(10, "the count", 0, 10, Nope) == 10


# --- text ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, 5, b"Omar", ["Omar"]])
def test_text_of_the_wrong_type_is_refused(value: Any) -> None:
    with pytest.raises(InvalidInput, match="the name must be text, not"):
        clean_text(value, "the name", max_chars=10)
    with pytest.raises(InvalidInput, match="the name must be text, not"):
        one_line(value, "the name")


# --- usable places ---------------------------------------------------------------------------


def place(id_: str, kind: str, parent: str | None, state: str = "active", **kw: Any) -> Place:
    return Place(id_, kind, "AQ", parent, state, **kw)


FACILITY = place("AQ", "facility", None)
BLOCK = place("B", "block", "AQ")
CELL = place("B-01", "cell", "B")


@pytest.mark.parametrize(
    ("chain", "message"),
    [
        ([place("B-01", "cell", "B", "out_of_order"), BLOCK, FACILITY], "B-01 is out of order"),
        (
            [CELL, place("B", "block", "AQ", "out_of_order"), FACILITY],
            "B-01 is in block B, which is out of order",
        ),
        (
            [CELL, BLOCK, place("AQ", "facility", None, "out_of_order")],
            "B-01 is in facility AQ, which is out of order",
        ),
    ],
)
def test_a_place_is_usable_only_if_it_and_every_ancestor_is_active(
    chain: list[Place], message: str
) -> None:
    with pytest.raises(Nope, match=message):
        check_usable(chain, Nope)
    # Out of order is not a matter of capacity: no override reason puts anyone there.
    with pytest.raises(Nope, match=message):
        check_room(chain, 1, "court order", Nope)


def test_an_active_chain_is_usable() -> None:
    check_usable([CELL, BLOCK, FACILITY], Nope)
    assert check_room([CELL, BLOCK, FACILITY], 1, None, Nope) is None
