"""Commands to the notifications area. Times are aware datetimes; the rules date them in UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Owe:
    """A notification is owed, because of the entry ``cause_seq`` of stream ``cause_stream``
    (a death, an escape, a transfer, a serious injury or illness) that happened at ``time``.

    ``id`` (such as ``N-000001``) is allocated by the service; ``recipient`` is family,
    next_of_kin or independent_authority; ``reason`` is transfer, serious_illness,
    serious_injury, death or disappearance. It is due at ``time`` plus the delay the rules
    give that reason and recipient (:data:`~amanah.domain.notifications.model.DUE`).
    """

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
    """The notification was given: ``channel`` (radio, phone, letter, in_person, email,
    message), ``to`` (who was told, required), ``by`` (who told them)."""

    id: str
    time: datetime
    channel: str
    to: str
    by: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Acknowledge:
    """The recipient confirmed they were told; ``by`` is who confirmed it."""

    id: str
    time: datetime
    by: str
    note: str = ""
