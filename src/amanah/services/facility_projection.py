"""How the facility's events become rows: the register, occupancy, history and roll tallies.

Each handler turns one event into row operations on a :class:`ProjectionSink`. Live, the
sink is the SQL store inside the write transaction; on rebuild it is :class:`MemorySink`,
whose rows are bulk-loaded at the end. The same handlers run in both, so a rebuild equals
the live projections by construction (and a test checks it after long random histories).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import Any

from amanah.domain.movements.events import MOVEMENT_EVENTS, Movement
from amanah.domain.movements.model import EVENT_KIND, status_after
from amanah.domain.registry.events import (
    CapacitySet,
    LocationAdded,
    LocationStateSet,
    PersonAdmitted,
    PersonCorrected,
)
from amanah.domain.registry.model import apply_correction
from amanah.domain.registry.record import search_key
from amanah.domain.rollcount.events import Counted, DifferenceResolved, RollCleared, RollOpened
from amanah.domain.rollcount.model import Tally, adjust
from amanah.domain.shared import HOLDING_KINDS, INSIDE, Event
from amanah.ledger.ports import StoredEntry
from amanah.services.ports import FACILITY_KEYS, ProjectionSink

#: Movements that bring people into custody or take them out of it ("arrived/left today").
ARRIVING = ("admission", "recapture")
LEAVING = ("transfer", "release", "death", "escape")


def _key_getter(columns: tuple[str, ...]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A function giving a row's key: the values of ``columns``, as a tuple."""
    if len(columns) == 1:
        (column,) = columns
        return lambda row: (row[column],)
    return lambda row: tuple(row[name] for name in columns)


class MemorySink:
    """Projection rows in dictionaries, for a rebuild: ``tables[name][key] = row``."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {
            name: {} for name in FACILITY_KEYS
        }
        self._key = {name: _key_getter(columns) for name, columns in FACILITY_KEYS.items()}

    def get(self, table: str, key: tuple[Any, ...]) -> dict[str, Any] | None:
        return self.tables[table].get(key)

    def insert(self, table: str, row: dict[str, Any]) -> None:
        key = self._key[table](row)
        rows = self.tables[table]
        if key in rows:
            raise ValueError(f"duplicate key {key} in {table}")
        rows[key] = row  # kept, not copied: every handler builds a fresh row

    def update(self, table: str, key: tuple[Any, ...], changes: dict[str, Any]) -> None:
        row = self.tables[table].get(key)
        if row is not None:
            row.update(changes)

    def bump(self, table: str, key: tuple[Any, ...], column: str, delta: int) -> None:
        row = self.tables[table].get(key)
        if row is None:
            row = dict(zip(FACILITY_KEYS[table], key, strict=True)) | {column: 0}
            self.tables[table][key] = row
        row[column] += delta


# One encoder for every row: json.dumps with options builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _dumps(value: Any) -> str:
    return _ENCODER.encode(value)


@functools.cache
def _path_ids(path: str) -> tuple[str, ...]:
    """The ids on a location path, from the root: ``"/AQ/AQ:B1/AQ:C1/"`` -> AQ, AQ:B1, AQ:C1."""
    return tuple(part for part in path.split("/") if part)


def _counted_in(sink: ProjectionSink, location: str | None) -> tuple[str, ...]:
    """The places whose occupancy counts a person at ``location``: a holding place and each
    of its ancestors, or an away place alone (none for no place or an unknown one)."""
    if location is None:
        return ()
    row = sink.get("fac_locations", (location,))
    if row is None:
        return ()
    if row["kind"] in HOLDING_KINDS:
        return _path_ids(row["path"])
    return (location,)


def _occupy(sink: ProjectionSink, places: tuple[str, ...], category: str, delta: int) -> None:
    for place in places:
        sink.bump("fac_occupancy", (place, category), "n", delta)


def _history(
    sink: ProjectionSink,
    entry: StoredEntry,
    *,
    person: str,
    category: str,
    kind: str,
    time: str,
    origin: str | None,
    destination: str | None,
    details: dict[str, Any],
) -> None:
    direction = "in" if kind in ARRIVING else "out" if kind in LEAVING else ""
    sink.insert(
        "fac_movements",
        {
            "seq": entry.seq,
            "person": person,
            "category": category,
            "kind": kind,
            "time": time,
            "origin": origin,
            "destination": destination,
            "direction": direction,
            "details": _dumps(details) if details else "{}",
        },
    )


def _location_added(sink: ProjectionSink, entry: StoredEntry, ev: LocationAdded) -> None:
    parent = sink.get("fac_locations", (ev.parent,)) if ev.parent else None
    path = (parent["path"] if parent else "/") + ev.id + "/"
    sink.insert(
        "fac_locations",
        {
            "id": ev.id,
            "facility": ev.facility,
            "parent": ev.parent,
            "kind": ev.kind,
            "path": path,
            "name_ar": ev.name_ar,
            "name_en": ev.name_en,
            "certified": ev.certified,
            "working": ev.working,
            "maximum": ev.maximum,
            "state": "active",
            "adm1": ev.adm1,
            "adm2": ev.adm2,
            "lat": ev.lat,
            "lon": ev.lon,
            "seq": entry.seq,
        },
    )


def _capacity_set(sink: ProjectionSink, _: StoredEntry, ev: CapacitySet) -> None:
    sink.update(
        "fac_locations",
        (ev.location,),
        {"certified": ev.certified, "working": ev.working, "maximum": ev.maximum},
    )


def _state_set(sink: ProjectionSink, _: StoredEntry, ev: LocationStateSet) -> None:
    sink.update("fac_locations", (ev.location,), {"state": ev.state})


def _person_columns(number: str, record: dict[str, Any]) -> dict[str, Any]:
    return {
        "name_ar": record.get("name_ar"),
        "name_latin": record.get("name_latin"),
        "search": search_key(number, record),
        "record": _dumps(record),
    }


def _admitted(sink: ProjectionSink, entry: StoredEntry, ev: PersonAdmitted) -> None:
    sink.insert(
        "fac_people",
        {
            "number": ev.number,
            "category": ev.category,
            "status": INSIDE,
            "location": ev.location,
            "facility": ev.facility,
            "since": ev.time,
            "admitted_at": ev.time,
            "seq": entry.seq,
        }
        | _person_columns(ev.number, ev.record),
    )
    _occupy(sink, _counted_in(sink, ev.location), ev.category, 1)
    details = {"override": ev.override} if ev.override else {}
    _history(
        sink,
        entry,
        person=ev.number,
        category=ev.category,
        kind="admission",
        time=ev.time,
        origin=None,
        destination=ev.location,
        details=details,
    )


def _corrected(sink: ProjectionSink, entry: StoredEntry, ev: PersonCorrected) -> None:
    row = sink.get("fac_people", (ev.number,))
    if row is None:
        return
    record = apply_correction(json.loads(row["record"]), ev)
    sink.update("fac_people", (ev.number,), _person_columns(ev.number, record))
    details = {"field": ev.field, "value": ev.value, "previous": ev.previous, "reason": ev.reason}
    _history(
        sink,
        entry,
        person=ev.number,
        category=row["category"],
        kind="correction",
        time=entry.time,
        origin=None,
        destination=None,
        details=details,
    )


def _moved(sink: ProjectionSink, entry: StoredEntry, ev: Movement) -> None:
    row = sink.get("fac_people", (ev.person,))
    if row is None:
        return
    category = row["category"]
    left = _counted_in(sink, ev.origin)
    entered = _counted_in(sink, ev.destination)
    # A move within a block leaves the block's and the facility's counts as they are: skip
    # the ancestors origin and destination share (their rows exist: the person was counted
    # in them on arrival), so that a cell move bumps two rows, not six.
    shared, most = 0, min(len(left), len(entered))
    while shared < most and left[shared] == entered[shared]:
        shared += 1
    _occupy(sink, left[shared:], category, -1)
    _occupy(sink, entered[shared:], category, 1)
    sink.update(
        "fac_people",
        (ev.person,),
        {"status": status_after(ev), "location": ev.destination, "since": ev.time},
    )
    kind = EVENT_KIND[ev.TYPE]
    _history(
        sink,
        entry,
        person=ev.person,
        category=category,
        kind=kind,
        time=ev.time,
        origin=ev.origin,
        destination=ev.destination,
        details=ev.details,
    )


def _roll_opened(sink: ProjectionSink, entry: StoredEntry, ev: RollOpened) -> None:
    sink.insert(
        "fac_rolls",
        {
            "id": ev.roll,
            "facility": ev.facility,
            "scope": ev.scope,
            "status": "open",
            "opened_at": ev.time,
            "cleared_at": None,
            "seq": entry.seq,
        },
    )


def _counted(sink: ProjectionSink, _: StoredEntry, ev: Counted) -> None:
    row = {
        "status": ev.result,
        "attempts": ev.attempt,
        "expected": ev.expected,
        "counted": ev.counted,
        "counters": _dumps(ev.counters),
        "counted_at": ev.time,
    }
    key = (ev.roll, ev.location)
    if sink.get("fac_tallies", key) is None:
        sink.insert("fac_tallies", {"roll": ev.roll, "location": ev.location} | row)
    else:
        sink.update("fac_tallies", key, row)


def _tally(row: dict[str, Any]) -> Tally:
    return Tally(row["location"], row["status"], row["attempts"], row["expected"], row["counted"])


def _resolved(sink: ProjectionSink, entry: StoredEntry, ev: DifferenceResolved) -> None:
    sink.insert(
        "fac_resolutions",
        {
            "roll": ev.roll,
            "person": ev.person,
            "location": ev.location,
            "outcome": ev.outcome,
            "found_in": ev.found_in,
            "time": ev.time,
            "note": ev.note,
            "seq": entry.seq,
        },
    )
    tallies: dict[str, Tally] = {}
    for place in (ev.location, ev.found_in):
        row = sink.get("fac_tallies", (ev.roll, place)) if place else None
        if row is not None:
            tallies[row["location"]] = _tally(row)
    for place, tally in adjust(tallies, ev).items():
        sink.update(
            "fac_tallies",
            (ev.roll, place),
            {"status": tally.status, "expected": tally.expected, "counted": tally.counted},
        )


def _cleared(sink: ProjectionSink, _: StoredEntry, ev: RollCleared) -> None:
    sink.update("fac_rolls", (ev.roll,), {"status": "cleared", "cleared_at": ev.time})


Handler = Callable[[ProjectionSink, StoredEntry, Any], None]

HANDLERS: dict[type[Any], Handler] = dict.fromkeys(MOVEMENT_EVENTS, _moved) | {
    LocationAdded: _location_added,
    CapacitySet: _capacity_set,
    LocationStateSet: _state_set,
    PersonAdmitted: _admitted,
    PersonCorrected: _corrected,
    RollOpened: _roll_opened,
    Counted: _counted,
    DifferenceResolved: _resolved,
    RollCleared: _cleared,
}


def project_facility(sink: ProjectionSink, entry: StoredEntry, event: Event) -> None:
    """Apply one event (if it is the facility's) to the projection rows."""
    handler = HANDLERS.get(type(event))
    if handler is not None:
        handler(sink, entry, event)
