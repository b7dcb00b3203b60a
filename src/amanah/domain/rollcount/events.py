"""Events of roll calls. Times are RFC 3339 UTC."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from amanah.domain.shared import DataEvent


@dataclass(frozen=True, slots=True)
class RollOpened(DataEvent):
    """``rollcount.roll_opened``: data: ``roll`` (id), ``facility``, ``scope`` (the facility or
    a block or wing: every cell, post and reception under it is counted), ``time``."""

    TYPE: ClassVar[str] = "rollcount.roll_opened"

    roll: str
    facility: str
    scope: str
    time: str


@dataclass(frozen=True, slots=True)
class Counted(DataEvent):
    """``rollcount.counted``: data: ``roll``, ``location``, ``counted``, ``expected`` (the
    register's number there at that moment, derived from movements), ``counters`` (names),
    ``time``, ``attempt`` (1 for the first count, 2 for the recount...), ``result``
    (``matched``, ``recount`` or ``unresolved``)."""

    TYPE: ClassVar[str] = "rollcount.counted"

    roll: str
    location: str
    counted: int
    expected: int
    counters: list[str]
    time: str
    attempt: int
    result: str


@dataclass(frozen=True, slots=True)
class DifferenceResolved(DataEvent):
    """``rollcount.difference_resolved``: one person accounted for. data: ``roll``,
    ``person``, ``location`` (where the register had them), ``outcome`` (found, elsewhere,
    out, escaped, dead), ``found_in`` (for elsewhere), ``time``, ``note``."""

    TYPE: ClassVar[str] = "rollcount.difference_resolved"

    roll: str
    person: str
    location: str
    outcome: str
    time: str
    found_in: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class RollCleared(DataEvent):
    """``rollcount.roll_cleared``: every place in the roll matched or was resolved."""

    TYPE: ClassVar[str] = "rollcount.roll_cleared"

    roll: str
    time: str
