"""Events of the incidents area (stream ``incident/ID``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from amanah.domain.shared import DataEvent


@dataclass(frozen=True, slots=True)
class IncidentReported(DataEvent):
    """``incidents.reported``: id, facility, kind, severity, time, location, summary,
    people (each ``{person, role, outcome, movement}``; movement: the seq of a death or
    escape movement, or null)."""

    TYPE: ClassVar[str] = "incidents.reported"

    id: str
    facility: str
    kind: str
    severity: str
    time: str
    location: str | None
    summary: str
    people: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class AddendumAdded(DataEvent):
    """``incidents.addendum_added``: id, time, text, people (as in the report)."""

    TYPE: ClassVar[str] = "incidents.addendum_added"

    id: str
    time: str
    text: str
    people: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class StatusChanged(DataEvent):
    """``incidents.status_changed``: id, status (under_review, closed, reopened), time,
    reason."""

    TYPE: ClassVar[str] = "incidents.status_changed"

    id: str
    status: str
    time: str
    reason: str


INCIDENT_EVENTS = (IncidentReported, AddendumAdded, StatusChanged)
