"""Ledger entry ``type`` <-> domain event class, for replay and projection rebuilds."""

from __future__ import annotations

from typing import Any

from amanah.domain.access.events import ACCESS_EVENTS
from amanah.domain.appeals.events import APPEAL_EVENTS
from amanah.domain.incidents.events import INCIDENT_EVENTS
from amanah.domain.log.events import LogOpened
from amanah.domain.movements.events import MOVEMENT_EVENTS
from amanah.domain.notifications.events import NOTIFICATION_EVENTS
from amanah.domain.occurrence.events import OccurrenceRecorded
from amanah.domain.registry.events import (
    CapacitySet,
    LocationAdded,
    LocationStateSet,
    PersonAdmitted,
    PersonCorrected,
)
from amanah.domain.rollcount.events import Counted, DifferenceResolved, RollCleared, RollOpened
from amanah.domain.shared import Event
from amanah.domain.supplies.events import SUPPLY_EVENTS
from amanah.errors import EntryRejected

_CLASSES: tuple[Any, ...] = (
    LogOpened,
    OccurrenceRecorded,
    LocationAdded,
    CapacitySet,
    LocationStateSet,
    PersonAdmitted,
    PersonCorrected,
    *MOVEMENT_EVENTS,
    RollOpened,
    Counted,
    DifferenceResolved,
    RollCleared,
    *ACCESS_EVENTS,
    *SUPPLY_EVENTS,
    *APPEAL_EVENTS,
    *INCIDENT_EVENTS,
    *NOTIFICATION_EVENTS,
)
EVENT_TYPES: dict[str, Any] = {cls.TYPE: cls for cls in _CLASSES}


def decode_event(type_: str, data: dict[str, Any]) -> Event:
    """The domain event for a ledger entry's ``type`` and ``data``."""
    cls = EVENT_TYPES.get(type_)
    if cls is None:
        raise EntryRejected(f"unknown event type {type_!r}")
    try:
        event: Event = cls.from_data(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise EntryRejected(f"event {type_} has malformed data: {exc}") from exc
    return event
