"""The rules of appeals. Each ``decide_*`` checks a command against the appeal's state (None
when no appeal has that id) and returns the events; ``evolve`` folds an event into the state.

An appeal is *open* while sent, acknowledged or promised; closing it (fulfilled, refused,
withdrawn) ends it. Every step is dated no earlier than the sending; a promise no earlier
than the promise it replaces, and the closing no earlier than any step before it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from amanah.domain.appeals.commands import Acknowledge, Close, Promise, Remind, SendAppeal
from amanah.domain.appeals.errors import AppealRefused
from amanah.domain.appeals.events import (
    AppealAcknowledged,
    AppealClosed,
    AppealEvent,
    AppealSent,
    PromiseMade,
    ReminderSent,
)
from amanah.domain.shared import blank, check_aware, check_when, clean_text, format_time, one_line

KINDS = ("protection", "safe_corridor", "resupply", "medical_evacuation")
CHANNELS = ("radio", "phone", "letter", "in_person", "email")
SENT, ACKNOWLEDGED, PROMISED = "sent", "acknowledged", "promised"
OUTCOMES = ("fulfilled", "refused", "withdrawn")
OPEN_STATUSES = (SENT, ACKNOWLEDGED, PROMISED)
STATUSES = OPEN_STATUSES + OUTCOMES

MAX_ID_CHARS = 40
MAX_FACILITY_CHARS = 64
MAX_NAME_CHARS = 200
MAX_TEXT_CHARS = 8_000
MAX_NOTE_CHARS = 2_000
SHA256_HEX = re.compile(r"[0-9a-f]{64}")

Command = SendAppeal | Acknowledge | Promise | Remind | Close


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """The guarantor's confirmation of receipt: when, by whom, with what note."""

    time: str
    by: str
    note: str = ""

    def to_state(self) -> dict[str, Any]:
        return {"time": self.time, "by": self.by, "note": self.note}

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Acknowledgement:
        return cls(state["time"], state["by"], state["note"])


@dataclass(frozen=True, slots=True)
class Pledge:
    """One promise the guarantor made: when, what action, by what deadline, by whom."""

    time: str
    action: str
    deadline: str
    by: str

    def to_state(self) -> dict[str, Any]:
        return {"time": self.time, "action": self.action, "deadline": self.deadline, "by": self.by}

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Pledge:
        return cls(state["time"], state["action"], state["deadline"], state["by"])


@dataclass(frozen=True, slots=True)
class Reminder:
    """One reminder sent: when, by what channel, what it said."""

    time: str
    channel: str
    text: str

    def to_state(self) -> dict[str, Any]:
        return {"time": self.time, "channel": self.channel, "text": self.text}

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Reminder:
        return cls(state["time"], state["channel"], state["text"])


@dataclass(frozen=True, slots=True)
class Closure:
    """How the appeal ended: when, the outcome, and why (for refused and withdrawn)."""

    time: str
    outcome: str
    note: str = ""

    def to_state(self) -> dict[str, Any]:
        return {"time": self.time, "outcome": self.outcome, "note": self.note}

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Closure:
        return cls(state["time"], state["outcome"], state["note"])


@dataclass(frozen=True, slots=True)
class Appeal:
    """One appeal, folded from its stream (a :class:`~amanah.domain.shared.CaseState`).

    ``time`` is when it was sent; ``promises`` and ``reminders`` are in the order recorded
    (the last promise is the one in force).
    """

    id: str
    facility: str
    kind: str
    recipient: str
    channel: str
    text: str
    time: str
    sitrep_sha256: str | None = None
    sitrep_name: str | None = None
    status: str = SENT
    acknowledged: Acknowledgement | None = None
    promises: tuple[Pledge, ...] = ()
    reminders: tuple[Reminder, ...] = ()
    closed: Closure | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def deadline(self) -> str | None:
        """The deadline of the promise in force (RFC 3339 UTC), or None if none was made."""
        return self.promises[-1].deadline if self.promises else None

    @property
    def latest(self) -> str:
        """The time of the latest step recorded (the sending, at the earliest)."""
        times = [self.time]
        times += [self.acknowledged.time] if self.acknowledged else []
        times += [p.time for p in self.promises] + [r.time for r in self.reminders]
        times += [self.closed.time] if self.closed else []
        return max(times)

    def reminder_due(self, now: datetime) -> bool:
        """Whether the guarantor should be reminded: the appeal is open, its deadline has
        passed, and no reminder was sent after the deadline."""
        deadline = self.deadline
        if not self.is_open or deadline is None or format_time(now) <= deadline:
            return False
        return not any(r.time > deadline for r in self.reminders)

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "facility": self.facility,
            "kind": self.kind,
            "recipient": self.recipient,
            "channel": self.channel,
            "text": self.text,
            "time": self.time,
            "sitrep_sha256": self.sitrep_sha256,
            "sitrep_name": self.sitrep_name,
            "status": self.status,
            "acknowledged": self.acknowledged.to_state() if self.acknowledged else None,
            "promises": [p.to_state() for p in self.promises],
            "reminders": [r.to_state() for r in self.reminders],
            "closed": self.closed.to_state() if self.closed else None,
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Appeal:
        acknowledged = state["acknowledged"]
        closed = state["closed"]
        return cls(
            id=state["id"],
            facility=state["facility"],
            kind=state["kind"],
            recipient=state["recipient"],
            channel=state["channel"],
            text=state["text"],
            time=state["time"],
            sitrep_sha256=state["sitrep_sha256"],
            sitrep_name=state["sitrep_name"],
            status=state["status"],
            acknowledged=Acknowledgement.from_state(acknowledged) if acknowledged else None,
            promises=tuple(Pledge.from_state(p) for p in state["promises"]),
            reminders=tuple(Reminder.from_state(r) for r in state["reminders"]),
            closed=Closure.from_state(closed) if closed else None,
        )


# --- checks -------------------------------------------------------------------------------


def _required(value: str, missing: str, what: str, *, max_chars: int, line: bool) -> str:
    """Cleaned text, refused with ``missing`` when absent or blank."""
    if blank(value):
        raise AppealRefused(missing)
    if line:
        return one_line(value, what, max_chars=max_chars)
    return clean_text(value, what, max_chars=max_chars)


def _optional(value: str | None, what: str, *, max_chars: int) -> str:
    if value is None or blank(value):
        return ""
    return clean_text(value, what, max_chars=max_chars)


def _channel(value: str) -> str:
    if value not in CHANNELS:
        raise AppealRefused(f"the channel must be one of {', '.join(CHANNELS)}, not {value!r}")
    return value


def _found(appeal: Appeal | None, id_: str) -> Appeal:
    if appeal is None:
        raise AppealRefused(f"no appeal {id_}")
    return appeal


def _open(appeal: Appeal | None, id_: str, step: str) -> Appeal:
    found = _found(appeal, id_)
    if not found.is_open:
        raise AppealRefused(
            f"appeal {found.id} is {found.status}; {step} only an open appeal "
            "(sent, acknowledged or promised)"
        )
    return found


def _dated(appeal: Appeal, moment: datetime, now: datetime, what: str) -> str:
    """``moment`` as RFC 3339, refused if in the future or before the appeal was sent."""
    when = check_when(moment, now, what, AppealRefused)
    if when < appeal.time:
        raise AppealRefused(
            f"{what} is dated {when}, before appeal {appeal.id} was sent at {appeal.time}"
        )
    return when


# --- decisions ----------------------------------------------------------------------------


def decide_send(command: SendAppeal, appeal: Appeal | None, now: datetime) -> list[AppealSent]:
    """Record an appeal sent; ``appeal`` is the state of any appeal with the same id."""
    id_ = one_line(command.id, "the appeal id", max_chars=MAX_ID_CHARS)
    if appeal is not None:
        raise AppealRefused(f"appeal {id_} already exists")
    facility = one_line(command.facility, "the facility", max_chars=MAX_FACILITY_CHARS)
    if command.kind not in KINDS:
        raise AppealRefused(
            f"the kind of appeal must be one of {', '.join(KINDS)}, not {command.kind!r}"
        )
    recipient = _required(
        command.recipient,
        "an appeal needs a recipient",
        "the recipient",
        max_chars=MAX_NAME_CHARS,
        line=True,
    )
    channel = _channel(command.channel)
    text = _required(
        command.text,
        "an appeal needs its text",
        "the appeal text",
        max_chars=MAX_TEXT_CHARS,
        line=False,
    )
    when = check_when(command.time, now, "the appeal", AppealRefused)
    sha256 = command.sitrep_sha256
    if sha256 is not None and (not isinstance(sha256, str) or not SHA256_HEX.fullmatch(sha256)):
        raise AppealRefused("the situation report's sha256 must be 64 lowercase hexadecimal digits")
    name = command.sitrep_name
    if name is not None and (not isinstance(name, str) or name.strip()):
        if sha256 is None:
            raise AppealRefused("a situation report named without its sha256 is not pinned")
        name = one_line(name, "the situation report's name", max_chars=MAX_NAME_CHARS)
    else:
        name = None
    return [AppealSent(id_, facility, command.kind, recipient, channel, text, when, sha256, name)]


def decide_acknowledge(
    command: Acknowledge, appeal: Appeal | None, now: datetime
) -> list[AppealAcknowledged]:
    """Record the guarantor's acknowledgement of a sent appeal."""
    found = _found(appeal, command.id)
    if found.status != SENT:
        raise AppealRefused(
            f"appeal {found.id} is {found.status}; only a sent appeal can be acknowledged"
        )
    when = _dated(found, command.time, now, "the acknowledgement")
    by = _required(
        command.by,
        "an acknowledgement needs the name of who acknowledged",
        "the name of who acknowledged",
        max_chars=MAX_NAME_CHARS,
        line=True,
    )
    note = _optional(command.note, "the note", max_chars=MAX_NOTE_CHARS)
    return [AppealAcknowledged(found.id, when, by, note)]


def decide_promise(command: Promise, appeal: Appeal | None, now: datetime) -> list[PromiseMade]:
    """Record a promise (what and by when); a new promise replaces the deadline."""
    found = _open(appeal, command.id, "a promise is recorded on")
    when = _dated(found, command.time, now, "the promise")
    if found.promises and when < found.promises[-1].time:
        raise AppealRefused(
            f"the promise is dated {when}, before the promise it would replace, made at "
            f"{found.promises[-1].time}"
        )
    action = _required(
        command.action,
        "a promise needs the action promised",
        "the action promised",
        max_chars=MAX_NOTE_CHARS,
        line=False,
    )
    deadline = format_time(check_aware(command.deadline, "the promise's deadline"))
    if deadline <= when:
        raise AppealRefused(f"the deadline {deadline} is not after the promise, made at {when}")
    by = _required(
        command.by,
        "a promise needs the name of who promised",
        "the name of who promised",
        max_chars=MAX_NAME_CHARS,
        line=True,
    )
    return [PromiseMade(found.id, when, action, deadline, by)]


def decide_remind(command: Remind, appeal: Appeal | None, now: datetime) -> list[ReminderSent]:
    """Record a reminder sent about an open appeal."""
    found = _open(appeal, command.id, "a reminder is sent about")
    when = _dated(found, command.time, now, "the reminder")
    channel = _channel(command.channel)
    text = _required(
        command.text,
        "a reminder needs its text",
        "the reminder text",
        max_chars=MAX_TEXT_CHARS,
        line=False,
    )
    return [ReminderSent(found.id, when, channel, text)]


def decide_close(command: Close, appeal: Appeal | None, now: datetime) -> list[AppealClosed]:
    """Close an open appeal as fulfilled, refused or withdrawn (the last two with a note)."""
    found = _open(appeal, command.id, "closing applies to")
    if command.outcome not in OUTCOMES:
        raise AppealRefused(
            f"the outcome must be one of {', '.join(OUTCOMES)}, not {command.outcome!r}"
        )
    when = _dated(found, command.time, now, "the closing")
    latest = found.latest
    if when < latest:
        raise AppealRefused(
            f"the closing is dated {when}, before the appeal's latest step at {latest}"
        )
    if command.outcome == "fulfilled":
        note = _optional(command.note, "the note", max_chars=MAX_NOTE_CHARS)
    else:
        note = _required(
            command.note,
            f"closing an appeal as {command.outcome} needs a note saying why",
            "the note",
            max_chars=MAX_NOTE_CHARS,
            line=False,
        )
    return [AppealClosed(found.id, when, command.outcome, note)]


def decide(appeal: Appeal | None, command: Command, now: datetime) -> list[AppealEvent]:
    """Any appeals command: the ``decide_*`` for its type."""
    match command:
        case SendAppeal():
            return list(decide_send(command, appeal, now))
        case Acknowledge():
            return list(decide_acknowledge(command, appeal, now))
        case Promise():
            return list(decide_promise(command, appeal, now))
        case Remind():
            return list(decide_remind(command, appeal, now))
        case Close():
            return list(decide_close(command, appeal, now))
    raise TypeError(f"not an appeals command: {type(command).__name__}")


# --- folding ------------------------------------------------------------------------------


def evolve(appeal: Appeal | None, event: AppealEvent) -> Appeal:
    """The appeal after ``event``. A step of an appeal never sent, or a second sending,
    means the stream is corrupt: :class:`ValueError`."""
    if isinstance(event, AppealSent):
        if appeal is not None:
            raise ValueError(f"appeal {event.id} is sent twice")
        return Appeal(
            event.id,
            event.facility,
            event.kind,
            event.recipient,
            event.channel,
            event.text,
            event.time,
            event.sitrep_sha256,
            event.sitrep_name,
        )
    if appeal is None:
        raise ValueError(f"{event.TYPE} for appeal {event.id}, which was never sent")
    match event:
        case AppealAcknowledged():
            done = Acknowledgement(event.time, event.by, event.note)
            return replace(appeal, status=ACKNOWLEDGED, acknowledged=done)
        case PromiseMade():
            pledge = Pledge(event.time, event.action, event.deadline, event.by)
            return replace(appeal, status=PROMISED, promises=(*appeal.promises, pledge))
        case ReminderSent():
            reminder = Reminder(event.time, event.channel, event.text)
            return replace(appeal, reminders=(*appeal.reminders, reminder))
        case AppealClosed():
            closure = Closure(event.time, event.outcome, event.note)
            return replace(appeal, status=event.outcome, closed=closure)
    raise TypeError(f"not an appeals event: {type(event).__name__}")
