"""The rules of incidents (pure domain: no storage)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from functools import reduce
from typing import Any, cast

import pytest

from amanah.domain.incidents.commands import (
    AddAddendum,
    ChangeStatus,
    LinkedPerson,
    ReportIncident,
)
from amanah.domain.incidents.errors import IncidentRefused
from amanah.domain.incidents.events import (
    INCIDENT_EVENTS,
    AddendumAdded,
    IncidentEvent,
    IncidentReported,
    StatusChanged,
)
from amanah.domain.incidents.model import (
    ATTACK_KINDS,
    KINDS,
    OPEN_STATUSES,
    OUTCOMES,
    ROLES,
    SEVERITIES,
    STATUSES,
    TRANSITIONS,
    UTILITY_KINDS,
    Addendum,
    Incident,
    Link,
    StatusChange,
    attack_timeline,
    decide,
    decide_addendum,
    decide_report,
    decide_status,
    evolve,
    newly_seriously_injured,
)
from amanah.domain.shared import CaseState
from amanah.errors import InvalidInput, Refused

NOW = datetime(2026, 1, 20, 12, 0, tzinfo=UTC)
HAPPENED = datetime(2026, 1, 20, 8, 0, tzinfo=UTC)
HAPPENED_TEXT = "2026-01-20T08:00:00Z"

GUARD = LinkedPerson("S-000007", "injured", "seriously_injured")
WITNESS = LinkedPerson("D-000200", "witness", "unharmed")
DEAD = LinkedPerson("D-000123", "deceased", "dead", movement=41)
GONE = LinkedPerson("D-000124", "escapee", "escaped", movement=42)


def at(hour: int, minute: int = 0, day: int = 20) -> datetime:
    return datetime(2026, 1, day, hour, minute, tzinfo=UTC)


def report(**changes: Any) -> ReportIncident:
    fields: dict[str, Any] = {
        "id": "I-0001",
        "facility": "AQ",
        "kind": "attack",
        "severity": "serious",
        "time": HAPPENED,
        "location": "north wall",
        "summary": "Mortar fire on the north wall; one guard hit by shrapnel.",
        "people": (GUARD,),
    }
    fields.update(changes)
    return ReportIncident(**fields)


def fold(events: list[Any], state: Incident | None = None) -> Incident:
    folded = reduce(evolve, events, state)
    assert folded is not None
    return folded


def reported(**changes: Any) -> Incident:
    return fold(decide_report(report(**changes), None, NOW))


def add(incident: Incident, when: datetime, text: str, *people: LinkedPerson) -> Incident:
    return fold(
        decide_addendum(AddAddendum(incident.id, when, text, people), incident, NOW), incident
    )


def change(incident: Incident, status: str, when: datetime, reason: str = "") -> Incident:
    command = ChangeStatus(incident.id, status, when, reason)
    return fold(decide_status(command, incident, NOW), incident)


def with_status(status: str) -> Incident:
    return Incident.from_state({**reported().to_state(), "status": status})


# --- reporting ----------------------------------------------------------------------------


def test_an_incident_is_reported() -> None:
    events = decide_report(report(location="  north wall "), None, NOW)
    assert events == [
        IncidentReported(
            "I-0001",
            "AQ",
            "attack",
            "serious",
            HAPPENED_TEXT,
            "north wall",
            "Mortar fire on the north wall; one guard hit by shrapnel.",
            [
                {
                    "person": "S-000007",
                    "role": "injured",
                    "outcome": "seriously_injured",
                    "movement": None,
                }
            ],
        )
    ]
    incident = fold(events)
    assert (incident.id, incident.facility, incident.kind, incident.severity) == (
        "I-0001",
        "AQ",
        "attack",
        "serious",
    )
    assert (incident.time, incident.location, incident.status) == (
        HAPPENED_TEXT,
        "north wall",
        "open",
    )
    assert incident.people == (Link("S-000007", "injured", "seriously_injured"),)
    assert incident.reported_people == incident.people
    assert (incident.addenda, incident.history) == ((), ())
    assert incident.is_open


@pytest.mark.parametrize("kind", [k for k in KINDS if k not in ("death", "escape")])
@pytest.mark.parametrize("severity", SEVERITIES)
def test_every_kind_at_every_severity(kind: str, severity: str) -> None:
    incident = reported(kind=kind, severity=severity, people=())
    assert (incident.kind, incident.severity) == (kind, severity)


def test_the_vocabularies() -> None:
    assert len(KINDS) == 15
    assert set(UTILITY_KINDS) == {"water_loss", "power_loss", "fuel_loss", "communications_loss"}
    assert ATTACK_KINDS == ("attack", "breach_attempt", "breach")
    assert set(UTILITY_KINDS) | set(ATTACK_KINDS) <= set(KINDS)
    assert SEVERITIES == ("minor", "moderate", "serious", "critical")
    assert STATUSES == ("open", "under_review", "closed", "reopened")
    assert OPEN_STATUSES == ("open", "under_review", "reopened")


def test_times_are_stored_in_utc() -> None:
    local = datetime(2026, 1, 20, 11, 0, tzinfo=timezone(timedelta(hours=3)))
    assert reported(time=local).time == HAPPENED_TEXT


def test_a_future_ancient_or_naive_time_is_refused() -> None:
    assert reported(time=NOW + timedelta(minutes=9)).time == "2026-01-20T12:09:00Z"  # skew
    with pytest.raises(IncidentRefused, match=r"the incident is dated .* after the current time"):
        decide_report(report(time=NOW + timedelta(minutes=11)), None, NOW)
    with pytest.raises(IncidentRefused, match="before 1990"):
        decide_report(report(time=datetime(1980, 1, 1, tzinfo=UTC)), None, NOW)
    with pytest.raises(InvalidInput, match="has no time zone"):
        decide_report(report(time=datetime(2026, 1, 20, 8, 0)), None, NOW)  # noqa: DTZ001


def test_an_unknown_kind_or_severity_is_refused() -> None:
    with pytest.raises(
        IncidentRefused,
        match=r"^the kind of incident must be one of attack, breach_attempt, breach, escape, "
        r"riot, .*, food_refusal, not 'flood'$",
    ):
        decide_report(report(kind="flood"), None, NOW)
    with pytest.raises(
        IncidentRefused,
        match=r"^the severity must be one of minor, moderate, serious, critical, not 'grave'$",
    ):
        decide_report(report(severity="grave"), None, NOW)


@pytest.mark.parametrize("location", [None, "", "   "])
def test_the_location_is_optional(location: str | None) -> None:
    assert reported(location=location).location is None


def test_text_limits() -> None:
    assert reported(summary="x" * 8_000).summary == "x" * 8_000
    assert reported(summary="line one\nline two").summary == "line one\nline two"
    with pytest.raises(InvalidInput, match="the summary is 8,001 characters; the limit is 8,000"):
        decide_report(report(summary="x" * 8_001), None, NOW)
    with pytest.raises(InvalidInput, match="the location is 201 characters"):
        decide_report(report(location="x" * 201), None, NOW)
    with pytest.raises(InvalidInput, match="the location must be on one line"):
        decide_report(report(location="north\nwall"), None, NOW)
    with pytest.raises(IncidentRefused, match="the location must be text"):
        decide_report(report(location=cast(str, 12)), None, NOW)
    with pytest.raises(InvalidInput, match="the incident id is 41 characters"):
        decide_report(report(id="I" * 41), None, NOW)
    with pytest.raises(InvalidInput, match="the incident id is empty"):
        decide_report(report(id=" "), None, NOW)
    with pytest.raises(InvalidInput, match="the facility is empty"):
        decide_report(report(facility=""), None, NOW)
    with pytest.raises(InvalidInput, match="the summary contains a control character"):
        decide_report(report(summary="bad\x00text"), None, NOW)


@pytest.mark.parametrize("summary", ["", "  \n ", None])
def test_an_incident_without_a_summary_is_refused(summary: str | None) -> None:
    with pytest.raises(IncidentRefused, match=r"^an incident needs a summary of what happened$"):
        decide_report(report(summary=summary), None, NOW)


def test_an_id_that_exists_is_refused() -> None:
    with pytest.raises(IncidentRefused, match=r"^incident I-0001 already exists$"):
        decide_report(report(), reported(), NOW)


# --- people linked ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("outcome", OUTCOMES)
def test_every_role_and_outcome_may_be_linked(role: str, outcome: str) -> None:
    person = LinkedPerson("D-000001", role, outcome, movement=7)
    assert reported(people=(person,)).people == (Link("D-000001", role, outcome, 7),)


def test_an_unknown_role_or_outcome_is_refused() -> None:
    with pytest.raises(
        IncidentRefused,
        match=r"^the role of D-000001 must be one of victim, injured, deceased, escapee, "
        r"suspect, witness, hostage, responder, reporter, not 'bystander'$",
    ):
        decide_report(
            report(people=(LinkedPerson("D-000001", "bystander", "unharmed"),)), None, NOW
        )
    with pytest.raises(
        IncidentRefused,
        match=r"^the outcome for D-000001 must be one of unharmed, injured, seriously_injured, "
        r"dead, escaped, recaptured, released, hospitalised, unknown, not 'fine'$",
    ):
        decide_report(report(people=(LinkedPerson("D-000001", "witness", "fine"),)), None, NOW)


def test_a_person_is_named_on_one_line() -> None:
    assert reported(people=(LinkedPerson(" D-000001 ", "witness", "unharmed"),)).people[
        0
    ].person == ("D-000001")
    with pytest.raises(InvalidInput, match="the number of a person linked is empty"):
        decide_report(report(people=(LinkedPerson("", "witness", "unharmed"),)), None, NOW)
    with pytest.raises(InvalidInput, match="the number of a person linked must be on one line"):
        decide_report(report(people=(LinkedPerson("D-1\nD-2", "witness", "unharmed"),)), None, NOW)


def test_the_same_person_twice_is_refused() -> None:
    twice = (WITNESS, LinkedPerson("D-000200", "victim", "injured"))
    with pytest.raises(IncidentRefused, match=r"^D-000200 is linked twice in the report$"):
        decide_report(report(people=twice), None, NOW)
    with pytest.raises(IncidentRefused, match=r"^D-000200 is linked twice in the addendum$"):
        decide_addendum(AddAddendum("I-0001", at(9), "more", twice), reported(), NOW)


def test_people_must_be_linked_persons() -> None:
    with pytest.raises(IncidentRefused, match="needs a number, role and outcome"):
        decide_report(report(people=cast(Any, ({"person": "D-1"},))), None, NOW)
    with pytest.raises(IncidentRefused, match="must be a list"):
        decide_report(report(people=cast(Any, "D-000001")), None, NOW)


def test_a_death_needs_a_person_linked_as_deceased() -> None:
    with pytest.raises(
        IncidentRefused, match=r"^a death incident needs at least one person linked as deceased$"
    ):
        decide_report(report(kind="death", people=(WITNESS,)), None, NOW)
    incident = reported(kind="death", people=(DEAD, WITNESS))
    assert incident.people[0] == Link("D-000123", "deceased", "dead", 41)


def test_an_escape_needs_a_person_linked_as_escapee() -> None:
    with pytest.raises(
        IncidentRefused, match=r"^an escape incident needs at least one person linked as escapee$"
    ):
        decide_report(report(kind="escape", people=()), None, NOW)
    assert reported(kind="escape", people=(GONE,)).people == (
        Link("D-000124", "escapee", "escaped", 42),
    )


@pytest.mark.parametrize(("role", "happened"), [("deceased", "death"), ("escapee", "escape")])
def test_a_death_or_escape_must_be_a_movement_first(role: str, happened: str) -> None:
    person = LinkedPerson("D-000123", role, "unknown")
    message = rf"^record the {happened} of D-000123 as a movement first: "
    with pytest.raises(IncidentRefused, match=message):
        decide_report(report(kind="riot", people=(person,)), None, NOW)
    with pytest.raises(IncidentRefused, match=message):
        decide_addendum(AddAddendum("I-0001", at(9), "found later", (person,)), reported(), NOW)


@pytest.mark.parametrize("movement", [-1, True, cast(int, 1.0), cast(int, "12"), 2**63])
def test_a_movement_is_a_ledger_seq(movement: int) -> None:
    with pytest.raises(IncidentRefused, match="the movement of D-000123 must be a whole number"):
        decide_report(
            report(kind="death", people=(LinkedPerson("D-000123", "deceased", "dead", movement),)),
            None,
            NOW,
        )


def test_a_movement_may_be_seq_zero() -> None:
    assert reported(people=(LinkedPerson("D-1", "deceased", "dead", 0),)).people[0].movement == 0


# --- addenda ------------------------------------------------------------------------------


def test_an_addendum_adds_text_and_people_and_never_edits() -> None:
    first = reported(people=(GUARD, WITNESS))
    events = decide_addendum(
        AddAddendum(
            "I-0001",
            at(10),
            " The guard died in the clinic. ",
            (
                LinkedPerson("S-000007", "deceased", "dead", 57),
                LinkedPerson("S-000009", "responder", "unharmed"),
            ),
        ),
        first,
        NOW,
    )
    assert events == [
        AddendumAdded(
            "I-0001",
            "2026-01-20T10:00:00Z",
            "The guard died in the clinic.",
            [
                {"person": "S-000007", "role": "deceased", "outcome": "dead", "movement": 57},
                {
                    "person": "S-000009",
                    "role": "responder",
                    "outcome": "unharmed",
                    "movement": None,
                },
            ],
        )
    ]
    later = fold(events, first)
    assert later.people == (
        Link("S-000007", "deceased", "dead", 57),
        Link("D-000200", "witness", "unharmed"),
        Link("S-000009", "responder", "unharmed"),
    )
    assert later.reported_people == first.reported_people  # the report as made
    assert (later.summary, later.severity, later.time) == (
        first.summary,
        first.severity,
        first.time,
    )
    assert later.addenda == (
        Addendum(
            "2026-01-20T10:00:00Z",
            "The guard died in the clinic.",
            (Link("S-000007", "deceased", "dead", 57), Link("S-000009", "responder", "unharmed")),
        ),
    )


def test_addenda_are_kept_in_order_and_a_later_link_keeps_the_movement() -> None:
    incident = reported(kind="escape", people=(GONE,))
    incident = add(incident, at(9), "seen near the market")
    incident = add(
        incident, at(11), "recaptured", LinkedPerson("D-000124", "escapee", "recaptured", 60)
    )
    incident = add(
        incident,
        at(11, 30),
        "taken to hospital",
        LinkedPerson("D-000124", "injured", "hospitalised"),
    )
    assert [a.text for a in incident.addenda] == [
        "seen near the market",
        "recaptured",
        "taken to hospital",
    ]
    assert incident.people == (Link("D-000124", "injured", "hospitalised", 60),)
    assert incident.reported_people == (Link("D-000124", "escapee", "escaped", 42),)


def test_an_addendum_to_an_unknown_incident_is_refused() -> None:
    with pytest.raises(IncidentRefused, match=r"^no incident I-0009$"):
        decide_addendum(AddAddendum("I-0009", at(9), "text"), None, NOW)


def test_an_addendum_to_a_closed_incident_needs_it_reopened_first() -> None:
    closed = change(reported(), "closed", at(9), "perimeter secured")
    with pytest.raises(
        IncidentRefused, match=r"^an addendum to closed incident I-0001 needs it reopened first$"
    ):
        decide_addendum(AddAddendum("I-0001", at(10), "more"), closed, NOW)
    reopened = change(closed, "reopened", at(10), "new evidence")
    assert add(reopened, at(11), "more").addenda[-1].text == "more"


@pytest.mark.parametrize("status", ["open", "under_review", "reopened"])
def test_an_addendum_to_an_open_incident(status: str) -> None:
    assert len(add(with_status(status), at(9), "note").addenda) == 1


def test_an_addendum_before_the_incident_is_refused() -> None:
    assert add(reported(), HAPPENED, "at the same time").addenda[0].time == HAPPENED_TEXT
    with pytest.raises(
        IncidentRefused,
        match=r"^the addendum is dated 2026-01-20T07:59:00Z, before incident I-0001 happened "
        r"at 2026-01-20T08:00:00Z$",
    ):
        decide_addendum(AddAddendum("I-0001", at(7, 59), "early"), reported(), NOW)
    with pytest.raises(IncidentRefused, match="after the current time"):
        decide_addendum(AddAddendum("I-0001", NOW + timedelta(hours=1), "late"), reported(), NOW)


@pytest.mark.parametrize("text", ["", " \n", None])
def test_an_addendum_needs_text(text: str | None) -> None:
    with pytest.raises(IncidentRefused, match=r"^an addendum needs its text$"):
        decide_addendum(AddAddendum("I-0001", at(9), cast(str, text)), reported(), NOW)


def test_addendum_text_limit() -> None:
    assert add(reported(), at(9), "y" * 8_000).addenda[0].text == "y" * 8_000
    with pytest.raises(InvalidInput, match="the addendum text is 8,001 characters"):
        decide_addendum(AddAddendum("I-0001", at(9), "y" * 8_001), reported(), NOW)


# --- status -------------------------------------------------------------------------------

ALLOWED = [(a, b) for a, targets in TRANSITIONS.items() for b in targets]
FORBIDDEN = [(a, b) for a in STATUSES for b in STATUSES if (a, b) not in ALLOWED]


def test_the_transitions() -> None:
    assert set(ALLOWED) == {
        ("open", "under_review"),
        ("open", "closed"),
        ("under_review", "closed"),
        ("closed", "reopened"),
        ("reopened", "under_review"),
        ("reopened", "closed"),
    }


@pytest.mark.parametrize(("current", "status"), ALLOWED)
def test_an_allowed_status_change(current: str, status: str) -> None:
    changed = change(with_status(current), status, at(9), " the reason ")
    assert changed.status == status
    assert changed.history == (StatusChange(status, "2026-01-20T09:00:00Z", "the reason"),)
    assert changed.is_open == (status != "closed")


@pytest.mark.parametrize(("current", "status"), FORBIDDEN)
def test_any_other_status_change_is_refused_naming_both(current: str, status: str) -> None:
    with pytest.raises(
        IncidentRefused, match=rf"^incident I-0001 cannot go from {current} to {status}; from "
    ):
        decide_status(ChangeStatus("I-0001", status, at(9), "why"), with_status(current), NOW)


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(
        IncidentRefused,
        match=r"^the status must be one of open, under_review, closed, reopened, not 'done'$",
    ):
        decide_status(ChangeStatus("I-0001", "done", at(9), "why"), reported(), NOW)


def test_a_status_change_of_an_unknown_incident_is_refused() -> None:
    with pytest.raises(IncidentRefused, match=r"^no incident I-0002$"):
        decide_status(ChangeStatus("I-0002", "closed", at(9), "why"), None, NOW)


@pytest.mark.parametrize(
    ("current", "status", "step"),
    [("open", "closed", "closing"), ("closed", "reopened", "reopening")],
)
@pytest.mark.parametrize("reason", ["", "  "])
def test_closing_and_reopening_need_a_reason(
    current: str, status: str, step: str, reason: str
) -> None:
    with pytest.raises(IncidentRefused, match=rf"^{step} incident I-0001 needs a reason$"):
        decide_status(ChangeStatus("I-0001", status, at(9), reason), with_status(current), NOW)


def test_a_review_needs_no_reason() -> None:
    assert change(reported(), "under_review", at(9)).history[0].reason == ""
    with pytest.raises(InvalidInput, match="the reason is 2,001 characters"):
        decide_status(ChangeStatus("I-0001", "closed", at(9), "r" * 2_001), reported(), NOW)


def test_a_status_change_out_of_order_is_refused() -> None:
    with pytest.raises(IncidentRefused, match=r"^the status change is dated .*, before incident"):
        decide_status(ChangeStatus("I-0001", "closed", at(7), "why"), reported(), NOW)
    reviewed = change(reported(), "under_review", at(10))
    with pytest.raises(
        IncidentRefused,
        match=r"^the status change is dated 2026-01-20T09:00:00Z, before the previous status "
        r"change of incident I-0001 at 2026-01-20T10:00:00Z$",
    ):
        decide_status(ChangeStatus("I-0001", "closed", at(9), "why"), reviewed, NOW)
    with pytest.raises(IncidentRefused, match="after the current time"):
        decide_status(ChangeStatus("I-0001", "closed", at(13), "why"), reviewed, NOW)


def test_the_history_of_a_closed_and_reopened_incident() -> None:
    incident = change(reported(), "under_review", at(9))
    incident = change(incident, "closed", at(10), "secured")
    incident = change(incident, "reopened", at(11), "new report")
    incident = change(incident, "closed", at(11), "done")
    assert [(h.status, h.time[11:16]) for h in incident.history] == [
        ("under_review", "09:00"),
        ("closed", "10:00"),
        ("reopened", "11:00"),
        ("closed", "11:00"),
    ]


# --- seriousness and the attack timeline --------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "serious"),
    [("minor", False), ("moderate", False), ("serious", True), ("critical", True)],
)
def test_severity_makes_an_incident_serious(severity: str, serious: bool) -> None:
    assert reported(severity=severity, people=(WITNESS,)).serious is serious


@pytest.mark.parametrize(
    ("outcome", "serious"), [(o, o in ("seriously_injured", "dead")) for o in OUTCOMES]
)
def test_an_outcome_makes_an_incident_serious(outcome: str, serious: bool) -> None:
    person = LinkedPerson("D-1", "victim", outcome)
    assert reported(severity="minor", people=(person,)).serious is serious


def test_an_addendum_can_make_an_incident_serious() -> None:
    minor = reported(severity="minor", people=(WITNESS,))
    assert not minor.serious
    assert add(
        minor, at(9), "worse", LinkedPerson("D-000200", "injured", "seriously_injured")
    ).serious


def test_the_attack_timeline_is_the_attacks_by_time() -> None:
    incidents = [
        reported(id="I-0001", kind="breach", time=at(9)),
        reported(id="I-0002", kind="fire", time=at(7)),
        reported(id="I-0003", kind="attack", time=at(6)),
        reported(id="I-0004", kind="breach_attempt", time=at(8)),
        reported(id="I-0005", kind="water_loss", time=at(5)),
        reported(id="I-0006", kind="attack", time=at(9)),
    ]
    assert [i.id for i in attack_timeline(incidents)] == ["I-0003", "I-0004", "I-0001", "I-0006"]
    assert attack_timeline([]) == []
    assert attack_timeline(iter(incidents[:2])) == [incidents[0]]


# --- dispatch, errors ---------------------------------------------------------------------


def test_decide_dispatches_on_the_command() -> None:
    incident = reported()
    assert decide(None, report(), NOW) == decide_report(report(), None, NOW)
    addendum = AddAddendum("I-0001", at(9), "more")
    assert decide(incident, addendum, NOW) == decide_addendum(addendum, incident, NOW)
    status = ChangeStatus("I-0001", "under_review", at(9))
    assert decide(incident, status, NOW) == decide_status(status, incident, NOW)
    with pytest.raises(TypeError, match="not an incidents command"):
        decide(incident, cast(Any, "close it"), NOW)


def test_an_incident_refusal_is_a_refusal() -> None:
    assert issubclass(IncidentRefused, Refused)


# --- events -------------------------------------------------------------------------------


def all_events() -> list[IncidentEvent]:
    first = decide_report(report(kind="death", people=(DEAD, GUARD)), None, NOW)
    incident = fold(cast(list[Any], first))
    second = decide_addendum(AddAddendum("I-0001", at(9), "more", (WITNESS,)), incident, NOW)
    incident = fold(cast(list[Any], second), incident)
    third = decide_status(ChangeStatus("I-0001", "closed", at(10), "done"), incident, NOW)
    return [*first, *second, *third]


def test_every_event_type_is_listed() -> None:
    assert {type(e) for e in all_events()} == set(INCIDENT_EVENTS)
    assert [c.TYPE for c in INCIDENT_EVENTS] == [
        "incidents.reported",
        "incidents.addendum_added",
        "incidents.status_changed",
    ]


def _no_floats(value: object) -> bool:
    if isinstance(value, float):
        return False
    if isinstance(value, dict):
        return all(isinstance(k, str) and _no_floats(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_no_floats(v) for v in value)
    return value is None or isinstance(value, str | int | bool)


def test_every_event_round_trips_through_its_data() -> None:
    for event in all_events():
        data = event.to_data()
        assert _no_floats(data)
        assert json.loads(json.dumps(data)) == data
        assert type(event).from_data(json.loads(json.dumps(data))) == event


def test_an_event_with_an_unknown_field_is_refused() -> None:
    data = all_events()[2].to_data()
    with pytest.raises(ValueError, match="unknown field colour"):
        StatusChanged.from_data({**data, "colour": "red"})


# --- folding and the case file ------------------------------------------------------------


def test_evolve_folds_the_whole_story() -> None:
    incident = fold(cast(list[Any], all_events()))
    assert incident == Incident(
        "I-0001",
        "AQ",
        "death",
        "serious",
        HAPPENED_TEXT,
        "north wall",
        "Mortar fire on the north wall; one guard hit by shrapnel.",
        (
            Link("D-000123", "deceased", "dead", 41),
            Link("S-000007", "injured", "seriously_injured"),
        ),
        (Addendum("2026-01-20T09:00:00Z", "more", (Link("D-000200", "witness", "unharmed"),)),),
        "closed",
        (StatusChange("closed", "2026-01-20T10:00:00Z", "done"),),
    )
    assert [p.person for p in incident.people] == ["D-000123", "S-000007", "D-000200"]


def test_evolve_refuses_a_corrupt_stream() -> None:
    first, *rest = all_events()
    for event in rest:
        with pytest.raises(ValueError, match="which was never reported"):
            evolve(None, event)
    with pytest.raises(ValueError, match="incident I-0001 is reported twice"):
        evolve(evolve(None, first), first)
    with pytest.raises(TypeError, match="not an incidents event"):
        evolve(evolve(None, first), cast(Any, object()))


@pytest.mark.parametrize("count", range(1, len(all_events()) + 1))
def test_the_state_round_trips_through_json(count: int) -> None:
    incident = fold(cast(list[Any], all_events()[:count]))
    state = incident.to_state()
    text = json.dumps(state, ensure_ascii=False, sort_keys=True)
    assert "float" not in repr(json.loads(text, parse_float=lambda _: "float"))
    assert Incident.from_state(json.loads(text)) == incident
    assert Incident.from_state(state) == incident


def test_the_state_is_a_case_file() -> None:
    incident: CaseState = add(reported(), at(9), "more", WITNESS)
    assert (incident.facility, incident.kind, incident.status, incident.time) == (
        "AQ",
        "attack",
        "open",
        HAPPENED_TEXT,
    )
    state = incident.to_state()
    assert set(state) == {
        "id", "facility", "kind", "severity", "time", "location", "summary",
        "reported_people", "addenda", "status", "history", "people",
    }  # fmt: skip
    assert state["people"] == [
        {"person": "S-000007", "role": "injured", "outcome": "seriously_injured", "movement": None},
        {"person": "D-000200", "role": "witness", "outcome": "unharmed", "movement": None},
    ]
    assert state["addenda"] == [
        {
            "time": "2026-01-20T09:00:00Z",
            "text": "more",
            "people": [
                {"person": "D-000200", "role": "witness", "outcome": "unharmed", "movement": None}
            ],
        }
    ]


def test_the_latest_step() -> None:
    incident = reported()
    assert incident.latest == HAPPENED_TEXT
    incident = change(add(incident, at(11), "x"), "under_review", at(10))
    assert incident.latest == "2026-01-20T11:00:00Z"


def test_the_newly_seriously_injured_owe_a_notification_once() -> None:
    first = reported(people=(GUARD, WITNESS))
    assert newly_seriously_injured(None, first) == ["S-000007"]
    same = add(first, at(9), "still in the clinic", GUARD)
    assert newly_seriously_injured(first, same) == []
    worse = add(same, at(10), "hit too", LinkedPerson("D-000200", "injured", "seriously_injured"))
    assert newly_seriously_injured(same, worse) == ["D-000200"]
    better = add(worse, at(11), "recovering", LinkedPerson("S-000007", "injured", "injured"))
    assert newly_seriously_injured(worse, better) == []
    again = add(better, at(12), "relapse", GUARD)
    assert newly_seriously_injured(better, again) == ["S-000007"]
