"""The rules of incidents. Each ``decide_*`` checks a command against the incident's state
(None when no incident has that id) and returns the events; ``evolve`` folds an event into
the state.

A report is never edited. An addendum adds text and people (a later link of the same person
replaces their role and outcome in the current list; the addenda keep the history), and
status changes move the incident through review, closing and reopening. A death or escape
must be on the register as a movement before an incident can name the person as deceased
or escapee: the link carries that movement's ledger seq.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from amanah.domain.incidents.commands import AddAddendum, ChangeStatus, LinkedPerson, ReportIncident
from amanah.domain.incidents.errors import IncidentRefused
from amanah.domain.incidents.events import (
    AddendumAdded,
    IncidentEvent,
    IncidentReported,
    StatusChanged,
)
from amanah.domain.shared import blank, check_when, check_whole, clean_text, one_line, one_of

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
#: The loss of a utility: while such an incident is open, the utility is out.
UTILITY_KINDS = ("water_loss", "power_loss", "fuel_loss", "communications_loss")
#: Attacks on the perimeter, as counted in the attack timeline.
ATTACK_KINDS = ("attack", "breach_attempt", "breach")

#: In order, least to most severe.
SEVERITIES = ("minor", "moderate", "serious", "critical")
SERIOUS_SEVERITIES = ("serious", "critical")

OPEN, UNDER_REVIEW, CLOSED, REOPENED = "open", "under_review", "closed", "reopened"
STATUSES = (OPEN, UNDER_REVIEW, CLOSED, REOPENED)
OPEN_STATUSES = (OPEN, UNDER_REVIEW, REOPENED)
#: The statuses each status may go to.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    OPEN: (UNDER_REVIEW, CLOSED),
    UNDER_REVIEW: (CLOSED,),
    CLOSED: (REOPENED,),
    REOPENED: (UNDER_REVIEW, CLOSED),
}
#: Status changes that need a reason.
REASON_NEEDED = (CLOSED, REOPENED)

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
SERIOUS_OUTCOMES = ("seriously_injured", "dead")
#: Roles that name a death or an escape, which must be recorded as a movement first.
MOVEMENT_ROLES = {"deceased": "death", "escapee": "escape"}
#: Incident kinds that must link someone in a role.
REQUIRED_ROLE = {"death": "deceased", "escape": "escapee"}

MAX_ID_CHARS = 40
MAX_FACILITY_CHARS = 64
MAX_NAME_CHARS = 200
MAX_TEXT_CHARS = 8_000
MAX_REASON_CHARS = 2_000
MAX_SEQ = 2**63 - 1  # a ledger seq is a signed 64-bit integer in storage

Command = ReportIncident | AddAddendum | ChangeStatus


@dataclass(frozen=True, slots=True)
class Link:
    """A person linked to an incident, as recorded (see :class:`LinkedPerson`)."""

    person: str
    role: str
    outcome: str
    movement: int | None = None

    def to_state(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "role": self.role,
            "outcome": self.outcome,
            "movement": self.movement,
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Link:
        return cls(state["person"], state["role"], state["outcome"], state["movement"])


@dataclass(frozen=True, slots=True)
class Addendum:
    """One addendum: when, what was added, and the people it linked."""

    time: str
    text: str
    people: tuple[Link, ...] = ()

    def to_state(self) -> dict[str, Any]:
        return {"time": self.time, "text": self.text, "people": _states(self.people)}

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Addendum:
        return cls(state["time"], state["text"], _links_of(state["people"]))


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One status change: to what, when, and why."""

    status: str
    time: str
    reason: str = ""

    def to_state(self) -> dict[str, Any]:
        return {"status": self.status, "time": self.time, "reason": self.reason}

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> StatusChange:
        return cls(state["status"], state["time"], state["reason"])


def _states(links: Iterable[Link]) -> list[dict[str, Any]]:
    return [link.to_state() for link in links]


def _links_of(states: Iterable[Mapping[str, Any]]) -> tuple[Link, ...]:
    return tuple(Link.from_state(s) for s in states)


@dataclass(frozen=True, slots=True)
class Incident:
    """One incident, folded from its stream (a :class:`~amanah.domain.shared.CaseState`).

    The fields up to ``reported_people`` are the report as made; ``addenda`` and ``history``
    (the status changes) are in the order recorded. ``people`` is the current list.
    """

    id: str
    facility: str
    kind: str
    severity: str
    time: str
    location: str | None
    summary: str
    reported_people: tuple[Link, ...] = ()
    addenda: tuple[Addendum, ...] = ()
    status: str = OPEN
    history: tuple[StatusChange, ...] = ()

    @property
    def people(self) -> tuple[Link, ...]:
        """Everyone linked, in the order first linked: a later link of the same person
        replaces their role and outcome (and their movement, when it names one)."""
        merged: dict[str, Link] = {}
        for link in (*self.reported_people, *(p for a in self.addenda for p in a.people)):
            earlier = merged.get(link.person)
            if earlier is not None and link.movement is None:
                merged[link.person] = replace(link, movement=earlier.movement)
            else:
                merged[link.person] = link
        return tuple(merged.values())

    @property
    def serious(self) -> bool:
        """Serious or critical, or someone linked is now seriously injured or dead."""
        return self.severity in SERIOUS_SEVERITIES or any(
            p.outcome in SERIOUS_OUTCOMES for p in self.people
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def latest(self) -> str:
        """The time of the latest step recorded (the incident itself, at the earliest)."""
        return max([self.time, *(a.time for a in self.addenda), *(h.time for h in self.history)])

    def to_state(self) -> dict[str, Any]:
        """JSON values; ``people`` (the current list) is derived, for readers of the row."""
        return {
            "id": self.id,
            "facility": self.facility,
            "kind": self.kind,
            "severity": self.severity,
            "time": self.time,
            "location": self.location,
            "summary": self.summary,
            "reported_people": _states(self.reported_people),
            "addenda": [a.to_state() for a in self.addenda],
            "status": self.status,
            "history": [h.to_state() for h in self.history],
            "people": _states(self.people),
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Incident:
        return cls(
            id=state["id"],
            facility=state["facility"],
            kind=state["kind"],
            severity=state["severity"],
            time=state["time"],
            location=state["location"],
            summary=state["summary"],
            reported_people=_links_of(state["reported_people"]),
            addenda=tuple(Addendum.from_state(a) for a in state["addenda"]),
            status=state["status"],
            history=tuple(StatusChange.from_state(h) for h in state["history"]),
        )


def attack_timeline(incidents: Iterable[Incident]) -> list[Incident]:
    """The attacks on the perimeter (attack, breach attempt, breach), oldest first."""
    return sorted((i for i in incidents if i.kind in ATTACK_KINDS), key=lambda i: (i.time, i.id))


def newly_seriously_injured(before: Incident | None, after: Incident) -> list[str]:
    """The people whose outcome is seriously injured in ``after`` but was not in ``before``
    (the incident before the event folded into it): each owes a serious-injury notification
    (Mandela Rules 68, 71), once."""
    earlier = (
        {p.person for p in before.people if p.outcome == "seriously_injured"} if before else set()
    )
    return [
        p.person
        for p in after.people
        if p.outcome == "seriously_injured" and p.person not in earlier
    ]


# --- checks -------------------------------------------------------------------------------


def _one_of(value: object, allowed: tuple[str, ...], what: str) -> str:
    return one_of(value, allowed, what, IncidentRefused)


def _found(incident: Incident | None, id_: str) -> Incident:
    if incident is None:
        raise IncidentRefused(f"no incident {id_}")
    return incident


def _links(people: object, where: str) -> list[dict[str, Any]]:
    """The linked persons, checked and cleaned, as event data."""
    if not isinstance(people, tuple | list):
        raise IncidentRefused(f"the people linked in {where} must be a list")
    cleaned: list[dict[str, Any]] = []
    seen: set[str] = set()
    for link in people:
        if not isinstance(link, LinkedPerson):
            raise IncidentRefused(f"each person linked in {where} needs a number, role and outcome")
        person = one_line(link.person, "the number of a person linked", max_chars=MAX_NAME_CHARS)
        if person in seen:
            raise IncidentRefused(f"{person} is linked twice in {where}")
        seen.add(person)
        role = _one_of(link.role, ROLES, f"the role of {person}")
        outcome = _one_of(link.outcome, OUTCOMES, f"the outcome for {person}")
        movement = link.movement
        if movement is not None:
            check_whole(movement, f"the movement of {person}", 0, MAX_SEQ, IncidentRefused)
        elif role in MOVEMENT_ROLES:
            happened = MOVEMENT_ROLES[role]
            raise IncidentRefused(
                f"record the {happened} of {person} as a movement first: a person linked as "
                f"{role} needs the ledger seq of their {happened} movement"
            )
        cleaned.append({"person": person, "role": role, "outcome": outcome, "movement": movement})
    return cleaned


def _dated(incident: Incident, moment: datetime, now: datetime, what: str) -> str:
    """``moment`` as RFC 3339, refused if in the future or before the incident happened."""
    when = check_when(moment, now, what, IncidentRefused)
    if when < incident.time:
        raise IncidentRefused(
            f"{what} is dated {when}, before incident {incident.id} happened at {incident.time}"
        )
    return when


# --- decisions ----------------------------------------------------------------------------


def decide_report(
    command: ReportIncident, incident: Incident | None, now: datetime
) -> list[IncidentReported]:
    """Report an incident; ``incident`` is the state of any incident with the same id."""
    id_ = one_line(command.id, "the incident id", max_chars=MAX_ID_CHARS)
    if incident is not None:
        raise IncidentRefused(f"incident {id_} already exists")
    facility = one_line(command.facility, "the facility", max_chars=MAX_FACILITY_CHARS)
    kind = _one_of(command.kind, KINDS, "the kind of incident")
    severity = _one_of(command.severity, SEVERITIES, "the severity")
    when = check_when(command.time, now, "the incident", IncidentRefused)
    location = None
    if isinstance(command.location, str) and command.location.strip():
        location = one_line(command.location, "the location", max_chars=MAX_NAME_CHARS)
    elif command.location is not None and not isinstance(command.location, str):
        raise IncidentRefused("the location must be text")
    if blank(command.summary):
        raise IncidentRefused("an incident needs a summary of what happened")
    summary = clean_text(command.summary, "the summary", max_chars=MAX_TEXT_CHARS)
    people = _links(command.people, "the report")
    needed = REQUIRED_ROLE.get(kind)
    if needed is not None and not any(p["role"] == needed for p in people):
        article = "an" if kind[0] in "aeiou" else "a"
        raise IncidentRefused(
            f"{article} {kind} incident needs at least one person linked as {needed}"
        )
    return [IncidentReported(id_, facility, kind, severity, when, location, summary, people)]


def decide_addendum(
    command: AddAddendum, incident: Incident | None, now: datetime
) -> list[AddendumAdded]:
    """Add an addendum to an incident that is not closed."""
    found = _found(incident, command.id)
    if found.status == CLOSED:
        raise IncidentRefused(f"an addendum to closed incident {found.id} needs it reopened first")
    when = _dated(found, command.time, now, "the addendum")
    if blank(command.text):
        raise IncidentRefused("an addendum needs its text")
    text = clean_text(command.text, "the addendum text", max_chars=MAX_TEXT_CHARS)
    people = _links(command.people, "the addendum")
    return [AddendumAdded(found.id, when, text, people)]


def decide_status(
    command: ChangeStatus, incident: Incident | None, now: datetime
) -> list[StatusChanged]:
    """Move an incident to another status (closing and reopening with a reason)."""
    found = _found(incident, command.id)
    status = _one_of(command.status, STATUSES, "the status")
    allowed = TRANSITIONS[found.status]
    if status not in allowed:
        raise IncidentRefused(
            f"incident {found.id} cannot go from {found.status} to {status}; from "
            f"{found.status} it can go to {' or '.join(allowed)}"
        )
    when = _dated(found, command.time, now, "the status change")
    if found.history and when < found.history[-1].time:
        raise IncidentRefused(
            f"the status change is dated {when}, before the previous status change of "
            f"incident {found.id} at {found.history[-1].time}"
        )
    if status in REASON_NEEDED:
        if blank(command.reason):
            step = "closing" if status == CLOSED else "reopening"
            raise IncidentRefused(f"{step} incident {found.id} needs a reason")
        reason = clean_text(command.reason, "the reason", max_chars=MAX_REASON_CHARS)
    elif blank(command.reason):
        reason = ""
    else:
        reason = clean_text(command.reason, "the reason", max_chars=MAX_REASON_CHARS)
    return [StatusChanged(found.id, status, when, reason)]


def decide(incident: Incident | None, command: Command, now: datetime) -> list[IncidentEvent]:
    """Any incidents command: the ``decide_*`` for its type."""
    match command:
        case ReportIncident():
            return list(decide_report(command, incident, now))
        case AddAddendum():
            return list(decide_addendum(command, incident, now))
        case ChangeStatus():
            return list(decide_status(command, incident, now))
    raise TypeError(f"not an incidents command: {type(command).__name__}")


# --- folding ------------------------------------------------------------------------------


def evolve(incident: Incident | None, event: IncidentEvent) -> Incident:
    """The incident after ``event``. A step of an incident never reported, or a second
    report, means the stream is corrupt: :class:`ValueError`."""
    if isinstance(event, IncidentReported):
        if incident is not None:
            raise ValueError(f"incident {event.id} is reported twice")
        return Incident(
            event.id,
            event.facility,
            event.kind,
            event.severity,
            event.time,
            event.location,
            event.summary,
            _links_of(event.people),
        )
    if incident is None:
        raise ValueError(f"{event.TYPE} for incident {event.id}, which was never reported")
    match event:
        case AddendumAdded():
            addendum = Addendum(event.time, event.text, _links_of(event.people))
            return replace(incident, addenda=(*incident.addenda, addendum))
        case StatusChanged():
            change = StatusChange(event.status, event.time, event.reason)
            return replace(incident, status=event.status, history=(*incident.history, change))
    raise TypeError(f"not an incidents event: {type(event).__name__}")
