"""Commands of a roll call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class OpenRoll:
    """Open a roll call for a facility or one block (``scope``)."""

    roll: str
    scope: str
    time: datetime


@dataclass(frozen=True, slots=True)
class RecordCount:
    """The number of people counted in one place, and who counted."""

    roll: str
    location: str
    counted: int
    counters: tuple[str, ...]
    time: datetime


@dataclass(frozen=True, slots=True)
class Resolve:
    """Account for one person in a difference that a recount did not clear.

    ``outcome``: ``found`` (there all along, missed by the count), ``elsewhere`` (found in
    ``found_in``), ``out`` (at hospital or court), ``escaped`` or ``dead``. Except for
    ``found``, the service records the matching movement in the same transaction.
    """

    roll: str
    person: str
    location: str  # where the register had the person
    outcome: str
    time: datetime
    found_in: str | None = None
    note: str | None = None
