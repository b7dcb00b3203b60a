"""Commands to the notifications area."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Owe:
    """A notification is owed, because of the entry ``cause_seq`` of stream ``cause_stream``
    (a death, an escape, a transfer, a serious injury) that happened at ``time``."""

    id: str
    facility: str
    person: str
    recipient: str
    reason: str
    cause_stream: str
    cause_seq: int
    time: datetime


@dataclass(frozen=True, slots=True)
class MarkSent:
    """The notification was given: by what channel, to whom, by whom."""

    id: str
    time: datetime
    channel: str
    to: str
    by: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Acknowledge:
    """The recipient confirmed they were told."""

    id: str
    time: datetime
    by: str
    note: str = ""
