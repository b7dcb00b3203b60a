"""Use cases of the facility: the register, movements and roll calls.

Every command runs the same way: open one write unit, read the state the rules need from
the projections (which include everything decided earlier in the same transaction), decide,
and add the events to the session, which projects them at once and appends them to the
ledger. :meth:`FacilityService.run` does this for a whole series of commands in one
transaction (the demo, imports); the single-command methods are a series of one.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from amanah.clock import Clock
from amanah.domain.movements import model as movements
from amanah.domain.movements.commands import Move
from amanah.domain.registry import model as registry
from amanah.domain.registry import record as records
from amanah.domain.registry.commands import (
    AddLocation,
    Admit,
    Correct,
    SetCapacity,
    SetLocationState,
)
from amanah.domain.registry.errors import RegistryRefused
from amanah.domain.rollcount import model as rollcount
from amanah.domain.rollcount.commands import OpenRoll, RecordCount, Resolve
from amanah.domain.rollcount.errors import RollRefused
from amanah.domain.rollcount.model import Roll
from amanah.domain.shared import HOLDING_KINDS, OUT, Actor, Event, format_time, parse_time
from amanah.errors import AmanahError, InvalidInput, NotFound
from amanah.ledger.ports import StoredCheckpoint, StoredEntry
from amanah.services.dispatch import Recorder, Session
from amanah.services.owed import MOVEMENT_CAUSES, owe
from amanah.services.ports import (
    FacilityStore,
    FacilityViews,
    LocationRow,
    MovementRow,
    PersonRow,
    Storage,
)
from amanah.services.rollstatus import LEVELS, roll_status

#: Prefix of the numbers given to people admitted without one.
NUMBER_PREFIX = {"detainee": "D", "staff": "S", "other": "V"}

Command = AddLocation | SetCapacity | SetLocationState | Admit | Correct | Move | OpenRoll
Command_ = Command | RecordCount | Resolve


@dataclass(frozen=True, slots=True)
class ResolveWith:
    """A roll-call resolution and, for outcomes other than ``found``, its movement's
    destination and details (the hospital or court; where they escaped; the death's
    place and circumstances)."""

    resolve: Resolve
    to: str | None = None
    details: dict[str, str] | None = None
    override: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a series of commands wrote: the first and last entry, the new checkpoint, and the
    ids it created (person numbers, roll ids) in order."""

    first_seq: int
    count: int
    checkpoint: StoredCheckpoint
    created: tuple[str, ...]


def person_stream(number: str) -> str:
    return f"person/{number}"


def location_stream(location: str) -> str:
    return f"location/{location}"


def roll_stream(roll: str) -> str:
    return f"roll/{roll}"


@dataclass
class _Run:
    """One series of commands inside one unit of work."""

    store: FacilityStore
    session: Session
    now: datetime
    zone: tzinfo
    created: list[str]
    numbers: dict[str, int] = field(default_factory=dict)

    def add(self, changes: Sequence[tuple[str, Event]]) -> None:
        rows = self.session.add(changes)
        for row, (_, ev) in zip(rows, changes, strict=True):
            cause = MOVEMENT_CAUSES.get(ev.TYPE)
            if cause is not None:
                self._owe(cause, row, ev)

    def _owe(self, cause: str, row: StoredEntry, ev: Event) -> None:
        """Owe the notifications a death, an escape or a transfer owes (Mandela Rules
        68-71), in the same transaction."""
        person = getattr(ev, "person", "")
        found = self.store.person(person)
        if found is None:
            return
        owe(
            self.session,
            self.session.unit.cases,
            facility=found.facility,
            person=person,
            cause=cause,
            entry=row,
            time=getattr(ev, "time", format_time(self.now)),
            now=self.now,
        )

    # -- register ---------------------------------------------------------------------------

    def add_location(self, c: AddLocation) -> None:
        parent = self.store.location(c.parent) if c.parent else None
        exists = self.store.location(c.id) is not None
        events = registry.decide_add_location(c, exists, parent.place() if parent else None)
        for ev in events:
            if self.store.location(ev.id) is not None:
                raise RegistryRefused(f"location {ev.id} already exists")
        self.add([(location_stream(ev.id), ev) for ev in events])
        self.created.append(c.id)

    def set_capacity(self, c: SetCapacity) -> None:
        place = self.store.location(c.location)
        events = registry.decide_set_capacity(c, place.place() if place else None)
        self.add([(location_stream(c.location), ev) for ev in events])

    def set_state(self, c: SetLocationState) -> None:
        place = self.store.location(c.location)
        events = registry.decide_set_state(c, place.place() if place else None)
        roll = self.store.open_roll(place.facility) if place and events else None
        if roll is not None and c.state != "active":
            # A place still to be counted would drop out of the roll and could leave it
            # with nothing left to count and no count to clear it: count it first.
            _, waiting = self.store.roll_tallies(roll, [], under=c.location)
            if waiting:
                raise RollRefused(
                    f"{c.location} has {waiting} place(s) still to be counted in roll "
                    f"{roll.id}: count them (0 if empty) before taking it out of use"
                )
        self.add([(location_stream(c.location), ev) for ev in events])

    def _next_number(self, category: str) -> str:
        prefix = NUMBER_PREFIX.get(category)
        if prefix is None:
            raise InvalidInput(f"category must be one of {', '.join(NUMBER_PREFIX)}")
        # Counting the category once per series, not per admission (a scan each time).
        n = self.numbers.get(category) or self.store.count_people(category) + 1
        while self.store.person(f"{prefix}-{n:06d}") is not None:
            n += 1
        self.numbers[category] = n + 1
        return f"{prefix}-{n:06d}"

    def admit(self, c: Admit) -> None:
        if not c.number:
            c = Admit(
                self._next_number(c.category), c.category, c.record, c.location, c.time, c.override
            )
        existing = self.store.person(c.number)
        view = (
            registry.PersonView(existing.number, existing.category, existing.status, {})
            if existing
            else None
        )
        raw = records.normalise_times(c.record, self.zone)
        command = Admit(c.number, c.category, raw, c.location, c.time, c.override)
        events = registry.decide_admit(command, view, self.store.chain(c.location), self.now)
        self.add([(person_stream(c.number), ev) for ev in events])
        self.created.append(c.number)

    def correct(self, c: Correct) -> None:
        found = self.store.person(c.number)
        view = (
            registry.PersonView(
                found.number, found.category, found.status, dict(found.record), found.admitted_at
            )
            if found
            else None
        )
        value = c.value
        if c.field == "arrest.time" and isinstance(value, str) and value:
            value = records.normalise_times({"arrest": {"time": value}}, self.zone)["arrest"][
                "time"
            ]
        events = registry.decide_correct(Correct(c.number, c.field, value, c.reason), view)
        self.add([(person_stream(c.number), ev) for ev in events])

    # -- movements --------------------------------------------------------------------------

    def _person_state(self, number: str) -> movements.PersonState | None:
        found = self.store.person(number)
        if found is None:
            return None
        return movements.PersonState(
            found.number, found.category, found.status, found.location, found.facility, found.since
        )

    def move_events(self, c: Move) -> list[Event]:
        person = self._person_state(c.person)
        to = c.to
        if c.kind == "transfer" and to is None and person is not None:
            to = f"{person.facility}:transit"
        if c.kind == "recapture" and to is None and person is not None:
            to = f"{person.facility}:reception"
        chain = self.store.chain(to) if to else []
        if chain and person is not None and person.location:
            # Ancestors the person is already counted in (moving within a block) gain no one.
            here = self.store.chain(person.location)
            if here and here[0].kind in HOLDING_KINDS:
                counted = {p.id for p in here[1:]}
                chain = chain[:1] + [p for p in chain[1:] if p.id not in counted]
        command = Move(c.kind, c.person, c.time, to, c.origin, c.details, c.override)
        return list(movements.decide(command, person, chain, self.now, self.zone))

    def move(self, c: Move) -> None:
        self.add([(person_stream(c.person), ev) for ev in self.move_events(c)])

    # -- roll calls -------------------------------------------------------------------------

    #: Stands for the roll's other places that are not clear yet (see ``_tallies``).
    OTHERS = "\0others"

    def _tallies(self, roll: rollcount.Roll, *involved: str | None) -> dict[str, rollcount.Tally]:
        """The tallies a decision reads: the involved places the roll counts, and one
        pending stand-in when any other place is not clear (so the roll does not clear).
        Reading every tally of a 6,000-cell roll per count would make a roll call quadratic."""
        tallies, others = self.store.roll_tallies(roll, [p for p in involved if p])
        if others:
            tallies[self.OTHERS] = rollcount.Tally(self.OTHERS)
        return tallies

    def open_roll(self, c: OpenRoll) -> None:
        scope = self.store.location(c.scope)
        open_roll = self.store.open_roll(scope.facility) if scope else None
        if c.roll:
            roll_id = c.roll
            if self.store.roll(roll_id) is not None:
                raise RollRefused(f"roll call {roll_id} already exists")
        else:
            n = self.store.count_rolls() + 1
            while self.store.roll(f"R-{n:04d}") is not None:
                n += 1
            roll_id = f"R-{n:04d}"
        command = OpenRoll(roll_id, c.scope, c.time)
        events = rollcount.decide_open(
            command,
            scope.place() if scope else None,
            open_roll,
            self.now,
            places=self.store.countable_places(c.scope) if scope else None,
        )
        self.add([(roll_stream(roll_id), ev) for ev in events])
        self.created.append(roll_id)

    def count(self, c: RecordCount) -> None:
        roll = self.store.roll(c.roll)
        tallies = self._tallies(roll, c.location) if roll else {}
        here = self.store.location(c.location)
        expected = here.population if here else 0
        events = rollcount.decide_count(
            c, roll=roll, tallies=tallies, expected=expected, now=self.now
        )
        self.add([(roll_stream(c.roll), ev) for ev in events])

    def resolve(self, r: ResolveWith) -> None:
        c = r.resolve
        roll = self.store.roll(c.roll)
        tallies = self._tallies(roll, c.location, c.found_in) if roll else {}
        person = self.store.person(c.person)
        if person is None:
            raise NotFound(f"no person {c.person} on the register")
        decided = rollcount.decide_resolve(
            c,
            roll=roll,
            tallies=tallies,
            person_location=person.location,
            already=self.store.is_resolved(c.roll, c.person),
            now=self.now,
        )
        moved: list[Event] = []
        if c.outcome != "found":
            kind = {"elsewhere": "cell", "out": "out", "escaped": "escape", "dead": "death"}
            details = dict(r.details or {})
            if c.outcome == "elsewhere" and person.status == OUT:
                # Registered as out (hospital, court) but found inside: back from the absence.
                kind["elsewhere"] = "return"
                details.setdefault("note", f"found in {c.found_in} at roll call {c.roll}")
            elif c.outcome == "elsewhere":
                details.setdefault("reason", f"found in {c.found_in} at roll call {c.roll}")
            if c.outcome == "out":
                details.setdefault("purpose", f"found to be out at roll call {c.roll}")
            to = c.found_in if c.outcome == "elsewhere" else r.to
            move = Move(kind[c.outcome], c.person, c.time, to, c.location, details, r.override)
            moved = self.move_events(move)
        changes: list[tuple[str, Event]] = [(person_stream(c.person), ev) for ev in moved]
        changes += [(roll_stream(c.roll), ev) for ev in decided]
        self.add(changes)

    def execute(self, command: Command_ | ResolveWith) -> None:
        match command:
            case AddLocation():
                self.add_location(command)
            case SetCapacity():
                self.set_capacity(command)
            case SetLocationState():
                self.set_state(command)
            case Admit():
                self.admit(command)
            case Correct():
                self.correct(command)
            case Move():
                self.move(command)
            case OpenRoll():
                self.open_roll(command)
            case RecordCount():
                self.count(command)
            case ResolveWith():
                self.resolve(command)
            case Resolve():
                self.resolve(ResolveWith(command))


@dataclass
class _Figures:
    """The last roll status of each (facility, level, local day), and the log size it read."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    kept: dict[tuple[str, str, str], tuple[int, dict[str, Any]]] = field(default_factory=dict)


@dataclass
class FacilityService:
    storage: Storage
    recorder: Recorder
    clock: Clock
    zone: tzinfo
    _figures: _Figures = field(default_factory=_Figures, repr=False)

    # -- writing ----------------------------------------------------------------------------

    def run(
        self,
        commands: Sequence[Command_ | ResolveWith],
        actor: Actor,
        progress: Callable[[int], None] | None = None,
    ) -> Outcome:
        """Run ``commands`` in order in one transaction: all are recorded, or none."""
        if not commands:
            raise InvalidInput("nothing to record")
        now = self.clock.now()
        with self.storage.writer() as unit:
            session = self.recorder.session(unit, actor=actor, now=now)
            start = unit.ledger.size()
            run = _Run(unit.facility, session, now, self.zone, [])
            for number, command in enumerate(commands, start=1):
                try:
                    run.execute(command)
                except AmanahError as exc:
                    if len(commands) == 1:
                        raise
                    raise type(exc)(f"command {number}: {exc}") from None
                if progress is not None:
                    progress(number)
            appended = session.close()
        return Outcome(start, session.added, appended[-1].checkpoint, tuple(run.created))

    def time(self, at: str | None) -> datetime:
        """``at`` (ISO 8601; facility time without an offset), or now."""
        return parse_time(at, self.zone) if at else self.clock.now()

    def default_facility(self, views: FacilityViews) -> str:
        facilities = [p.id for p in views.locations(kinds=("facility",))]
        if not facilities:
            raise NotFound("no facility yet: add one with `amanah location add --kind facility`")
        if len(facilities) > 1:
            raise InvalidInput(f"name the facility: one of {', '.join(facilities)}")
        return facilities[0]

    def only_facility(self) -> str:
        """The home's facility (refused when it has none or several)."""
        with self.storage.reader() as view:
            return self.default_facility(view.facility)

    def place(self, ref: str | None) -> str | None:
        """A place id from what a person types: an id, or the name of a facility's standard
        place (``reception``, ``hospital``, ``court``, ``outside``, ``transit``)."""
        if not ref:
            return None
        with self.storage.reader() as view:
            if view.facility.location(ref) is not None:
                return ref
            if ref in ("reception", "hospital", "court", "outside", "transit"):
                return f"{self.default_facility(view.facility)}:{ref}"
        raise NotFound(f"no location {ref}")

    def open_roll_id(self, facility: str | None = None) -> str:
        """The id of the roll call open in the facility."""
        with self.storage.reader() as view:
            facility = facility or self.default_facility(view.facility)
            roll = view.facility.open_roll(facility)
            if roll is None:
                raise NotFound(f"no roll call is open in {facility}: open one with `roll open`")
            return roll.id

    # -- reading ----------------------------------------------------------------------------

    def roll_status(
        self, facility: str | None = None, level: str = "block", *, cached: bool = True
    ) -> dict[str, Any]:
        """Headline figures and per-location rows (see :mod:`amanah.services.rollstatus`).

        Every projection changes only with the ledger (in the same transaction), so figures
        computed at a log size hold until the log grows, or the facility's day turns (the
        "today" figures): a dashboard that twenty people reload reads one log size, not the
        whole register, until the next entry. ``cached=False`` computes them afresh."""
        if level not in LEVELS:
            raise InvalidInput(f"level must be one of {', '.join(LEVELS)}")
        now = self.clock.now()
        with self.storage.reader() as view:
            facility = facility or self.default_facility(view.facility)
            key = (facility, level, now.astimezone(self.zone).date().isoformat())
            size = view.ledger.size()
            with self._figures.lock:
                kept = self._figures.kept.get(key)
            if cached and kept is not None and kept[0] == size:
                return copy.deepcopy(kept[1]) | {"as_of": format_time(now)}
            if view.facility.location(facility) is None:
                raise NotFound(f"no facility {facility}")
            figures = roll_status(view.facility, facility, now, self.zone, level)
        with self._figures.lock:
            if len(self._figures.kept) > 64:  # a few facilities and days at most
                self._figures.kept.clear()
            self._figures.kept[key] = (size, copy.deepcopy(figures))
        return figures

    def locations(self, facility: str | None = None) -> list[LocationRow]:
        with self.storage.reader() as view:
            return view.facility.locations(facility)

    def roll_places(self, roll_id: str) -> dict[str, Any]:
        """A roll's places with their tallies (for the roll sheet)."""
        with self.storage.reader() as view:
            roll = view.facility.roll(roll_id)
            if roll is None:
                raise NotFound(f"no roll call {roll_id}")
            tallies = view.facility.tallies(roll_id)
            scope = view.facility.location(roll.scope)
            prefix = scope.path if scope else "\0"
            in_use = {p.id for p in view.facility.holding_places(roll.facility, None) if p.in_use}
            places = [
                p
                for p in view.facility.locations(roll.facility, HOLDING_KINDS)
                if p.path.startswith(prefix) and (p.id in in_use or p.id in tallies)
            ]
            return {"roll": roll, "places": places, "tallies": tallies}

    def recent_movements(self, facility: str, limit: int = 20) -> list[MovementRow]:
        with self.storage.reader() as view:
            return view.facility.recent_movements(facility, limit=limit)

    def rolls(self, facility: str, limit: int = 20) -> list[Roll]:
        with self.storage.reader() as view:
            return view.facility.rolls(facility, limit=limit)

    def person(self, number: str) -> tuple[PersonRow, list[MovementRow]]:
        with self.storage.reader() as view:
            found = view.facility.person(number)
            if found is None:
                raise NotFound(f"no person {number} on the register")
            return found, view.facility.history(number)

    def search(self, text: str, limit: int = 20, category: str | None = None) -> list[PersonRow]:
        folded = records.fold(text)
        if len(folded) < 2:
            raise InvalidInput("search for at least two letters or digits")
        with self.storage.reader() as view:
            return view.facility.search(folded, limit=limit, category=category)

    def people(
        self, category: str, *, in_custody_only: bool = True, limit: int = 100, offset: int = 0
    ) -> list[PersonRow]:
        with self.storage.reader() as view:
            return view.facility.people(
                category=category, in_custody_only=in_custody_only, limit=limit, offset=offset
            )
