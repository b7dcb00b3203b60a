"""Ports the services need from storage, beyond the ledger's own (:mod:`amanah.ledger.ports`).

A *unit of work* is one transaction: the ledger writer and every projection share it, so
entries and the projection rows derived from them commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from amanah.domain.rollcount.model import Roll, Tally
from amanah.domain.shared import Place
from amanah.ledger.ports import LedgerReader, LedgerWriter
from amanah.services.access_ports import AccessStore, AccessViews


@dataclass(frozen=True, slots=True)
class OccurrenceRow:
    """One line of the occurrence book as shown to people."""

    seq: int
    time: str
    by: str
    text: str
    source: str
    recorded_at: str


class OccurrenceBook(Protocol):
    """The occurrence book projection."""

    def add(self, rows: Sequence[OccurrenceRow]) -> None: ...

    def clear(self) -> None: ...

    def count(self) -> int: ...

    def latest_time(self) -> str | None: ...

    def page(
        self, *, limit: int, offset: int = 0, newest_first: bool = True
    ) -> list[OccurrenceRow]: ...


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One stream of an area kept as folded state (a store of supplies, an incident, a
    notification owed, an appeal): the state's JSON form, and the fields lists filter on."""

    stream: str
    area: str
    facility: str
    kind: str
    status: str
    time: str
    seq: int  # the stream's latest entry
    state: Mapping[str, Any]


class CaseFiles(Protocol):
    """The case-file projection: one row per stream, replaced as each event is folded in."""

    def get(self, stream: str) -> CaseRow | None: ...

    def put(self, row: CaseRow) -> None: ...

    def list(
        self,
        area: str,
        facility: str | None = None,
        *,
        statuses: Sequence[str] | None = None,
        since: str | None = None,
    ) -> list[CaseRow]:
        """The area's cases by time (then stream), optionally only some statuses, or those
        whose time is at or after ``since``."""
        ...

    def count(self, area: str) -> int: ...

    def clear(self) -> None: ...


@dataclass(frozen=True, slots=True)
class LocationRow:
    """A place as the projections hold it. ``path`` is ``/facility/.../id/``; ``occupancy``
    maps category to the people in the place and everything under it."""

    id: str
    kind: str
    facility: str
    parent: str | None
    path: str
    name_ar: str
    name_en: str
    certified: int | None
    working: int | None
    maximum: int | None
    state: str
    adm1: str | None
    adm2: str | None
    lat: str | None
    lon: str | None
    occupancy: Mapping[str, int]

    @property
    def population(self) -> int:
        return sum(self.occupancy.values())

    def place(self) -> Place:
        return Place(
            self.id,
            self.kind,
            self.facility,
            self.parent,
            self.state,
            self.certified,
            self.working,
            self.maximum,
            self.population,
        )


@dataclass(frozen=True, slots=True)
class HoldingPlace:
    """A cell, post or reception, lean (no names, no occupancy), with one roll's tally."""

    id: str
    path: str
    state: str
    certified: int | None
    working: int | None
    maximum: int | None
    tally: Tally | None
    #: Active, and under no block or wing out of order: holds people, counted at roll call.
    in_use: bool


@dataclass(frozen=True, slots=True)
class PlaceGroup:
    """Holding places (cells, posts, reception) summed by what a block's roll-status row
    needs: the place directly under the facility they are in (``top``), whether they are in
    use and in the roll's scope, and their tally's status in the roll (None: no tally).

    ``certified``, ``working`` and ``maximum`` sum the places' own capacities (None when
    none has one); ``counted_places``, ``counted`` and ``expected`` are over the places
    counted at least once (their latest count, and the register's number then)."""

    top: str
    in_use: bool
    in_scope: bool
    status: str | None
    places: int
    certified: int | None
    working: int | None
    maximum: int | None
    counted_places: int
    counted: int | None
    expected: int | None


@dataclass(frozen=True, slots=True)
class PersonRow:
    """A person on the register: where they are now and their record (after corrections)."""

    number: str
    category: str
    status: str
    location: str | None
    facility: str
    since: str
    admitted_at: str
    record: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class MovementRow:
    """One line of a person's history: the admission, a movement or a correction."""

    seq: int
    person: str
    category: str
    kind: str
    time: str
    origin: str | None
    destination: str | None
    details: Mapping[str, Any]


#: Projection tables of the facility, and the columns of each one's key, as the projector
#: writes them through a :class:`ProjectionSink`.
FACILITY_KEYS: Mapping[str, tuple[str, ...]] = {
    "fac_locations": ("id",),
    "fac_people": ("number",),
    "fac_occupancy": ("location", "category"),
    "fac_movements": ("seq",),
    "fac_rolls": ("id",),
    "fac_tallies": ("roll", "location"),
    "fac_resolutions": ("roll", "person"),
}


class ProjectionSink(Protocol):
    """Row-level writes to projection tables (named in :data:`FACILITY_KEYS`)."""

    def get(self, table: str, key: tuple[Any, ...]) -> dict[str, Any] | None: ...

    def insert(self, table: str, row: dict[str, Any]) -> None: ...

    def update(self, table: str, key: tuple[Any, ...], changes: dict[str, Any]) -> None: ...

    def bump(self, table: str, key: tuple[Any, ...], column: str, delta: int) -> None:
        """Add ``delta`` to ``column`` of the row at ``key``, creating it (0) if missing."""
        ...


class FacilityViews(Protocol):
    """Reads of the facility's projections (registry, movements, roll calls)."""

    def location(self, location_id: str) -> LocationRow | None: ...

    def locations(
        self,
        facility: str | None = None,
        kinds: Sequence[str] | None = None,
        *,
        parent: str | None = None,
    ) -> list[LocationRow]:
        """Places in path order: of one facility or all, of the given kinds or all, under
        one parent or any."""
        ...

    def holding_places(self, facility: str, roll: str | None) -> list[HoldingPlace]:
        """Every cell, post and reception of the facility (in path order), each with its
        tally in ``roll`` if it has one."""
        ...

    def place_groups(
        self, facility: str, roll: str | None, scope_path: str | None
    ) -> list[PlaceGroup]:
        """The facility's holding places summed by :class:`PlaceGroup` (a few rows per
        block): a block-level roll status without reading every cell."""
        ...

    def shortfalls(self, roll: str) -> list[tuple[str, int, Mapping[str, int]]]:
        """The places of ``roll`` to recount or resolve with fewer counted than expected:
        each with how many are missing there, and who is there now by category."""
        ...

    def roll_tallies(
        self, roll: Roll, involved: Sequence[str], *, under: str | None = None
    ) -> tuple[dict[str, Tally], int]:
        """What a count or a resolution decides on: the tallies of the ``involved`` places
        the roll counts (recorded, or pending), and how many of its other places (under
        the place ``under``, if given) are not clear."""
        ...

    def countable_places(self, location_id: str) -> int:
        """How many places a roll call over ``location_id`` would count: its cells, posts
        and reception in use, under no block or wing out of order."""
        ...

    def chain(self, location_id: str) -> list[Place]:
        """The place and its ancestors up to the facility (empty if it does not exist)."""
        ...

    def person(self, number: str) -> PersonRow | None: ...

    def search(
        self, folded: str, *, limit: int, category: str | None = None
    ) -> list[PersonRow]: ...

    def people(
        self, *, category: str, in_custody_only: bool, limit: int, offset: int = 0
    ) -> list[PersonRow]: ...

    def people_at(self, location_id: str) -> list[PersonRow]: ...

    def count_people(self, category: str | None = None) -> int: ...

    def history(self, number: str) -> list[MovementRow]: ...

    def recent_movements(self, facility: str, *, limit: int) -> list[MovementRow]:
        """The facility's latest movements (admissions and corrections included), newest
        first."""
        ...

    def population(self, facility: str | None = None) -> dict[tuple[str, str], int]:
        """People by (category, status), of one facility or all."""
        ...

    def flows(self, since: str, facility: str | None = None) -> dict[tuple[str, str], int]:
        """Arrivals and departures since a time, by (category, "in" | "out"), of one
        facility or all."""
        ...

    def open_roll(self, facility: str) -> Roll | None: ...

    def latest_roll(self, facility: str) -> Roll | None: ...

    def roll(self, roll_id: str) -> Roll | None: ...

    def count_rolls(self) -> int: ...

    def rolls(self, facility: str, *, limit: int) -> list[Roll]:
        """The facility's roll calls, newest first."""
        ...

    def tallies(self, roll_id: str) -> dict[str, Tally]: ...

    def is_resolved(self, roll_id: str, person: str) -> bool: ...


class FacilityStore(FacilityViews, ProjectionSink, Protocol):
    """The facility's projections inside a write transaction: read, write, rebuild."""

    def clear(self) -> None:
        """Empty every facility projection table."""
        ...

    def load(self, table: str, rows: Iterable[dict[str, Any]]) -> None:
        """Bulk-insert rows (a rebuild)."""
        ...


class ReadUnit(Protocol):
    """A consistent read view."""

    @property
    def ledger(self) -> LedgerReader: ...

    @property
    def occurrences(self) -> OccurrenceBook: ...

    @property
    def facility(self) -> FacilityViews: ...

    @property
    def access(self) -> AccessViews: ...

    @property
    def cases(self) -> CaseFiles: ...


class WriteUnit(Protocol):
    """One write transaction over the ledger and every projection."""

    @property
    def ledger(self) -> LedgerWriter: ...

    @property
    def occurrences(self) -> OccurrenceBook: ...

    @property
    def facility(self) -> FacilityStore: ...

    @property
    def access(self) -> AccessStore: ...

    @property
    def cases(self) -> CaseFiles: ...


class Storage(Protocol):
    """Opens units of work. ``writer()`` commits on success and rolls back on any exception."""

    def writer(self) -> AbstractContextManager[WriteUnit]: ...

    def reader(self) -> AbstractContextManager[ReadUnit]: ...

    def close(self) -> None: ...
