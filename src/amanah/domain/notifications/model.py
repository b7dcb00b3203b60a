"""The notifications rules (UN Nelson Mandela Rules 68–72): what each event owes, to whom,
by when, and the owed → sent → acknowledged life of each notification. Each ``decide_*``
checks a command against the notification's state (None when no notification has that id)
and returns the events; ``evolve`` folds an event into the state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from amanah.domain.notifications.commands import Acknowledge, MarkSent, Owe
from amanah.domain.notifications.errors import NotificationRefused
from amanah.domain.notifications.events import (
    NotificationAcknowledged,
    NotificationEvent,
    NotificationOwed,
    NotificationSent,
)
from amanah.domain.shared import (
    blank,
    check_aware,
    check_when,
    check_whole,
    clean_text,
    format_time,
    one_line,
    one_of,
)

FAMILY, NEXT_OF_KIN, AUTHORITY = "family", "next_of_kin", "independent_authority"
RECIPIENTS = (FAMILY, NEXT_OF_KIN, AUTHORITY)
TRANSFER, SERIOUS_ILLNESS, SERIOUS_INJURY, DEATH, DISAPPEARANCE = (
    "transfer",
    "serious_illness",
    "serious_injury",
    "death",
    "disappearance",
)
REASONS = (TRANSFER, SERIOUS_ILLNESS, SERIOUS_INJURY, DEATH, DISAPPEARANCE)
OWED, SENT, ACKNOWLEDGED = "owed", "sent", "acknowledged"
STATUSES = (OWED, SENT, ACKNOWLEDGED)
CHANNELS = ("radio", "phone", "letter", "in_person", "email", "message")

# --- By when each notification is due after the event that owes it -----------------------

# Rule 69: "In the event of a prisoner's death, the prison director shall at once inform the
# prisoner's next of kin or emergency contact." "At once" is held to 24 hours.
DEATH_NEXT_OF_KIN_DELAY = timedelta(hours=24)
# Rule 71(1): the director "shall report, without delay, any custodial death, disappearance
# or serious injury to a judicial or other competent authority that is independent of the
# prison administration". "Without delay" is held to 24 hours.
DEATH_AUTHORITY_DELAY = timedelta(hours=24)
DISAPPEARANCE_AUTHORITY_DELAY = timedelta(hours=24)
SERIOUS_INJURY_AUTHORITY_DELAY = timedelta(hours=24)
# Rule 68: the family or designated contact informed of a serious illness or injury; Rule 69
# (second sentence) for health information. By extension of Rules 68 and 71, the family of
# a person who disappeared (escaped) from custody. Held to 48 hours.
DISAPPEARANCE_FAMILY_DELAY = timedelta(hours=48)
SERIOUS_INJURY_FAMILY_DELAY = timedelta(hours=48)
SERIOUS_ILLNESS_FAMILY_DELAY = timedelta(hours=48)
# Rule 68 and Body of Principles principle 16(1): the family informed of a transfer to
# another place of detention. Held to 72 hours.
TRANSFER_FAMILY_DELAY = timedelta(hours=72)

#: (reason, recipient) -> how long after the event the notification is due.
DUE: dict[tuple[str, str], timedelta] = {
    (DEATH, NEXT_OF_KIN): DEATH_NEXT_OF_KIN_DELAY,
    (DEATH, AUTHORITY): DEATH_AUTHORITY_DELAY,
    (DISAPPEARANCE, AUTHORITY): DISAPPEARANCE_AUTHORITY_DELAY,
    (DISAPPEARANCE, FAMILY): DISAPPEARANCE_FAMILY_DELAY,
    (SERIOUS_INJURY, FAMILY): SERIOUS_INJURY_FAMILY_DELAY,
    (SERIOUS_INJURY, AUTHORITY): SERIOUS_INJURY_AUTHORITY_DELAY,
    (SERIOUS_ILLNESS, FAMILY): SERIOUS_ILLNESS_FAMILY_DELAY,
    (TRANSFER, FAMILY): TRANSFER_FAMILY_DELAY,
}

#: What each cause owes: (recipient, reason) pairs, the most urgent first.
OWED_FOR: dict[str, tuple[tuple[str, str], ...]] = {
    "death": ((NEXT_OF_KIN, DEATH), (AUTHORITY, DEATH)),
    "escape": ((AUTHORITY, DISAPPEARANCE), (FAMILY, DISAPPEARANCE)),
    "serious_injury": ((FAMILY, SERIOUS_INJURY), (AUTHORITY, SERIOUS_INJURY)),
    "serious_illness": ((FAMILY, SERIOUS_ILLNESS),),
    "transfer": ((FAMILY, TRANSFER),),
}
CAUSES = tuple(OWED_FOR)

MAX_ID_CHARS = 40
MAX_FACILITY_CHARS = 64
MAX_NAME_CHARS = 200
MAX_NOTE_CHARS = 2_000
MAX_SEQ = 2**63 - 1  # a ledger seq is a signed 64-bit integer in storage

Command = Owe | MarkSent | Acknowledge


@dataclass(frozen=True, slots=True)
class Trigger:
    """What happened, in plain values: ``cause`` is transfer (a person transferred out),
    death, escape (a disappearance), serious_injury or serious_illness; ``person`` is who it
    happened to (for the caller's use; what is owed depends on the cause alone)."""

    cause: str
    person: str | None = None


def owed_for(trigger: Trigger | str) -> list[tuple[str, str]]:
    """The (recipient, reason) pairs that ``trigger`` (or a bare cause) owes."""
    cause = trigger.cause if isinstance(trigger, Trigger) else trigger
    owed = OWED_FOR.get(cause)
    if owed is None:
        raise NotificationRefused(
            f"the cause of a notification must be one of {', '.join(CAUSES)}, not {cause!r}"
        )
    return list(owed)


@dataclass(frozen=True, slots=True)
class Sending:
    """How a notification was given: when, by what channel, to whom, by whom."""

    time: str
    channel: str
    to: str
    by: str
    note: str = ""

    def to_state(self) -> dict[str, Any]:
        return {
            "time": self.time,
            "channel": self.channel,
            "to": self.to,
            "by": self.by,
            "note": self.note,
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Sending:
        return cls(state["time"], state["channel"], state["to"], state["by"], state["note"])


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """The recipient's confirmation: when, by whom, with what note."""

    time: str
    by: str
    note: str = ""

    def to_state(self) -> dict[str, Any]:
        return {"time": self.time, "by": self.by, "note": self.note}

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Acknowledgement:
        return cls(state["time"], state["by"], state["note"])


@dataclass(frozen=True, slots=True)
class Notification:
    """One notification owed, folded from its stream (a
    :class:`~amanah.domain.shared.CaseState` whose ``kind`` is the reason).

    ``time`` is when the event that owes it happened, ``due`` by when it must be given.
    """

    id: str
    facility: str
    person: str
    recipient: str
    reason: str
    cause_stream: str
    cause_seq: int
    time: str
    due: str
    status: str = OWED
    sent: Sending | None = None
    acknowledged: Acknowledgement | None = None

    @property
    def kind(self) -> str:
        return self.reason

    def is_overdue(self, now: datetime) -> bool:
        """Still owed after its due time. Once sent it is not overdue, acknowledged or not:
        the duty was to tell, and the telling is recorded."""
        due = datetime.fromisoformat(self.due)
        return self.status == OWED and check_aware(now, "the time now") > due

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "facility": self.facility,
            "person": self.person,
            "recipient": self.recipient,
            "reason": self.reason,
            "cause_stream": self.cause_stream,
            "cause_seq": self.cause_seq,
            "time": self.time,
            "due": self.due,
            "status": self.status,
            "sent": self.sent.to_state() if self.sent else None,
            "acknowledged": self.acknowledged.to_state() if self.acknowledged else None,
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Notification:
        sent = state["sent"]
        acknowledged = state["acknowledged"]
        return cls(
            id=state["id"],
            facility=state["facility"],
            person=state["person"],
            recipient=state["recipient"],
            reason=state["reason"],
            cause_stream=state["cause_stream"],
            cause_seq=state["cause_seq"],
            time=state["time"],
            due=state["due"],
            status=state["status"],
            sent=Sending.from_state(sent) if sent else None,
            acknowledged=Acknowledgement.from_state(acknowledged) if acknowledged else None,
        )


# --- checks -------------------------------------------------------------------------------


def _one_of(value: object, allowed: tuple[str, ...], what: str) -> str:
    return one_of(value, allowed, what, NotificationRefused)


def _name(value: str, missing: str, what: str) -> str:
    if blank(value):
        raise NotificationRefused(missing)
    return one_line(value, what, max_chars=MAX_NAME_CHARS)


def _note(value: str) -> str:
    return "" if blank(value) else clean_text(value, "the note", max_chars=MAX_NOTE_CHARS)


def _found(notification: Notification | None, id_: str) -> Notification:
    if notification is None:
        raise NotificationRefused(f"no notification {id_}")
    return notification


# --- decisions ----------------------------------------------------------------------------


def decide_owe(
    command: Owe, notification: Notification | None, now: datetime
) -> list[NotificationOwed]:
    """Owe a notification; ``notification`` is the state of any with the same id."""
    id_ = one_line(command.id, "the notification id", max_chars=MAX_ID_CHARS)
    if notification is not None:
        raise NotificationRefused(f"notification {id_} already exists")
    facility = one_line(command.facility, "the facility", max_chars=MAX_FACILITY_CHARS)
    person = one_line(command.person, "the person", max_chars=MAX_NAME_CHARS)
    recipient = _one_of(command.recipient, RECIPIENTS, "the recipient")
    reason = _one_of(command.reason, REASONS, "the reason")
    delay = DUE.get((reason, recipient))
    if delay is None:
        owed = [r for (why, r) in DUE if why == reason]
        raise NotificationRefused(
            f"no rule owes the {recipient} a notification of {reason}; "
            f"it is owed to the {' and the '.join(owed)}"
        )
    cause_stream = one_line(command.cause_stream, "the cause stream", max_chars=MAX_NAME_CHARS)
    cause_seq = check_whole(command.cause_seq, "the cause seq", 0, MAX_SEQ, NotificationRefused)
    when = check_when(
        command.time, now, "the event that owes the notification", NotificationRefused
    )
    return [
        NotificationOwed(
            id_,
            facility,
            person,
            recipient,
            reason,
            cause_stream,
            cause_seq,
            when,
            _plus(when, delay),
        )
    ]


def _plus(when: str, delay: timedelta) -> str:
    """``when`` (RFC 3339 UTC) plus ``delay``, as RFC 3339 UTC."""
    return format_time(datetime.fromisoformat(when) + delay)


def decide_sent(
    command: MarkSent, notification: Notification | None, now: datetime
) -> list[NotificationSent]:
    """Record that a notification owed was given."""
    found = _found(notification, command.id)
    if found.status == SENT and found.sent is not None:
        raise NotificationRefused(
            f"notification {found.id} was sent at {found.sent.time}; it awaits acknowledgement"
        )
    if found.status != OWED:
        raise NotificationRefused(f"notification {found.id} is already {found.status}")
    channel = _one_of(command.channel, CHANNELS, "the channel")
    when = check_when(command.time, now, "the sending", NotificationRefused)
    if when < found.time:
        raise NotificationRefused(
            f"the sending is dated {when}, before what owes notification {found.id} "
            f"happened at {found.time}"
        )
    to = _name(command.to, "a notification sent needs who was told", "who was told")
    by = _name(command.by, "a notification sent needs who told them", "who told them")
    return [NotificationSent(found.id, when, channel, to, by, _note(command.note))]


def decide_acknowledged(
    command: Acknowledge, notification: Notification | None, now: datetime
) -> list[NotificationAcknowledged]:
    """Record the recipient's confirmation of a notification sent."""
    found = _found(notification, command.id)
    if found.status != SENT or found.sent is None:
        raise NotificationRefused(
            f"notification {found.id} is {found.status}; only a sent notification can be "
            "acknowledged"
        )
    when = check_when(command.time, now, "the acknowledgement", NotificationRefused)
    if when < found.sent.time:
        raise NotificationRefused(
            f"the acknowledgement is dated {when}, before notification {found.id} was sent "
            f"at {found.sent.time}"
        )
    by = _name(
        command.by, "an acknowledgement needs the name of who acknowledged", "who acknowledged"
    )
    return [NotificationAcknowledged(found.id, when, by, _note(command.note))]


def decide(
    notification: Notification | None, command: Command, now: datetime
) -> list[NotificationEvent]:
    """Any notifications command: the ``decide_*`` for its type."""
    match command:
        case Owe():
            return list(decide_owe(command, notification, now))
        case MarkSent():
            return list(decide_sent(command, notification, now))
        case Acknowledge():
            return list(decide_acknowledged(command, notification, now))
    raise TypeError(f"not a notifications command: {type(command).__name__}")


# --- folding ------------------------------------------------------------------------------


def evolve(notification: Notification | None, event: NotificationEvent) -> Notification:
    """The notification after ``event``. A step of a notification never owed, or a second
    owing, means the stream is corrupt: :class:`ValueError`."""
    if isinstance(event, NotificationOwed):
        if notification is not None:
            raise ValueError(f"notification {event.id} is owed twice")
        return Notification(
            event.id,
            event.facility,
            event.person,
            event.recipient,
            event.reason,
            event.cause_stream,
            event.cause_seq,
            event.time,
            event.due,
        )
    if notification is None:
        raise ValueError(f"{event.TYPE} for notification {event.id}, which was never owed")
    match event:
        case NotificationSent():
            sent = Sending(event.time, event.channel, event.to, event.by, event.note)
            return replace(notification, status=SENT, sent=sent)
        case NotificationAcknowledged():
            ack = Acknowledgement(event.time, event.by, event.note)
            return replace(notification, status=ACKNOWLEDGED, acknowledged=ack)
    raise TypeError(f"not a notifications event: {type(event).__name__}")
