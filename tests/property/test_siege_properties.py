"""Properties of incidents and notifications over random command sequences: whatever is
accepted yields JSON data without floats, events read back from their data, and the folded
state reads back from its JSON form; whatever is refused is refused as a user error."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from amanah.domain.incidents import model as incidents
from amanah.domain.incidents.commands import (
    AddAddendum,
    ChangeStatus,
    LinkedPerson,
    ReportIncident,
)
from amanah.domain.notifications import model as notifications
from amanah.domain.notifications.commands import Acknowledge, MarkSent, Owe
from amanah.errors import InvalidInput, Refused

START = datetime(2026, 1, 18, tzinfo=UTC)
NOW = datetime(2026, 1, 22, tzinfo=UTC)

TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
    max_size=30,
)
MULTILINE = st.lists(TEXT, min_size=1, max_size=3).map("\n".join)
NUMBERS = st.sampled_from(["D-000001", "D-000002", "S-000001", "O-000001"])
TIMES = st.integers(0, 4 * 24 * 60).map(lambda m: START + timedelta(minutes=m))
SEQS = st.one_of(st.none(), st.integers(0, 10**6))


def _json(value: Any) -> Any:
    """``value`` through JSON text, with any float turned into the marker ``"float"``."""
    return json.loads(json.dumps(value, ensure_ascii=False), parse_float=lambda _: "float")


def _check(events: list[Any]) -> None:
    for event in events:
        data = event.to_data()
        assert _json(data) == data, "event data must be JSON values without floats"
        assert type(event).from_data(_json(data)) == event


@st.composite
def linked(draw: st.DrawFn) -> LinkedPerson:
    role = draw(st.sampled_from(incidents.ROLES))
    # Deaths and escapes are mostly recorded as movements first, as the service ensures.
    needs_seq = role in incidents.MOVEMENT_ROLES and draw(st.integers(0, 9)) > 0
    return LinkedPerson(
        draw(NUMBERS),
        role,
        draw(st.sampled_from(incidents.OUTCOMES)),
        draw(st.integers(0, 10**6)) if needs_seq else draw(SEQS),
    )


PEOPLE = st.lists(linked(), max_size=4, unique_by=lambda p: p.person).map(tuple)
NAME = TEXT.filter(str.strip)


@st.composite
def later(draw: st.DrawFn, moments: list[datetime]) -> datetime:
    """A time after the previous one drawn (now and then before it), kept in ``moments``."""
    step = draw(st.integers(-30, 12 * 60))
    moments.append(min(moments[-1] + timedelta(minutes=step), NOW))
    return moments[-1]


@st.composite
def incident_commands(draw: st.DrawFn) -> list[Any]:
    moments = [draw(TIMES)]
    kind = draw(st.sampled_from(incidents.KINDS))
    people = draw(PEOPLE)
    needed = incidents.REQUIRED_ROLE.get(kind)
    if needed is not None and draw(st.integers(0, 9)) > 0:
        people = (LinkedPerson("D-000009", needed, "unknown", 7), *people)
    commands: list[Any] = [
        ReportIncident(
            "I-0001",
            "AQ",
            kind,
            draw(st.sampled_from(incidents.SEVERITIES)),
            moments[0],
            draw(st.one_of(st.none(), TEXT)),
            draw(MULTILINE),
            people,
        )
    ]
    for _ in range(draw(st.integers(0, 12))):
        when = draw(later(moments))
        if draw(st.booleans()):
            commands.append(AddAddendum("I-0001", when, draw(MULTILINE), draw(PEOPLE)))
        else:
            status = draw(st.sampled_from(incidents.STATUSES))
            commands.append(ChangeStatus("I-0001", status, when, draw(TEXT)))
    return commands


@settings(max_examples=300)
@given(incident_commands())
def test_incidents_never_yield_floats_and_their_state_round_trips(commands: list[Any]) -> None:
    state: incidents.Incident | None = None
    accepted = 0
    for command in commands:
        try:
            events = incidents.decide(state, command, NOW)
        except (Refused, InvalidInput):
            continue
        accepted += 1
        _check(events)
        for event in events:
            state = incidents.evolve(state, event)
        assert state is not None
        as_json = state.to_state()
        assert _json(as_json) == as_json
        assert incidents.Incident.from_state(_json(as_json)) == state
        assert state.status in incidents.STATUSES
        assert state.time <= state.latest
        linked_numbers = {p.person for p in state.reported_people} | {
            p.person for a in state.addenda for p in a.people
        }
        assert {p.person for p in state.people} == linked_numbers
    if state is not None:
        assert accepted == 1 + len(state.addenda) + len(state.history)


@st.composite
def notification_commands(draw: st.DrawFn) -> list[Any]:
    moments = [draw(TIMES)]
    cause = draw(st.sampled_from(notifications.CAUSES))
    recipient, reason = draw(st.sampled_from(notifications.owed_for(notifications.Trigger(cause))))
    commands: list[Any] = [
        Owe(
            "N-000001",
            "AQ",
            draw(NUMBERS),
            recipient,
            reason,
            "person/D-000001",
            draw(st.integers(0, 10**6)),
            moments[0],
        )
    ]
    for _ in range(draw(st.integers(0, 6))):
        when = draw(later(moments))
        if draw(st.booleans()):
            channel = draw(st.sampled_from(notifications.CHANNELS))
            commands.append(MarkSent("N-000001", when, channel, draw(NAME), draw(NAME)))
        else:
            commands.append(Acknowledge("N-000001", when, draw(NAME), draw(MULTILINE)))
    return commands


@settings(max_examples=300)
@given(notification_commands(), TIMES)
def test_notifications_never_yield_floats_and_their_state_round_trips(
    commands: list[Any], now: datetime
) -> None:
    state: notifications.Notification | None = None
    for command in commands:
        try:
            events = notifications.decide(state, command, NOW)
        except (Refused, InvalidInput):
            continue
        _check(events)
        for event in events:
            state = notifications.evolve(state, event)
        assert state is not None
        as_json = state.to_state()
        assert _json(as_json) == as_json
        assert notifications.Notification.from_state(_json(as_json)) == state
    assert state is not None  # the owing is always valid
    delay = notifications.DUE[(state.reason, state.recipient)]
    time, due = (datetime.fromisoformat(t) for t in (state.time, state.due))
    assert due - time == delay
    assert state.is_overdue(now) == (state.status == "owed" and now > due)
    assert (state.sent is None) == (state.status == "owed")
    assert (state.acknowledged is None) == (state.status != "acknowledged")
