"""The case-file projection of the areas kept as folded stream state.

Supplies, incidents, notifications and appeals are small streams read whole: a store's
books, an incident and its addenda, an appeal and its reminders. Each event is folded into
its stream's state by the area's own ``evolve`` and the result replaces the stream's row,
inside the write transaction (so the next decision sees it) and on rebuild alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from amanah.domain.appeals import model as appeals
from amanah.domain.incidents import model as incidents
from amanah.domain.notifications import model as notifications
from amanah.domain.shared import CaseState, Event
from amanah.domain.supplies import model as supplies
from amanah.ledger.ports import StoredEntry
from amanah.services.ports import CaseFiles, CaseRow


@dataclass(frozen=True, slots=True)
class Area:
    """How an area's state is read back from its case file and folded forward."""

    load: Callable[[str, dict[str, Any]], Any]  # (kind, state JSON) -> state
    evolve: Callable[[Any, Any], Any]  # (state | None, event) -> state


AREAS: dict[str, Area] = {
    "supplies": Area(supplies.from_state, supplies.evolve),
    "appeals": Area(lambda _kind, state: appeals.Appeal.from_state(state), appeals.evolve),
    "incidents": Area(lambda _kind, state: incidents.Incident.from_state(state), incidents.evolve),
    "notifications": Area(
        lambda _kind, state: notifications.Notification.from_state(state), notifications.evolve
    ),
}


#: The stream prefix, id prefix and id width of each area whose ids Amanah gives.
NUMBERING = {
    "appeals": ("appeal", "AP", 4),
    "incidents": ("incident", "I", 4),
    "notifications": ("notification", "N", 6),
}


def next_id(cases: CaseFiles, area: str) -> str:
    """The next free id of ``area`` (``AP-0001``...), counting cases added in this unit."""
    stream, prefix, width = NUMBERING[area]
    n = cases.count(area) + 1
    while cases.get(f"{stream}/{prefix}-{n:0{width}d}") is not None:
        n += 1
    return f"{prefix}-{n:0{width}d}"


def area_of(event: Event) -> str | None:
    """The case-file area an event belongs to, or ``None`` (the facility, the log...)."""
    area = event.TYPE.partition(".")[0]
    return area if area in AREAS else None


def load(row: CaseRow | None) -> Any:
    """The state of a case file (``None`` when there is none)."""
    if row is None:
        return None
    return AREAS[row.area].load(row.kind, dict(row.state))


def project_case(cases: CaseFiles, entry: StoredEntry, event: Event, area: str) -> None:
    """Fold ``event`` (appended as ``entry``) into its stream's case file."""
    found = cases.get(entry.stream)
    state: CaseState = AREAS[area].evolve(load(found), event)
    cases.put(
        CaseRow(
            entry.stream,
            area,
            state.facility,
            state.kind,
            state.status,
            state.time,
            entry.seq,
            state.to_state(),
        )
    )
