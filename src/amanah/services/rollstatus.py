"""The headline figures: who is in custody, where, counted or not, and who is unaccounted for.

Everything is derived from the projections (the register's statuses, the occupancy kept by
movements, and the latest roll's tallies); nothing is typed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from amanah.domain.rollcount.model import CLEAR, PENDING, Tally
from amanah.domain.shared import (
    CATEGORIES,
    GONE,
    HOLDING_KINDS,
    IN_TRANSIT,
    INSIDE,
    OUT,
    format_time,
)
from amanah.services.ports import FacilityViews, LocationRow, PlaceGroup

LEVELS = ("block", "cell")


def _capacity(own: int | None, summed: int | None) -> int | None:
    """A block's or wing's own capacity or, without one, the sum over its places in use."""
    return own if own is not None else summed


def _predominant(occupancy: dict[str, int] | Any) -> str:
    if not occupancy:
        return "detainee"
    return max(CATEGORIES, key=lambda c: (occupancy.get(c, 0), c == "detainee"))


def roll_status(
    views: FacilityViews, facility: str, now: datetime, zone: tzinfo, level: str = "block"
) -> dict[str, Any]:
    """Headline figures by category and one row per block (or per cell, post, reception).

    The block level reads a handful of small queries (every cell is summed per block in the
    database: :meth:`~amanah.services.ports.FacilityViews.place_groups`), so that a
    6,000-cell facility answers in tens of milliseconds; the cell level reads every cell."""
    root = views.location(facility)
    roll = views.latest_roll(facility)
    scope = views.location(roll.scope) if roll is not None else None
    scope_path = scope.path if scope else None

    population = views.population(facility)
    midnight = now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    flows = views.flows(format_time(midnight.astimezone(UTC)), facility)
    unaccounted = dict.fromkeys(CATEGORIES, 0)
    if roll is not None and roll.status == "open":
        for _, missing, occupancy in views.shortfalls(roll.id):
            unaccounted[_predominant(occupancy)] += missing

    by_category: dict[str, dict[str, int]] = {}
    for category in CATEGORIES:
        count = {s: population.get((category, s), 0) for s in (INSIDE, OUT, IN_TRANSIT, *GONE)}
        by_category[category] = {
            "in_custody": count[INSIDE] + count[OUT] + count[IN_TRANSIT],
            "in_cells": count[INSIDE],
            "out": count[OUT],
            "in_transit": count[IN_TRANSIT],
            "arrived_today": flows.get((category, "in"), 0),
            "left_today": flows.get((category, "out"), 0),
            "unaccounted": unaccounted[category],
        } | {status: count[status] for status in GONE}
    total = {key: sum(c[key] for c in by_category.values()) for key in by_category["detainee"]}

    if level == "cell":
        groups, rows = _cells(views, facility, roll.id if roll else None, scope_path)
    else:
        groups = _blocks(views.place_groups(facility, roll.id if roll else None, scope_path))
        rows = sorted(
            views.locations(facility, ("block", "wing", *HOLDING_KINDS), parent=facility),
            key=lambda p: (p.kind in HOLDING_KINDS, p.path),
        )
    every = _Group()
    for group in groups.values():
        every.add(group)
    locations = []
    for row in rows:
        group = groups.get(row.id, _Group())
        expected = row.population
        own = row.kind in HOLDING_KINDS
        capacity = row.certified if own else _capacity(row.certified, group.certified)
        working = row.working if own else _capacity(row.working, group.working)
        maximum = row.maximum if own else _capacity(row.maximum, group.maximum)
        room = working if working is not None else capacity
        locations.append(
            {
                "id": row.id,
                "kind": row.kind,
                "name": row.name_ar,
                "name_ar": row.name_ar,
                "name_en": row.name_en,
                "state": row.state,
                "expected": expected,
                "by_category": {c: row.occupancy.get(c, 0) for c in CATEGORIES},
                "counted": group.counted if group.counted_places else None,
                # The register's number when those places were counted (movements since then
                # change "expected", not a past count).
                "expected_at_count": group.expected if group.counted_places else None,
                "places_counted": sum(group.statuses.get(s, 0) for s in CLEAR),
                "places": sum(group.statuses.values()),
                "roll_status": group.worst(),
                "capacity": capacity,
                "working_capacity": working,
                "maximum_capacity": maximum,
                "vacancies": max(0, room - expected) if room is not None else None,
                "overcrowded": capacity is not None and expected > capacity,
            }
        )
    roll_info = None
    if roll is not None:
        roll_info = {
            "id": roll.id,
            "scope": roll.scope,
            "status": roll.status,
            "opened_at": roll.opened_at,
            "places": sum(every.statuses.values()),
        } | {
            s: every.statuses.get(s, 0)
            for s in (PENDING, "matched", "recount", "unresolved", "resolved")
        }
    return {
        "facility": {
            "id": facility,
            "name_ar": root.name_ar if root else facility,
            "name_en": root.name_en if root else facility,
        },
        "as_of": format_time(now),
        "by_category": by_category,
        "total": total,
        "roll": roll_info,
        "locations": locations,
    }


@dataclass
class _Group:
    """One row's sums: capacities of its places in use (None where none has one), and the
    statuses and counts of its places in the roll."""

    certified: int | None = None
    working: int | None = None
    maximum: int | None = None
    statuses: dict[str, int] = field(default_factory=dict)
    counted_places: int = 0
    counted: int = 0
    expected: int = 0

    def add(self, other: _Group) -> None:
        self.certified = _plus(self.certified, other.certified)
        self.working = _plus(self.working, other.working)
        self.maximum = _plus(self.maximum, other.maximum)
        for status, n in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + n
        self.counted_places += other.counted_places
        self.counted += other.counted
        self.expected += other.expected

    def worst(self) -> str | None:
        if not self.statuses:
            return None
        for worst in ("unresolved", "recount", PENDING):
            if self.statuses.get(worst):
                return worst
        return "resolved" if self.statuses.get("resolved") else "matched"


def _plus(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else a + b


def _blocks(rows: list[PlaceGroup]) -> dict[str, _Group]:
    """Each top-level place's :class:`_Group` from the database's sums. A place is in the
    roll when it has a tally, or is in use and in the roll's scope (then pending)."""
    groups: dict[str, _Group] = {}
    for r in rows:
        part = _Group()
        if r.in_use:
            part.certified, part.working, part.maximum = r.certified, r.working, r.maximum
        status = r.status if r.status is not None else PENDING if r.in_use and r.in_scope else None
        if status is not None:
            part.statuses[status] = r.places
            part.counted_places = r.counted_places
            part.counted, part.expected = r.counted or 0, r.expected or 0
        groups.setdefault(r.top, _Group()).add(part)
    return groups


def _cells(
    views: FacilityViews, facility: str, roll: str | None, scope_path: str | None
) -> tuple[dict[str, _Group], list[LocationRow]]:
    """One :class:`_Group` per holding place, and the rows to show (every holding place)."""
    groups: dict[str, _Group] = {}
    for place in views.holding_places(facility, roll):
        group = groups.setdefault(place.id, _Group())
        tally = place.tally
        if tally is None and roll is not None and place.in_use and scope_path is not None:
            tally = Tally(place.id) if place.path.startswith(scope_path) else None
        if tally is not None:
            group.statuses[tally.status] = 1
            if tally.attempts:
                group.counted_places, group.counted, group.expected = (
                    1,
                    tally.counted,
                    tally.expected,
                )
    return groups, views.locations(facility, HOLDING_KINDS)
