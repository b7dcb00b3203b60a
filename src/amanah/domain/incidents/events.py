"""Events of the incidents area (stream ``incident/ID``). Every event names its incident by
``id``; times are RFC 3339 UTC strings. A linked person (in ``people``) is the JSON object
``{"person": number, "role": ..., "outcome": ..., "movement": the ledger seq of their death
or escape movement, or null}``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from amanah.domain.shared import DataEvent


@dataclass(frozen=True, slots=True)
class IncidentReported(DataEvent):
    """``incidents.reported``: an incident was reported. data: ``id``, ``facility``,
    ``kind``, ``severity`` (minor, moderate, serious, critical), ``time`` (when it happened),
    ``location`` (or null), ``summary``, ``people`` (the linked persons, possibly none)."""

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
    """``incidents.addendum_added``: what was learnt later (a report is never edited).
    data: ``id``, ``time``, ``text``, ``people`` (persons newly linked, or whose role or
    outcome changed; possibly none)."""

    TYPE: ClassVar[str] = "incidents.addendum_added"

    id: str
    time: str
    text: str
    people: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class StatusChanged(DataEvent):
    """``incidents.status_changed``: data: ``id``, ``status`` (under_review, closed,
    reopened), ``time``, ``reason`` (given for closed and reopened; may be empty
    otherwise)."""

    TYPE: ClassVar[str] = "incidents.status_changed"

    id: str
    status: str
    time: str
    reason: str


IncidentEvent = IncidentReported | AddendumAdded | StatusChanged

INCIDENT_EVENTS: tuple[type[IncidentEvent], ...] = (IncidentReported, AddendumAdded, StatusChanged)
