"""The notifications rules: what each event owes, by when, and the owed → sent →
acknowledged life of each notification."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from amanah.domain.notifications.commands import Acknowledge, MarkSent, Owe
from amanah.domain.notifications.errors import NotificationRefused
from amanah.domain.notifications.events import (
    NotificationAcknowledged,
    NotificationOwed,
    NotificationSent,
)
from amanah.domain.shared import check_aware, check_when, clean_text, format_time, one_line

FAMILY, NEXT_OF_KIN, AUTHORITY = "family", "next_of_kin", "independent_authority"
RECIPIENTS = (FAMILY, NEXT_OF_KIN, AUTHORITY)
REASONS = ("transfer", "serious_illness", "serious_injury", "death", "disappearance")
STATUSES = ("owed", "sent", "acknowledged")
CHANNELS = ("radio", "phone", "letter", "in_person", "email", "message")

#: By when each notification is due after the event that owes it.
DUE: dict[tuple[str, str], timedelta] = {
    # Rule 69: the next of kin informed of a death "at once".
    ("death", NEXT_OF_KIN): timedelta(hours=24),
    # Rule 71(1): any death reported "without delay" to an independent authority.
    ("death", AUTHORITY): timedelta(hours=24),
    # Rule 71(1): any disappearance, without delay; Rule 68: the family told.
    ("disappearance", AUTHORITY): timedelta(hours=24),
    ("disappearance", FAMILY): timedelta(hours=48),
    # Rule 68: the family told of a serious illness or injury; Rule 71(1): a serious
    # injury reported to an independent authority without delay.
    ("serious_injury", FAMILY): timedelta(hours=48),
    ("serious_injury", AUTHORITY): timedelta(hours=24),
    ("serious_illness", FAMILY): timedelta(hours=48),
    # Rule 68 and Body of Principles 16(1): the family told of a transfer.
    ("transfer", FAMILY): timedelta(hours=72),
}

#: What each kind of event owes: (recipient, reason).
OWED_FOR: dict[str, tuple[tuple[str, str], ...]] = {
    "death": ((NEXT_OF_KIN, "death"), (AUTHORITY, "death")),
    "escape": ((AUTHORITY, "disappearance"), (FAMILY, "disappearance")),
    "serious_injury": ((FAMILY, "serious_injury"), (AUTHORITY, "serious_injury")),
    "serious_illness": ((FAMILY, "serious_illness"),),
    "transfer": ((FAMILY, "transfer"),),
}


def owed_for(cause: str) -> tuple[tuple[str, str], ...]:
    """The (recipient, reason) pairs an event of kind ``cause`` owes (none if unknown)."""
    return OWED_FOR.get(cause, ())


@dataclass(frozen=True, slots=True)
class Notification:
    """One notification owed (a :class:`~amanah.domain.shared.CaseState`)."""

    id: str
    facility: str
    person: str
    recipient: str
    reason: str
    cause_stream: str
    cause_seq: int
    time: str
    due: str
    status: str = "owed"
    sent: dict[str, str] | None = None
    acknowledged: dict[str, str] | None = None

    @property
    def kind(self) -> str:
        return self.reason

    def is_overdue(self, now: datetime) -> bool:
        """Still owed after its due time (sent and not yet acknowledged is not overdue)."""
        return self.status == "owed" and format_time(now) > self.due

    def to_state(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Notification:
        return cls(**state)


def decide_owe(c: Owe, existing: Notification | None, now: datetime) -> list[NotificationOwed]:
    if existing is not None:
        raise NotificationRefused(f"notification {c.id} already exists")
    if (c.reason, c.recipient) not in DUE:
        raise NotificationRefused(f"no notification of {c.reason} is owed to {c.recipient}")
    when = check_when(c.time, now, "the event that owes it", NotificationRefused)
    due = format_time(check_aware(c.time, "the event") + DUE[(c.reason, c.recipient)])
    return [
        NotificationOwed(
            one_line(c.id, "the notification id", max_chars=40),
            one_line(c.facility, "the facility"),
            one_line(c.person, "the person"),
            c.recipient,
            c.reason,
            c.cause_stream,
            c.cause_seq,
            when,
            due,
        )
    ]


def _found(n: Notification | None, ident: str) -> Notification:
    if n is None:
        raise NotificationRefused(f"no notification {ident}")
    return n


def _note(text: str) -> str:
    return clean_text(text, "the note", max_chars=2_000) if text.strip() else ""


def decide_sent(c: MarkSent, n: Notification | None, now: datetime) -> list[NotificationSent]:
    found = _found(n, c.id)
    if found.status != "owed":
        raise NotificationRefused(f"notification {c.id} was already {found.status}")
    if c.channel not in CHANNELS:
        raise NotificationRefused(f"channel must be one of {', '.join(CHANNELS)}")
    when = check_when(c.time, now, "the notification", NotificationRefused)
    if when < found.time:
        raise NotificationRefused(
            f"notification {c.id} is dated {when}, before what owed it ({found.time})"
        )
    return [
        NotificationSent(
            c.id,
            when,
            c.channel,
            one_line(c.to, "who was told"),
            one_line(c.by, "who told them"),
            _note(c.note),
        )
    ]


def decide_acknowledged(
    c: Acknowledge, n: Notification | None, now: datetime
) -> list[NotificationAcknowledged]:
    found = _found(n, c.id)
    if found.status != "sent":
        raise NotificationRefused(
            f"notification {c.id} is {found.status}: only a sent one can be acknowledged"
        )
    when = check_when(c.time, now, "the acknowledgement", NotificationRefused)
    if found.sent is not None and when < found.sent["time"]:
        raise NotificationRefused("the acknowledgement is dated before the notification was sent")
    return [NotificationAcknowledged(c.id, when, one_line(c.by, "who acknowledged"), _note(c.note))]


def decide(n: Notification | None, c: Owe | MarkSent | Acknowledge, now: datetime) -> list[Any]:
    match c:
        case Owe():
            return list(decide_owe(c, n, now))
        case MarkSent():
            return list(decide_sent(c, n, now))
        case Acknowledge():
            return list(decide_acknowledged(c, n, now))


def evolve(n: Notification | None, event: Any) -> Notification:
    match event:
        case NotificationOwed():
            return Notification(**event.to_data())
        case NotificationSent():
            found = _found(n, event.id)
            sent = {
                "time": event.time,
                "channel": event.channel,
                "to": event.to,
                "by": event.by,
                "note": event.note,
            }
            return replace(found, status="sent", sent=sent)
        case NotificationAcknowledged():
            found = _found(n, event.id)
            ack = {"time": event.time, "by": event.by, "note": event.note}
            return replace(found, status="acknowledged", acknowledged=ack)
    raise TypeError(f"not a notifications event: {event!r}")
