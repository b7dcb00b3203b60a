"""Commands to the incidents area. Times are aware datetimes; the rules date them in UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class LinkedPerson:
    """A person an incident concerns, their role in it and what became of them.

    ``person`` is their number on the register (``D-000123``); ``role`` is victim, injured,
    deceased, escapee, suspect, witness, hostage, responder or reporter; ``outcome`` is
    unharmed, injured, seriously_injured, dead, escaped, recaptured, released, hospitalised
    or unknown. ``movement`` is the ledger seq of the person's death or escape movement
    (filled in by the service, which finds it on the register); a deceased or escapee link
    needs it."""

    person: str
    role: str
    outcome: str
    movement: int | None = None


@dataclass(frozen=True, slots=True)
class ReportIncident:
    """Report an incident.

    ``id`` (such as ``I-0001``) is allocated by the service; ``kind`` is one of
    :data:`~amanah.domain.incidents.model.KINDS`; ``severity`` is minor, moderate, serious or
    critical; ``time`` is when it happened; ``location`` where (optional); ``summary`` what
    happened. A death needs someone linked as deceased, an escape someone as escapee.
    """

    id: str
    facility: str
    kind: str
    severity: str
    time: datetime
    location: str | None
    summary: str
    people: tuple[LinkedPerson, ...] = ()


@dataclass(frozen=True, slots=True)
class AddAddendum:
    """Something learned later about an incident that is not closed: ``text``, and people
    newly linked or whose role or outcome changed (a later link of the same person replaces
    the earlier one in the current list; both stay in the history)."""

    id: str
    time: datetime
    text: str
    people: tuple[LinkedPerson, ...] = ()


@dataclass(frozen=True, slots=True)
class ChangeStatus:
    """Put under review, close or reopen. From open: under_review or closed; from
    under_review: closed; from closed: reopened; from reopened: under_review or closed.
    Closing and reopening need a ``reason``."""

    id: str
    status: str
    time: datetime
    reason: str = ""
