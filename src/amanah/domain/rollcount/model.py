"""The rules of a roll call.

Each counted place has a *tally*: the number expected (the register, at the moment of the
count) and the number counted. A match clears the place; a mismatch asks for a recount; a
recount that still mismatches must be resolved person by person. Each resolution adjusts the
tally (``found`` adds one to the counted; ``out``, ``escaped``, ``dead`` and ``elsewhere``
take one from the expected; ``elsewhere`` adds one to the expected where they were found).
The roll clears when every place in it is matched or resolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from amanah.domain.rollcount.commands import OpenRoll, RecordCount, Resolve
from amanah.domain.rollcount.errors import RollRefused
from amanah.domain.rollcount.events import Counted, DifferenceResolved, RollCleared, RollOpened
from amanah.domain.shared import CONTAINER_KINDS, Place, check_when, check_whole, one_line

OUTCOMES = ("found", "elsewhere", "out", "escaped", "dead")
PENDING, MATCHED, RECOUNT, UNRESOLVED, RESOLVED = (
    "pending",
    "matched",
    "recount",
    "unresolved",
    "resolved",
)
CLEAR = (MATCHED, RESOLVED)
MAX_COUNT = 100_000
# As location ids (the roll's id names its ledger stream).
ROLL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


@dataclass(frozen=True, slots=True)
class Roll:
    id: str
    facility: str
    scope: str
    status: str  # "open" or "cleared"
    opened_at: str


@dataclass(frozen=True, slots=True)
class Tally:
    """One counted place of a roll. ``expected``/``counted`` include resolutions."""

    location: str
    status: str = PENDING
    attempts: int = 0
    expected: int = 0
    counted: int = 0

    @property
    def shortfall(self) -> int:
        """People expected here and not (yet) accounted for."""
        return max(0, self.expected - self.counted) if self.status in (RECOUNT, UNRESOLVED) else 0


def settle(tally: Tally) -> Tally:
    """The tally's status after its numbers changed through a resolution."""
    if tally.expected == tally.counted:
        return replace(tally, status=MATCHED if tally.status == MATCHED else RESOLVED)
    return replace(tally, status=UNRESOLVED)


def decide_open(
    command: OpenRoll,
    scope: Place | None,
    open_roll: Roll | None,
    now: datetime,
    *,
    places: int | None = None,
) -> list[RollOpened]:
    """Open a roll over ``scope``. ``places``: how many places the roll would count (active
    cells, posts and reception under the scope, each with every ancestor active).

    A roll with nothing to count could never clear, and an open roll blocks the next one,
    so a scope out of order, or with no place to count, is refused. ``places=None`` means the
    caller did not say; then only the scope's own state is checked.
    """
    if not isinstance(command.roll, str) or not ROLL_ID.fullmatch(command.roll):
        raise RollRefused(
            f"roll id {command.roll!r} must be 1-64 letters, digits, '.', '_', ':' or '-' "
            "starting with a letter or digit"
        )
    if scope is None:
        raise RollRefused(f"location {command.scope} does not exist")
    if scope.kind not in CONTAINER_KINDS:
        raise RollRefused(
            f"a roll call covers a facility, block or wing; {scope.id} is a {scope.kind}"
        )
    if scope.state != "active":
        raise RollRefused(
            f"{scope.kind} {scope.id} is out of order: there is no one to count in it"
        )
    if places is not None and places <= 0:
        raise RollRefused(
            f"{scope.kind} {scope.id} has no cell, post or reception in use to count; "
            "a roll call there could never clear"
        )
    if open_roll is not None:
        raise RollRefused(
            f"roll {open_roll.id} ({open_roll.scope}) is still open in {open_roll.facility}; "
            "clear it before opening another"
        )
    when = check_when(command.time, now, "the roll call", RollRefused)
    return [RollOpened(command.roll, scope.facility, scope.id, when)]


def _open(roll: Roll | None, name: str) -> Roll:
    if roll is None:
        raise RollRefused(f"no roll call {name}")
    if roll.status != "open":
        raise RollRefused(f"roll {roll.id} is already {roll.status}")
    return roll


def _after(roll: Roll, command_time: datetime, now: datetime, what: str) -> str:
    when = check_when(command_time, now, what, RollRefused)
    if when < roll.opened_at:
        raise RollRefused(
            f"{what} is dated {when}, before roll {roll.id} opened at {roll.opened_at}"
        )
    return when


def _cleared(roll: Roll, tallies: dict[str, Tally], when: str) -> list[RollCleared]:
    return [RollCleared(roll.id, when)] if all(t.status in CLEAR for t in tallies.values()) else []


def decide_count(
    command: RecordCount,
    *,
    roll: Roll | None,
    tallies: dict[str, Tally],
    expected: int,
    now: datetime,
) -> list[Counted | RollCleared]:
    """``tallies``: every place the roll counts; ``expected``: the register's number at the
    place now."""
    roll = _open(roll, command.roll)
    tally = tallies.get(command.location)
    if tally is None:
        raise RollRefused(
            f"location {command.location} is not counted in roll {roll.id} ({roll.scope}): "
            "only cells, posts and reception under it are"
        )
    if tally.status in CLEAR:
        raise RollRefused(f"{command.location} is already {tally.status} in roll {roll.id}")
    check_whole(command.counted, "the count", 0, MAX_COUNT, RollRefused)
    if isinstance(command.counters, str) or not isinstance(command.counters, (tuple, list)):
        raise RollRefused("the counters must be a list of names, one per person who counted")
    counters = [one_line(name, "a counter's name") for name in command.counters]
    if not counters:
        raise RollRefused("name who counted (at least one counter)")
    twice = sorted({name for name in counters if counters.count(name) > 1})
    if twice:
        # A second counter is a check on the first: one person named twice is not one.
        raise RollRefused(f"counter {', '.join(twice)} is named more than once")
    when = _after(roll, command.time, now, "the count")
    attempt = tally.attempts + 1
    result = MATCHED if command.counted == expected else RECOUNT if attempt == 1 else UNRESOLVED
    event = Counted(
        roll.id, command.location, command.counted, expected, counters, when, attempt, result
    )
    after = tallies | {
        tally.location: Tally(tally.location, result, attempt, expected, command.counted)
    }
    return [event, *_cleared(roll, after, when)]


def adjust(tallies: dict[str, Tally], event: DifferenceResolved) -> dict[str, Tally]:
    """The tallies a resolution changes, with their new numbers and statuses."""
    changed: dict[str, Tally] = {}
    here = tallies.get(event.location)
    if here is not None and here.attempts:
        if event.outcome == "found":
            changed[here.location] = settle(replace(here, counted=here.counted + 1))
        else:
            changed[here.location] = settle(replace(here, expected=here.expected - 1))
    there = tallies.get(event.found_in) if event.found_in else None
    if there is not None and there.attempts:
        changed[there.location] = settle(replace(there, expected=there.expected + 1))
    return changed


def decide_resolve(
    command: Resolve,
    *,
    roll: Roll | None,
    tallies: dict[str, Tally],
    person_location: str | None,
    already: bool,
    now: datetime,
) -> list[DifferenceResolved | RollCleared]:
    roll = _open(roll, command.roll)
    if command.outcome not in OUTCOMES:
        raise RollRefused(f"outcome must be one of {', '.join(OUTCOMES)}")
    if already:
        raise RollRefused(f"{command.person} is already accounted for in roll {roll.id}")
    if person_location != command.location:
        raise RollRefused(
            f"the register has {command.person} in {person_location or 'no place'}, "
            f"not in {command.location}"
        )
    if (command.outcome == "elsewhere") != (command.found_in is not None):
        raise RollRefused(
            "say where the person was found (found in) for 'elsewhere', and only then"
        )
    if command.found_in is not None and command.found_in == command.location:
        raise RollRefused("found in the same place is the outcome 'found'")
    involved = [tallies.get(command.location), tallies.get(command.found_in or "")]
    if not any(t is not None and t.status == UNRESOLVED for t in involved):
        raise RollRefused(
            f"there is no unresolved difference at {command.location}"
            + (f" or {command.found_in}" if command.found_in else "")
            + f" in roll {roll.id}: differences are resolved after a recount fails"
        )
    here = tallies.get(command.location)
    if command.outcome == "found" and (here is None or here.counted >= here.expected):
        raise RollRefused(f"{command.location} has no one missing to be found")
    when = _after(roll, command.time, now, "the resolution")
    note = one_line(command.note, "the note", max_chars=500) if command.note else None
    event = DifferenceResolved(
        roll.id, command.person, command.location, command.outcome, when, command.found_in, note
    )
    after = tallies | adjust(tallies, event)
    return [event, *_cleared(roll, after, when)]
