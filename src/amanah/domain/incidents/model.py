"""The incidents rules: ``decide_*`` turns a command into events, ``evolve`` folds them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from amanah.domain.incidents.commands import (
    AddAddendum,
    ChangeStatus,
    LinkedPerson,
    ReportIncident,
)
from amanah.domain.incidents.errors import IncidentRefused
from amanah.domain.incidents.events import AddendumAdded, IncidentReported, StatusChanged
from amanah.domain.shared import check_when, clean_text, one_line

KINDS = (
    "attack",
    "breach_attempt",
    "breach",
    "escape",
    "riot",
    "hostage",
    "fire",
    "injury",
    "death",
    "water_loss",
    "power_loss",
    "fuel_loss",
    "communications_loss",
    "medical_emergency",
    "food_refusal",
)
ATTACK_KINDS = ("attack", "breach_attempt", "breach")
UTILITY_KINDS = ("water_loss", "power_loss", "fuel_loss", "communications_loss")
SEVERITIES = ("minor", "moderate", "serious", "critical")
STATUSES = ("open", "under_review", "closed", "reopened")
OPEN_STATUSES = ("open", "under_review", "reopened")
ROLES = (
    "victim",
    "injured",
    "deceased",
    "escapee",
    "suspect",
    "witness",
    "hostage",
    "responder",
    "reporter",
)
OUTCOMES = (
    "unharmed",
    "injured",
    "seriously_injured",
    "dead",
    "escaped",
    "recaptured",
    "released",
    "hospitalised",
    "unknown",
)
#: status -> the statuses it may change to.
TRANSITIONS = {
    "open": ("under_review", "closed"),
    "under_review": ("closed",),
    "closed": ("reopened",),
    "reopened": ("under_review", "closed"),
}
#: An incident of this kind needs someone linked in this role, with their movement.
NEEDS_MOVEMENT = {"death": ("deceased", "death"), "escape": ("escapee", "escape")}
MAX_TEXT_CHARS = 8_000


@dataclass(frozen=True, slots=True)
class Incident:
    """One incident (a :class:`~amanah.domain.shared.CaseState`): the report as made, the
    people linked now (a later link replaces an earlier one's role and outcome), the
    addenda in order, and the status history."""

    id: str
    facility: str
    kind: str
    severity: str
    time: str
    location: str | None
    summary: str
    people: tuple[dict[str, Any], ...] = ()
    addenda: tuple[dict[str, Any], ...] = ()
    status: str = "open"
    history: tuple[dict[str, str], ...] = field(default_factory=tuple)

    @property
    def serious(self) -> bool:
        return self.severity in ("serious", "critical") or any(
            p["outcome"] in ("seriously_injured", "dead") for p in self.people
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def to_state(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "facility": self.facility,
            "kind": self.kind,
            "severity": self.severity,
            "time": self.time,
            "location": self.location,
            "summary": self.summary,
            "people": [dict(p) for p in self.people],
            "addenda": [dict(a) for a in self.addenda],
            "status": self.status,
            "history": [dict(h) for h in self.history],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Incident:
        return cls(
            **(
                state
                | {
                    "people": tuple(state["people"]),
                    "addenda": tuple(state["addenda"]),
                    "history": tuple(state["history"]),
                }
            )
        )


def _choice(value: str, allowed: Sequence[str], what: str) -> str:
    if value not in allowed:
        raise IncidentRefused(f"{what} {value!r} is not one of {', '.join(allowed)}")
    return value


def _people(people: Iterable[LinkedPerson]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    seen: set[str] = set()
    for p in people:
        number = one_line(p.person, "the person's number", max_chars=40)
        if number in seen:
            raise IncidentRefused(f"{number} is linked twice")
        seen.add(number)
        _choice(p.role, ROLES, f"the role of {number}")
        _choice(p.outcome, OUTCOMES, f"the outcome for {number}")
        if p.movement is not None and (isinstance(p.movement, bool) or p.movement < 0):
            raise IncidentRefused(f"the movement of {number} must be a ledger entry number")
        found.append(
            {"person": number, "role": p.role, "outcome": p.outcome, "movement": p.movement}
        )
    return found


def _movements(kind: str, people: list[dict[str, Any]]) -> None:
    needed = NEEDS_MOVEMENT.get(kind)
    if needed is None:
        return
    role, movement = needed
    linked = [p for p in people if p["role"] == role]
    if not linked:
        raise IncidentRefused(f"a {kind} incident links the person concerned, as {role}")
    for p in linked:
        if p["movement"] is None:
            raise IncidentRefused(
                f"record the {movement} of {p['person']} as a movement first "
                f"(amanah move {movement} {p['person']} ...), then link it"
            )


def decide_report(
    c: ReportIncident, existing: Incident | None, now: datetime
) -> list[IncidentReported]:
    ident = one_line(c.id, "the incident id", max_chars=40)
    if existing is not None:
        raise IncidentRefused(f"incident {ident} already exists")
    _choice(c.kind, KINDS, "the kind")
    _choice(c.severity, SEVERITIES, "the severity")
    people = _people(c.people)
    _movements(c.kind, people)
    return [
        IncidentReported(
            ident,
            one_line(c.facility, "the facility"),
            c.kind,
            c.severity,
            check_when(c.time, now, "the incident", IncidentRefused),
            one_line(c.location, "the location") if c.location else None,
            clean_text(c.summary, "the summary", max_chars=MAX_TEXT_CHARS),
            people,
        )
    ]


def _found(incident: Incident | None, ident: str) -> Incident:
    if incident is None:
        raise IncidentRefused(f"no incident {ident}")
    return incident


def decide_addendum(
    c: AddAddendum, incident: Incident | None, now: datetime
) -> list[AddendumAdded]:
    found = _found(incident, c.id)
    if found.status == "closed":
        raise IncidentRefused(f"incident {c.id} is closed: reopen it first, with a reason")
    when = check_when(c.time, now, "the addendum", IncidentRefused)
    if when < found.time:
        raise IncidentRefused(f"the addendum is dated before incident {c.id} ({found.time})")
    people = _people(c.people)
    for p in people:
        if p["role"] in ("deceased", "escapee") and p["movement"] is None:
            movement = "death" if p["role"] == "deceased" else "escape"
            raise IncidentRefused(
                f"record the {movement} of {p['person']} as a movement first, then link it"
            )
    return [
        AddendumAdded(
            c.id, when, clean_text(c.text, "the addendum", max_chars=MAX_TEXT_CHARS), people
        )
    ]


def decide_status(c: ChangeStatus, incident: Incident | None, now: datetime) -> list[StatusChanged]:
    found = _found(incident, c.id)
    allowed = TRANSITIONS[found.status]
    if c.status not in allowed:
        raise IncidentRefused(
            f"incident {c.id} is {found.status}; it can become {' or '.join(allowed)}, "
            f"not {c.status}"
        )
    when = check_when(c.time, now, "the change", IncidentRefused)
    if c.status in ("closed", "reopened") and not c.reason.strip():
        raise IncidentRefused(f"to mark incident {c.id} {c.status}, give the reason")
    reason = clean_text(c.reason, "the reason", max_chars=2_000) if c.reason.strip() else ""
    return [StatusChanged(c.id, c.status, when, reason)]


def decide(
    incident: Incident | None, c: ReportIncident | AddAddendum | ChangeStatus, now: datetime
) -> list[Any]:
    match c:
        case ReportIncident():
            return list(decide_report(c, incident, now))
        case AddAddendum():
            return list(decide_addendum(c, incident, now))
        case ChangeStatus():
            return list(decide_status(c, incident, now))


def _merge(
    people: tuple[dict[str, Any], ...], added: list[dict[str, Any]]
) -> tuple[dict[str, Any], ...]:
    merged = {p["person"]: p for p in people}
    for p in added:
        merged[p["person"]] = p
    return tuple(merged.values())


def evolve(incident: Incident | None, event: Any) -> Incident:
    match event:
        case IncidentReported():
            return Incident(
                event.id,
                event.facility,
                event.kind,
                event.severity,
                event.time,
                event.location,
                event.summary,
                tuple(event.people),
            )
        case AddendumAdded():
            found = _found(incident, event.id)
            addendum = {"time": event.time, "text": event.text, "people": event.people}
            return replace(
                found,
                addenda=(*found.addenda, addendum),
                people=_merge(found.people, event.people),
            )
        case StatusChanged():
            found = _found(incident, event.id)
            step = {"status": event.status, "time": event.time, "reason": event.reason}
            return replace(found, status=event.status, history=(*found.history, step))
    raise TypeError(f"not an incidents event: {event!r}")


def attack_timeline(incidents: Iterable[Incident]) -> list[Incident]:
    """Attacks and breaches, oldest first."""
    return sorted((i for i in incidents if i.kind in ATTACK_KINDS), key=lambda i: i.time)
