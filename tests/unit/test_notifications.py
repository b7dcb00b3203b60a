"""The notifications owed by Mandela Rules 68-72 (pure domain: no storage)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from functools import reduce
from typing import Any, cast

import pytest

from amanah.domain.notifications import model
from amanah.domain.notifications.commands import Acknowledge, MarkSent, Owe
from amanah.domain.notifications.errors import NotificationRefused
from amanah.domain.notifications.events import (
    NOTIFICATION_EVENTS,
    NotificationAcknowledged,
    NotificationEvent,
    NotificationOwed,
    NotificationSent,
)
from amanah.domain.notifications.model import (
    CAUSES,
    CHANNELS,
    DUE,
    REASONS,
    RECIPIENTS,
    STATUSES,
    Acknowledgement,
    Notification,
    Sending,
    Trigger,
    decide,
    decide_acknowledged,
    decide_owe,
    decide_sent,
    evolve,
    owed_for,
)
from amanah.domain.shared import CaseState
from amanah.errors import InvalidInput, Refused

NOW = datetime(2026, 1, 20, 12, 0, tzinfo=UTC)
DIED = datetime(2026, 1, 20, 8, 0, tzinfo=UTC)
DIED_TEXT = "2026-01-20T08:00:00Z"


def at(hour: int, minute: int = 0, day: int = 20) -> datetime:
    return datetime(2026, 1, day, hour, minute, tzinfo=UTC)


def owe(**changes: Any) -> Owe:
    fields: dict[str, Any] = {
        "id": "N-000001",
        "facility": "AQ",
        "person": "D-000123",
        "recipient": "next_of_kin",
        "reason": "death",
        "cause_stream": "person/D-000123",
        "cause_seq": 41,
        "time": DIED,
    }
    fields.update(changes)
    return Owe(**fields)


def fold(events: list[Any], state: Notification | None = None) -> Notification:
    folded = reduce(evolve, events, state)
    assert folded is not None
    return folded


def owed(**changes: Any) -> Notification:
    return fold(decide_owe(owe(**changes), None, NOW))


def mark_sent(**changes: Any) -> MarkSent:
    fields: dict[str, Any] = {
        "id": "N-000001",
        "time": at(9),
        "channel": "phone",
        "to": "Brother, Ahmad",
        "by": "Records officer Salma",
    }
    fields.update(changes)
    return MarkSent(**fields)


def sent(notification: Notification | None = None, **changes: Any) -> Notification:
    notification = notification or owed()
    return fold(decide_sent(mark_sent(**changes), notification, NOW), notification)


def acknowledged(notification: Notification | None = None) -> Notification:
    notification = notification or sent()
    command = Acknowledge("N-000001", at(10), "Ahmad", "call back tomorrow")
    return fold(decide_acknowledged(command, notification, NOW), notification)


# --- what is owed -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cause", "expected"),
    [
        ("death", [("next_of_kin", "death"), ("independent_authority", "death")]),
        (
            "escape",
            [("independent_authority", "disappearance"), ("family", "disappearance")],
        ),
        (
            "serious_injury",
            [("family", "serious_injury"), ("independent_authority", "serious_injury")],
        ),
        ("serious_illness", [("family", "serious_illness")]),
        ("transfer", [("family", "transfer")]),
    ],
)
def test_what_each_cause_owes(cause: str, expected: list[tuple[str, str]]) -> None:
    assert owed_for(Trigger(cause, "D-000123")) == expected
    assert owed_for(Trigger(cause)) == expected
    assert owed_for(cause) == expected  # a bare cause, as the services pass it


def test_every_owed_pair_has_a_due_delay() -> None:
    pairs = {(reason, recipient) for c in CAUSES for recipient, reason in owed_for(Trigger(c))}
    assert pairs == set(DUE)
    assert set(CAUSES) == {"transfer", "death", "escape", "serious_injury", "serious_illness"}


def test_an_unknown_cause_is_refused() -> None:
    with pytest.raises(
        NotificationRefused,
        match=r"^the cause of a notification must be one of death, escape, serious_injury, "
        r"serious_illness, transfer, not 'release'$",
    ):
        owed_for(Trigger("release"))


@pytest.mark.parametrize(
    ("reason", "recipient", "hours"),
    [
        ("death", "next_of_kin", 24),
        ("death", "independent_authority", 24),
        ("disappearance", "independent_authority", 24),
        ("disappearance", "family", 48),
        ("serious_injury", "family", 48),
        ("serious_illness", "family", 48),
        ("serious_injury", "independent_authority", 24),
        ("transfer", "family", 72),
    ],
)
def test_the_due_delays(reason: str, recipient: str, hours: int) -> None:
    assert DUE[(reason, recipient)] == timedelta(hours=hours)
    notification = owed(reason=reason, recipient=recipient)
    assert notification.due == (DIED + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_delays_are_named_constants() -> None:
    named = (
        model.DEATH_NEXT_OF_KIN_DELAY,
        model.TRANSFER_FAMILY_DELAY,
        model.DISAPPEARANCE_FAMILY_DELAY,
    )
    assert named == (timedelta(hours=24), timedelta(hours=72), timedelta(hours=48))


# --- owing --------------------------------------------------------------------------------


def test_a_notification_is_owed() -> None:
    events = decide_owe(owe(), None, NOW)
    assert events == [
        NotificationOwed(
            "N-000001",
            "AQ",
            "D-000123",
            "next_of_kin",
            "death",
            "person/D-000123",
            41,
            DIED_TEXT,
            "2026-01-21T08:00:00Z",
        )
    ]
    notification = fold(events)
    assert (notification.status, notification.sent, notification.acknowledged) == (
        "owed",
        None,
        None,
    )
    assert (notification.kind, notification.time, notification.due) == (
        "death",
        DIED_TEXT,
        "2026-01-21T08:00:00Z",
    )


def test_times_are_stored_in_utc() -> None:
    local = datetime(2026, 1, 20, 11, 0, 30, 999, tzinfo=timezone(timedelta(hours=3)))
    notification = owed(time=local)
    assert (notification.time, notification.due) == (
        "2026-01-20T08:00:30Z",
        "2026-01-21T08:00:30Z",
    )


def test_a_future_ancient_or_naive_time_is_refused() -> None:
    with pytest.raises(NotificationRefused, match=r"the event that owes the notification is dated"):
        decide_owe(owe(time=NOW + timedelta(minutes=11)), None, NOW)
    with pytest.raises(NotificationRefused, match="before 1990"):
        decide_owe(owe(time=datetime(1980, 1, 1, tzinfo=UTC)), None, NOW)
    with pytest.raises(InvalidInput, match="has no time zone"):
        decide_owe(owe(time=datetime(2026, 1, 20, 8, 0)), None, NOW)  # noqa: DTZ001


def test_an_unknown_recipient_or_reason_is_refused() -> None:
    with pytest.raises(
        NotificationRefused,
        match=r"^the recipient must be one of family, next_of_kin, independent_authority, "
        r"not 'press'$",
    ):
        decide_owe(owe(recipient="press"), None, NOW)
    with pytest.raises(
        NotificationRefused,
        match=r"^the reason must be one of transfer, serious_illness, serious_injury, death, "
        r"disappearance, not 'release'$",
    ):
        decide_owe(owe(reason="release"), None, NOW)


@pytest.mark.parametrize(
    ("reason", "recipient", "owed_to"),
    [
        ("death", "family", "the next_of_kin and the independent_authority"),
        ("transfer", "independent_authority", "the family"),
        ("serious_illness", "next_of_kin", "the family"),
    ],
)
def test_a_pair_no_rule_owes_is_refused(reason: str, recipient: str, owed_to: str) -> None:
    with pytest.raises(
        NotificationRefused,
        match=rf"^no rule owes the {recipient} a notification of {reason}; "
        rf"it is owed to {owed_to}$",
    ):
        decide_owe(owe(reason=reason, recipient=recipient), None, NOW)


def test_an_id_that_exists_is_refused() -> None:
    with pytest.raises(NotificationRefused, match=r"^notification N-000001 already exists$"):
        decide_owe(owe(), owed(), NOW)


def test_text_and_number_limits() -> None:
    with pytest.raises(InvalidInput, match="the notification id is 41 characters"):
        decide_owe(owe(id="N" * 41), None, NOW)
    with pytest.raises(InvalidInput, match="the facility is empty"):
        decide_owe(owe(facility=" "), None, NOW)
    with pytest.raises(InvalidInput, match="the person must be on one line"):
        decide_owe(owe(person="D-1\nD-2"), None, NOW)
    with pytest.raises(InvalidInput, match="the cause stream is empty"):
        decide_owe(owe(cause_stream=""), None, NOW)
    assert owed(cause_seq=0).cause_seq == 0
    for seq in (-1, True, 1.0, "41", 2**63):
        with pytest.raises(NotificationRefused, match="the cause seq must be a whole number"):
            decide_owe(owe(cause_seq=seq), None, NOW)


# --- sending ------------------------------------------------------------------------------


def test_a_notification_is_sent() -> None:
    events = decide_sent(mark_sent(note=" by satellite phone "), owed(), NOW)
    assert events == [
        NotificationSent(
            "N-000001",
            "2026-01-20T09:00:00Z",
            "phone",
            "Brother, Ahmad",
            "Records officer Salma",
            "by satellite phone",
        )
    ]
    notification = fold(events, owed())
    assert notification.status == "sent"
    assert notification.sent == Sending(
        "2026-01-20T09:00:00Z",
        "phone",
        "Brother, Ahmad",
        "Records officer Salma",
        "by satellite phone",
    )


@pytest.mark.parametrize("channel", CHANNELS)
def test_every_channel(channel: str) -> None:
    assert sent(channel=channel).sent == Sending(
        "2026-01-20T09:00:00Z", channel, "Brother, Ahmad", "Records officer Salma"
    )


def test_an_unknown_channel_is_refused() -> None:
    with pytest.raises(
        NotificationRefused,
        match=r"^the channel must be one of radio, phone, letter, in_person, email, message, "
        r"not 'pigeon'$",
    ):
        decide_sent(mark_sent(channel="pigeon"), owed(), NOW)


@pytest.mark.parametrize("to", ["", "  ", None])
def test_sending_needs_who_was_told(to: str | None) -> None:
    with pytest.raises(NotificationRefused, match=r"^a notification sent needs who was told$"):
        decide_sent(mark_sent(to=to), owed(), NOW)


@pytest.mark.parametrize("by", ["", None])
def test_sending_needs_who_told_them(by: str | None) -> None:
    with pytest.raises(NotificationRefused, match=r"^a notification sent needs who told them$"):
        decide_sent(mark_sent(by=by), owed(), NOW)


def test_sending_names_are_one_line() -> None:
    with pytest.raises(InvalidInput, match="who was told must be on one line"):
        decide_sent(mark_sent(to="a\nb"), owed(), NOW)
    with pytest.raises(InvalidInput, match="who told them is 201 characters"):
        decide_sent(mark_sent(by="x" * 201), owed(), NOW)
    with pytest.raises(InvalidInput, match="the note is 2,001 characters"):
        decide_sent(mark_sent(note="x" * 2_001), owed(), NOW)


def test_sending_before_it_was_owed_is_refused() -> None:
    assert sent(time=DIED).sent is not None  # at the same moment is fine
    with pytest.raises(
        NotificationRefused,
        match=r"^the sending is dated 2026-01-20T07:59:00Z, before what owes notification "
        r"N-000001 happened at 2026-01-20T08:00:00Z$",
    ):
        decide_sent(mark_sent(time=at(7, 59)), owed(), NOW)
    with pytest.raises(NotificationRefused, match="after the current time"):
        decide_sent(mark_sent(time=at(13)), owed(), NOW)


def test_sending_again_before_acknowledgement_is_refused() -> None:
    with pytest.raises(
        NotificationRefused,
        match=r"^notification N-000001 was sent at 2026-01-20T09:00:00Z; it awaits "
        r"acknowledgement$",
    ):
        decide_sent(mark_sent(time=at(10)), sent(), NOW)
    with pytest.raises(
        NotificationRefused, match=r"^notification N-000001 is already acknowledged$"
    ):
        decide_sent(mark_sent(time=at(11)), acknowledged(), NOW)


def test_an_unknown_notification_is_refused() -> None:
    with pytest.raises(NotificationRefused, match=r"^no notification N-000009$"):
        decide_sent(mark_sent(id="N-000009"), None, NOW)
    with pytest.raises(NotificationRefused, match=r"^no notification N-000009$"):
        decide_acknowledged(Acknowledge("N-000009", at(9), "Ahmad"), None, NOW)


# --- acknowledging ------------------------------------------------------------------------


def test_a_sent_notification_is_acknowledged() -> None:
    notification = acknowledged()
    assert notification.status == "acknowledged"
    assert notification.acknowledged == Acknowledgement(
        "2026-01-20T10:00:00Z", "Ahmad", "call back tomorrow"
    )
    assert notification.sent is not None


@pytest.mark.parametrize("state", ["owed", "acknowledged"])
def test_only_a_sent_notification_is_acknowledged(state: str) -> None:
    notification = owed() if state == "owed" else acknowledged()
    with pytest.raises(
        NotificationRefused,
        match=rf"^notification N-000001 is {state}; only a sent notification can be acknowledged$",
    ):
        decide_acknowledged(Acknowledge("N-000001", at(11), "Ahmad"), notification, NOW)


def test_an_acknowledgement_before_the_sending_or_without_a_name_is_refused() -> None:
    with pytest.raises(
        NotificationRefused,
        match=r"^the acknowledgement is dated 2026-01-20T08:30:00Z, before notification "
        r"N-000001 was sent at 2026-01-20T09:00:00Z$",
    ):
        decide_acknowledged(Acknowledge("N-000001", at(8, 30), "Ahmad"), sent(), NOW)
    with pytest.raises(
        NotificationRefused, match=r"^an acknowledgement needs the name of who acknowledged$"
    ):
        decide_acknowledged(Acknowledge("N-000001", at(10), " "), sent(), NOW)
    with pytest.raises(NotificationRefused, match="after the current time"):
        decide_acknowledged(Acknowledge("N-000001", at(13), "Ahmad"), sent(), NOW)


# --- overdue ------------------------------------------------------------------------------


def test_an_owed_notification_is_overdue_after_its_due_time() -> None:
    notification = owed()  # due 2026-01-21T08:00:00Z
    assert not notification.is_overdue(at(12))
    assert not notification.is_overdue(at(8, day=21))
    assert notification.is_overdue(at(8, day=21) + timedelta(seconds=1))
    assert notification.is_overdue(
        datetime(2026, 1, 21, 11, 1, tzinfo=timezone(timedelta(hours=3)))
    )


def test_a_sent_or_acknowledged_notification_is_never_overdue() -> None:
    late = at(8, day=25)
    assert not sent().is_overdue(late)
    assert not acknowledged().is_overdue(late)


def test_overdue_needs_an_aware_time() -> None:
    with pytest.raises(InvalidInput, match="has no time zone"):
        owed().is_overdue(datetime(2026, 1, 22))  # noqa: DTZ001


# --- dispatch, errors ---------------------------------------------------------------------


def test_decide_dispatches_on_the_command() -> None:
    assert decide(None, owe(), NOW) == decide_owe(owe(), None, NOW)
    assert decide(owed(), mark_sent(), NOW) == decide_sent(mark_sent(), owed(), NOW)
    ack = Acknowledge("N-000001", at(10), "Ahmad")
    assert decide(sent(), ack, NOW) == decide_acknowledged(ack, sent(), NOW)
    with pytest.raises(TypeError, match="not a notifications command"):
        decide(owed(), cast(Any, "send it"), NOW)


def test_a_notification_refusal_is_a_refusal() -> None:
    assert issubclass(NotificationRefused, Refused)


def test_the_vocabularies() -> None:
    assert RECIPIENTS == ("family", "next_of_kin", "independent_authority")
    assert REASONS == ("transfer", "serious_illness", "serious_injury", "death", "disappearance")
    assert STATUSES == ("owed", "sent", "acknowledged")


# --- events, folding and the case file ----------------------------------------------------


def all_events() -> list[NotificationEvent]:
    return [
        *decide_owe(owe(), None, NOW),
        *decide_sent(mark_sent(), owed(), NOW),
        *decide_acknowledged(Acknowledge("N-000001", at(10), "Ahmad", "thanks"), sent(), NOW),
    ]


def test_every_event_type_is_listed() -> None:
    assert [type(e) for e in all_events()] == list(NOTIFICATION_EVENTS)
    assert [c.TYPE for c in NOTIFICATION_EVENTS] == [
        "notifications.owed",
        "notifications.sent",
        "notifications.acknowledged",
    ]


def test_every_event_round_trips_through_its_data() -> None:
    for event in all_events():
        data = event.to_data()
        text = json.dumps(data)
        assert "float" not in repr(json.loads(text, parse_float=lambda _: "float"))
        assert type(event).from_data(json.loads(text)) == event


def test_an_event_with_an_unknown_field_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown field colour"):
        NotificationAcknowledged.from_data({**all_events()[2].to_data(), "colour": "red"})


def test_evolve_folds_the_whole_story() -> None:
    assert fold(cast(list[Any], all_events())) == Notification(
        "N-000001",
        "AQ",
        "D-000123",
        "next_of_kin",
        "death",
        "person/D-000123",
        41,
        DIED_TEXT,
        "2026-01-21T08:00:00Z",
        "acknowledged",
        Sending("2026-01-20T09:00:00Z", "phone", "Brother, Ahmad", "Records officer Salma"),
        Acknowledgement("2026-01-20T10:00:00Z", "Ahmad", "thanks"),
    )


def test_evolve_refuses_a_corrupt_stream() -> None:
    first, *rest = all_events()
    for event in rest:
        with pytest.raises(ValueError, match="which was never owed"):
            evolve(None, event)
    with pytest.raises(ValueError, match="notification N-000001 is owed twice"):
        evolve(evolve(None, first), first)
    with pytest.raises(TypeError, match="not a notifications event"):
        evolve(evolve(None, first), cast(Any, object()))


@pytest.mark.parametrize("count", [1, 2, 3])
def test_the_state_round_trips_through_json(count: int) -> None:
    notification = fold(cast(list[Any], all_events()[:count]))
    state = notification.to_state()
    text = json.dumps(state, ensure_ascii=False, sort_keys=True)
    assert "float" not in repr(json.loads(text, parse_float=lambda _: "float"))
    assert Notification.from_state(json.loads(text)) == notification
    assert Notification.from_state(state) == notification


def test_the_state_is_a_case_file() -> None:
    notification: CaseState = sent()
    assert (
        notification.facility,
        notification.kind,
        notification.status,
        notification.time,
    ) == ("AQ", "death", "sent", DIED_TEXT)
    assert notification.to_state() == {
        "id": "N-000001",
        "facility": "AQ",
        "person": "D-000123",
        "recipient": "next_of_kin",
        "reason": "death",
        "cause_stream": "person/D-000123",
        "cause_seq": 41,
        "time": DIED_TEXT,
        "due": "2026-01-21T08:00:00Z",
        "status": "sent",
        "sent": {
            "time": "2026-01-20T09:00:00Z",
            "channel": "phone",
            "to": "Brother, Ahmad",
            "by": "Records officer Salma",
            "note": "",
        },
        "acknowledged": None,
    }
