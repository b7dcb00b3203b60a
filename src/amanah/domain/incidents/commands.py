"""Commands to the incidents area."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class LinkedPerson:
    """A person an incident concerns, their role in it and what became of them.

    ``movement`` is the ledger seq of the person's death or escape movement (filled in by
    the service, which finds it on the register)."""

    person: str
    role: str
    outcome: str
    movement: int | None = None


@dataclass(frozen=True, slots=True)
class ReportIncident:
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
    """Something learned later: text, and people linked or whose outcome changed."""

    id: str
    time: datetime
    text: str
    people: tuple[LinkedPerson, ...] = ()


@dataclass(frozen=True, slots=True)
class ChangeStatus:
    """Put under review, close or reopen (a reason is needed to close or reopen)."""

    id: str
    status: str
    time: datetime
    reason: str = ""
