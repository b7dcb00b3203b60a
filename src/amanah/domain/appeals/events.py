"""Events of appeals. Every event names its appeal by ``id`` (the ledger stream); times are
RFC 3339 UTC strings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from amanah.domain.shared import DataEvent


@dataclass(frozen=True, slots=True)
class AppealSent(DataEvent):
    """``appeals.sent``: an appeal went to a guarantor. data: ``id``, ``facility``, ``kind``
    (protection, safe_corridor, resupply, medical_evacuation), ``recipient``, ``channel``
    (radio, phone, letter, in_person, email), ``text``, ``time``, ``sitrep_sha256`` (SHA-256
    of the attached situation report's bytes, lowercase hex, or null), ``sitrep_name`` (or
    null)."""

    TYPE: ClassVar[str] = "appeals.sent"

    id: str
    facility: str
    kind: str
    recipient: str
    channel: str
    text: str
    time: str
    sitrep_sha256: str | None = None
    sitrep_name: str | None = None


@dataclass(frozen=True, slots=True)
class AppealAcknowledged(DataEvent):
    """``appeals.acknowledged``: the guarantor confirmed receipt. data: ``id``, ``time``,
    ``by`` (who confirmed), ``note`` (empty if none)."""

    TYPE: ClassVar[str] = "appeals.acknowledged"

    id: str
    time: str
    by: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class PromiseMade(DataEvent):
    """``appeals.promised``: the guarantor promised an action by a deadline (replacing any
    earlier deadline). data: ``id``, ``time``, ``action``, ``deadline`` (RFC 3339 UTC,
    after ``time``), ``by`` (who promised)."""

    TYPE: ClassVar[str] = "appeals.promised"

    id: str
    time: str
    action: str
    deadline: str
    by: str


@dataclass(frozen=True, slots=True)
class ReminderSent(DataEvent):
    """``appeals.reminded``: a reminder went to the guarantor. data: ``id``, ``time``,
    ``channel``, ``text``."""

    TYPE: ClassVar[str] = "appeals.reminded"

    id: str
    time: str
    channel: str
    text: str


@dataclass(frozen=True, slots=True)
class AppealClosed(DataEvent):
    """``appeals.closed``: the appeal ended. data: ``id``, ``time``, ``outcome`` (fulfilled,
    refused, withdrawn), ``note`` (why, for refused and withdrawn; may be empty when
    fulfilled)."""

    TYPE: ClassVar[str] = "appeals.closed"

    id: str
    time: str
    outcome: str
    note: str = ""


AppealEvent = AppealSent | AppealAcknowledged | PromiseMade | ReminderSent | AppealClosed

APPEAL_EVENTS: tuple[type[AppealEvent], ...] = (
    AppealSent,
    AppealAcknowledged,
    PromiseMade,
    ReminderSent,
    AppealClosed,
)
