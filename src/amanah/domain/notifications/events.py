"""Events of the notifications area (stream ``notification/ID``). Every event names its
notification by ``id``; times are RFC 3339 UTC strings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from amanah.domain.shared import DataEvent


@dataclass(frozen=True, slots=True)
class NotificationOwed(DataEvent):
    """``notifications.owed`` (Mandela Rules 68-72): data: ``id``, ``facility``,
    ``person``, ``recipient`` (family, next_of_kin, independent_authority), ``reason``
    (transfer, serious_illness, serious_injury, death, disappearance), ``cause_stream`` and
    ``cause_seq`` (the ledger entry that owes it), ``time`` (when that happened), ``due`` (by
    when it must be given)."""

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
    """``notifications.sent``: the notification was given. data: ``id``, ``time``,
    ``channel`` (radio, phone, letter, in_person, email, message), ``to`` (who was told),
    ``by`` (who told them), ``note`` (empty if none)."""

    TYPE: ClassVar[str] = "notifications.sent"

    id: str
    time: str
    channel: str
    to: str
    by: str
    note: str


@dataclass(frozen=True, slots=True)
class NotificationAcknowledged(DataEvent):
    """``notifications.acknowledged``: the recipient confirmed they were told. data:
    ``id``, ``time``, ``by`` (who confirmed), ``note`` (empty if none)."""

    TYPE: ClassVar[str] = "notifications.acknowledged"

    id: str
    time: str
    by: str
    note: str


NotificationEvent = NotificationOwed | NotificationSent | NotificationAcknowledged

NOTIFICATION_EVENTS: tuple[type[NotificationEvent], ...] = (
    NotificationOwed,
    NotificationSent,
    NotificationAcknowledged,
)
