"""Events of the notifications area (stream ``notification/ID``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from amanah.domain.shared import DataEvent


@dataclass(frozen=True, slots=True)
class NotificationOwed(DataEvent):
    """``notifications.owed``: id, facility, person, recipient (family, next_of_kin,
    independent_authority), reason (transfer, serious_illness, serious_injury, death,
    disappearance), cause_stream, cause_seq (the entry that owes it), time (when that
    happened), due (by when it must be given)."""

    TYPE: ClassVar[str] = "notifications.owed"

    id: str
    facility: str
    person: str
    recipient: str
    reason: str
    cause_stream: str
    cause_seq: int
    time: str
    due: str


@dataclass(frozen=True, slots=True)
class NotificationSent(DataEvent):
    """``notifications.sent``: id, time, channel, to (who was told), by, note."""

    TYPE: ClassVar[str] = "notifications.sent"

    id: str
    time: str
    channel: str
    to: str
    by: str
    note: str


@dataclass(frozen=True, slots=True)
class NotificationAcknowledged(DataEvent):
    """``notifications.acknowledged``: id, time, by, note."""

    TYPE: ClassVar[str] = "notifications.acknowledged"

    id: str
    time: str
    by: str
    note: str


NOTIFICATION_EVENTS = (NotificationOwed, NotificationSent, NotificationAcknowledged)
