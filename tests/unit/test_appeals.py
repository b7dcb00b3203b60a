"""The rules of appeals to guarantors (pure domain: no storage)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from functools import reduce
from typing import Any, cast

import pytest

from amanah.domain.appeals.commands import Acknowledge, Close, Promise, Remind, SendAppeal
from amanah.domain.appeals.errors import AppealRefused
from amanah.domain.appeals.events import (
    APPEAL_EVENTS,
    AppealAcknowledged,
    AppealClosed,
    AppealEvent,
    AppealSent,
    PromiseMade,
    ReminderSent,
)
from amanah.domain.appeals.model import (
    CHANNELS,
    KINDS,
    OPEN_STATUSES,
    OUTCOMES,
    Acknowledgement,
    Appeal,
    Closure,
    Pledge,
    Reminder,
    decide,
    decide_acknowledge,
    decide_close,
    decide_promise,
    decide_remind,
    decide_send,
    evolve,
)
from amanah.domain.shared import CaseState
from amanah.errors import InvalidInput, Refused

NOW = datetime(2026, 1, 20, 12, 0, tzinfo=UTC)
SENT_AT = datetime(2026, 1, 20, 8, 0, tzinfo=UTC)
SHA = "ab" * 32


def send(**changes: Any) -> SendAppeal:
    fields: dict[str, Any] = {
        "id": "AP-0001",
        "facility": "AQ",
        "kind": "protection",
        "recipient": "ICRC delegation, Qamishli",
        "channel": "radio",
        "text": "We ask for protection of staff and detainees under international guarantees.",
        "time": SENT_AT,
    }
    fields.update(changes)
    return SendAppeal(**fields)


def fold(events: list[Any], state: Appeal | None = None) -> Appeal:
    folded = reduce(evolve, events, state)
    assert folded is not None
    return folded


def sent(**changes: Any) -> Appeal:
    return fold(decide_send(send(**changes), None, NOW))


def at(hour: int, minute: int = 0, day: int = 20) -> datetime:
    return datetime(2026, 1, day, hour, minute, tzinfo=UTC)


def promised(appeal: Appeal | None = None, *, deadline: datetime | None = None) -> Appeal:
    appeal = appeal or sent()
    command = Promise("AP-0001", at(9), "a convoy with water", deadline or at(18), "Liaison Ward")
    return fold(decide_promise(command, appeal, NOW), appeal)


# --- sending ------------------------------------------------------------------------------


def test_an_appeal_is_sent() -> None:
    events = decide_send(send(sitrep_sha256=SHA, sitrep_name=" sitrep-2026-01-20.pdf "), None, NOW)
    assert events == [
        AppealSent(
            "AP-0001",
            "AQ",
            "protection",
            "ICRC delegation, Qamishli",
            "radio",
            "We ask for protection of staff and detainees under international guarantees.",
            "2026-01-20T08:00:00Z",
            SHA,
            "sitrep-2026-01-20.pdf",
        )
    ]
    appeal = fold(events)
    assert (appeal.status, appeal.time, appeal.facility, appeal.kind) == (
        "sent",
        "2026-01-20T08:00:00Z",
        "AQ",
        "protection",
    )
    assert appeal.is_open
    assert appeal.deadline is None
    assert (appeal.acknowledged, appeal.promises, appeal.reminders, appeal.closed) == (
        None,
        (),
        (),
        None,
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("channel", CHANNELS)
def test_every_kind_goes_by_every_channel(kind: str, channel: str) -> None:
    appeal = sent(kind=kind, channel=channel)
    assert (appeal.kind, appeal.channel) == (kind, channel)


def test_times_are_stored_in_utc() -> None:
    local = datetime(2026, 1, 20, 11, 0, tzinfo=timezone(timedelta(hours=3)))
    assert sent(time=local).time == "2026-01-20T08:00:00Z"


@pytest.mark.parametrize("recipient", ["", "   ", None])
def test_an_appeal_without_a_recipient_is_refused(recipient: str | None) -> None:
    with pytest.raises(AppealRefused, match=r"^an appeal needs a recipient$"):
        decide_send(send(recipient=recipient), None, NOW)


@pytest.mark.parametrize("text", ["", "  \n ", None])
def test_an_appeal_without_text_is_refused(text: str | None) -> None:
    with pytest.raises(AppealRefused, match=r"^an appeal needs its text$"):
        decide_send(send(text=text), None, NOW)


def test_text_limits() -> None:
    assert sent(text="x" * 8_000).text == "x" * 8_000
    assert sent(text="line one\nline two").text == "line one\nline two"
    with pytest.raises(InvalidInput, match="the appeal text is 8,001 characters; the limit"):
        decide_send(send(text="x" * 8_001), None, NOW)
    with pytest.raises(InvalidInput, match="the recipient is 201 characters"):
        decide_send(send(recipient="x" * 201), None, NOW)
    with pytest.raises(InvalidInput, match="the recipient must be on one line"):
        decide_send(send(recipient="ICRC\nQamishli"), None, NOW)
    with pytest.raises(InvalidInput, match="the appeal id is 41 characters"):
        decide_send(send(id="A" * 41), None, NOW)
    with pytest.raises(InvalidInput, match="the appeal id is empty"):
        decide_send(send(id=" "), None, NOW)
    with pytest.raises(InvalidInput, match="the facility is empty"):
        decide_send(send(facility=""), None, NOW)


def test_an_unknown_kind_or_channel_is_refused() -> None:
    with pytest.raises(
        AppealRefused,
        match="the kind of appeal must be one of protection, safe_corridor, resupply, "
        "medical_evacuation, not 'rescue'",
    ):
        decide_send(send(kind="rescue"), None, NOW)
    with pytest.raises(
        AppealRefused,
        match="the channel must be one of radio, phone, letter, in_person, email, not 'fax'",
    ):
        decide_send(send(channel="fax"), None, NOW)


def test_an_id_that_exists_is_refused() -> None:
    with pytest.raises(AppealRefused, match=r"^appeal AP-0001 already exists$"):
        decide_send(send(), sent(), NOW)


def test_a_future_ancient_or_naive_time_is_refused() -> None:
    assert sent(time=NOW + timedelta(minutes=9)).time == "2026-01-20T12:09:00Z"  # clock skew
    with pytest.raises(AppealRefused, match=r"the appeal is dated .* after the current time"):
        decide_send(send(time=NOW + timedelta(minutes=11)), None, NOW)
    with pytest.raises(AppealRefused, match="before 1990"):
        decide_send(send(time=datetime(1980, 1, 1, tzinfo=UTC)), None, NOW)
    with pytest.raises(InvalidInput, match="has no time zone"):
        decide_send(send(time=datetime(2026, 1, 20, 8, 0)), None, NOW)  # noqa: DTZ001


@pytest.mark.parametrize(
    "sha",
    ["AB" * 32, "ab" * 31, "ab" * 33, "zz" * 32, " " + "ab" * 32, cast(str, 12)],
)
def test_a_situation_report_hash_must_be_64_lowercase_hex(sha: str) -> None:
    with pytest.raises(AppealRefused, match="sha256 must be 64 lowercase hexadecimal digits"):
        decide_send(send(sitrep_sha256=sha), None, NOW)


def test_a_situation_report_is_optional_but_a_name_needs_its_hash() -> None:
    assert (sent().sitrep_sha256, sent().sitrep_name) == (None, None)
    assert (sent(sitrep_sha256=SHA).sitrep_sha256, sent(sitrep_sha256=SHA).sitrep_name) == (
        SHA,
        None,
    )
    assert sent(sitrep_sha256=SHA, sitrep_name="  ").sitrep_name is None
    with pytest.raises(AppealRefused, match="named without its sha256 is not pinned"):
        decide_send(send(sitrep_name="sitrep.pdf"), None, NOW)
    with pytest.raises(InvalidInput, match="the situation report's name must be on one line"):
        decide_send(send(sitrep_sha256=SHA, sitrep_name="a\nb"), None, NOW)


# --- acknowledging ------------------------------------------------------------------------


def test_a_sent_appeal_is_acknowledged() -> None:
    appeal = sent()
    events = decide_acknowledge(
        Acknowledge("AP-0001", at(8, 30), " Delegate Haddad ", "received by radio"), appeal, NOW
    )
    assert events == [
        AppealAcknowledged(
            "AP-0001", "2026-01-20T08:30:00Z", "Delegate Haddad", "received by radio"
        )
    ]
    after = fold(events, appeal)
    assert after.status == "acknowledged"
    assert after.acknowledged == Acknowledgement(
        "2026-01-20T08:30:00Z", "Delegate Haddad", "received by radio"
    )
    assert after.is_open
    note_less = decide_acknowledge(Acknowledge("AP-0001", at(8, 30), "Haddad"), appeal, NOW)
    assert note_less[0].note == ""


@pytest.mark.parametrize("status", ["acknowledged", "promised", *OUTCOMES])
def test_only_a_sent_appeal_is_acknowledged(status: str) -> None:
    state = {**sent().to_state(), "status": status}
    with pytest.raises(
        AppealRefused,
        match=f"^appeal AP-0001 is {status}; only a sent appeal can be acknowledged$",
    ):
        decide_acknowledge(Acknowledge("AP-0001", at(9), "Haddad"), Appeal.from_state(state), NOW)


def test_an_acknowledgement_before_the_sending_or_without_a_name_is_refused() -> None:
    with pytest.raises(
        AppealRefused,
        match="the acknowledgement is dated 2026-01-20T07:59:00Z, before appeal AP-0001 "
        "was sent at 2026-01-20T08:00:00Z",
    ):
        decide_acknowledge(Acknowledge("AP-0001", at(7, 59), "Haddad"), sent(), NOW)
    assert decide_acknowledge(Acknowledge("AP-0001", SENT_AT, "Haddad"), sent(), NOW)
    with pytest.raises(AppealRefused, match="after the current time"):
        decide_acknowledge(Acknowledge("AP-0001", at(13), "Haddad"), sent(), NOW)
    with pytest.raises(AppealRefused, match="needs the name of who acknowledged"):
        decide_acknowledge(Acknowledge("AP-0001", at(9), " "), sent(), NOW)


# --- promising ----------------------------------------------------------------------------


def test_a_promise_is_recorded_with_its_deadline() -> None:
    appeal = sent()
    events = decide_promise(
        Promise("AP-0001", at(9), "a convoy with water", at(18), "Liaison Ward"), appeal, NOW
    )
    assert events == [
        PromiseMade(
            "AP-0001",
            "2026-01-20T09:00:00Z",
            "a convoy with water",
            "2026-01-20T18:00:00Z",
            "Liaison Ward",
        )
    ]
    after = fold(events, appeal)
    assert after.status == "promised"
    assert after.deadline == "2026-01-20T18:00:00Z"
    assert after.acknowledged is None


def test_a_deadline_may_lie_in_the_future() -> None:
    far = promised(deadline=at(8, day=27))
    assert far.deadline == "2026-01-27T08:00:00Z"


def test_a_new_promise_replaces_the_deadline_and_keeps_the_history() -> None:
    acknowledged = fold(
        decide_acknowledge(Acknowledge("AP-0001", at(8, 30), "Haddad"), sent(), NOW), sent()
    )
    first = promised(acknowledged)
    assert first.acknowledged is not None
    second = fold(
        decide_promise(
            Promise("AP-0001", at(10), "the convoy, delayed", at(12, day=21), "Liaison Ward"),
            first,
            NOW,
        ),
        first,
    )
    assert second.status == "promised"
    assert second.deadline == "2026-01-21T12:00:00Z"
    assert second.promises == (
        Pledge(
            "2026-01-20T09:00:00Z", "a convoy with water", "2026-01-20T18:00:00Z", "Liaison Ward"
        ),
        Pledge(
            "2026-01-20T10:00:00Z",
            "the convoy, delayed",
            "2026-01-21T12:00:00Z",
            "Liaison Ward",
        ),
    )


def test_a_promise_before_the_one_it_replaces_is_refused() -> None:
    with pytest.raises(
        AppealRefused,
        match="before the promise it would replace, made at 2026-01-20T09:00:00Z",
    ):
        decide_promise(Promise("AP-0001", at(8, 30), "earlier", at(20), "Ward"), promised(), NOW)


def test_a_deadline_must_come_after_the_promise() -> None:
    for deadline in (at(9), at(8, 59)):
        with pytest.raises(
            AppealRefused,
            match=r"^the deadline .* is not after the promise, made at 2026-01-20T09:00:00Z$",
        ):
            decide_promise(Promise("AP-0001", at(9), "water", deadline, "Ward"), sent(), NOW)
    with pytest.raises(InvalidInput, match=r"the promise's deadline .* has no time zone"):
        decide_promise(
            Promise("AP-0001", at(9), "water", datetime(2026, 1, 21), "Ward"),  # noqa: DTZ001
            sent(),
            NOW,
        )


def test_a_promise_needs_an_action_and_a_name_and_a_good_time() -> None:
    with pytest.raises(AppealRefused, match=r"^a promise needs the action promised$"):
        decide_promise(Promise("AP-0001", at(9), "", at(18), "Ward"), sent(), NOW)
    with pytest.raises(AppealRefused, match=r"^a promise needs the name of who promised$"):
        decide_promise(Promise("AP-0001", at(9), "water", at(18), ""), sent(), NOW)
    with pytest.raises(AppealRefused, match=r"the promise is dated .* before appeal AP-0001"):
        decide_promise(Promise("AP-0001", at(7), "water", at(18), "Ward"), sent(), NOW)
    with pytest.raises(AppealRefused, match=r"the promise is dated .* after the current time"):
        decide_promise(Promise("AP-0001", at(13), "water", at(18), "Ward"), sent(), NOW)


# --- reminding ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", OPEN_STATUSES)
def test_a_reminder_is_recorded_on_an_open_appeal(status: str) -> None:
    appeal = Appeal.from_state({**sent().to_state(), "status": status})
    events = decide_remind(Remind("AP-0001", at(11), "phone", " Still no water. "), appeal, NOW)
    assert events == [ReminderSent("AP-0001", "2026-01-20T11:00:00Z", "phone", "Still no water.")]
    after = fold(events, appeal)
    assert after.status == status
    assert after.reminders == (Reminder("2026-01-20T11:00:00Z", "phone", "Still no water."),)


def test_a_reminder_needs_a_channel_text_and_a_good_time() -> None:
    with pytest.raises(AppealRefused, match="the channel must be one of"):
        decide_remind(Remind("AP-0001", at(11), "pigeon", "water"), sent(), NOW)
    with pytest.raises(AppealRefused, match=r"^a reminder needs its text$"):
        decide_remind(Remind("AP-0001", at(11), "radio", " "), sent(), NOW)
    with pytest.raises(AppealRefused, match=r"the reminder is dated .* before appeal AP-0001"):
        decide_remind(Remind("AP-0001", at(7), "radio", "water"), sent(), NOW)


# --- closing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "note"),
    [("fulfilled", ""), ("fulfilled", "convoy arrived"), ("refused", "no access"),
     ("withdrawn", "water restored")],
)  # fmt: skip
def test_an_open_appeal_is_closed(outcome: str, note: str) -> None:
    appeal = promised()
    events = decide_close(Close("AP-0001", at(11), outcome, note), appeal, NOW)
    assert events == [AppealClosed("AP-0001", "2026-01-20T11:00:00Z", outcome, note)]
    after = fold(events, appeal)
    assert after.status == outcome
    assert after.closed == Closure("2026-01-20T11:00:00Z", outcome, note)
    assert not after.is_open
    assert after.deadline == "2026-01-20T18:00:00Z"  # the history stays


@pytest.mark.parametrize("outcome", ["refused", "withdrawn"])
def test_refused_or_withdrawn_needs_a_note(outcome: str) -> None:
    with pytest.raises(
        AppealRefused, match=f"^closing an appeal as {outcome} needs a note saying why$"
    ):
        decide_close(Close("AP-0001", at(11), outcome, "  "), sent(), NOW)


def test_an_unknown_outcome_is_refused() -> None:
    with pytest.raises(
        AppealRefused, match="the outcome must be one of fulfilled, refused, withdrawn, not 'lost'"
    ):
        decide_close(Close("AP-0001", at(11), "lost", "x"), sent(), NOW)


def test_a_closing_before_the_latest_step_is_refused() -> None:
    appeal = promised()
    with pytest.raises(
        AppealRefused,
        match="the closing is dated 2026-01-20T08:30:00Z, before the appeal's latest step "
        "at 2026-01-20T09:00:00Z",
    ):
        decide_close(Close("AP-0001", at(8, 30), "fulfilled"), appeal, NOW)
    with pytest.raises(AppealRefused, match=r"the closing is dated .* before appeal AP-0001"):
        decide_close(Close("AP-0001", at(7), "fulfilled"), sent(), NOW)


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_a_closed_appeal_takes_no_more_steps(outcome: str) -> None:
    closed = fold(decide_close(Close("AP-0001", at(9), outcome, "why"), sent(), NOW), sent())
    steps: list[tuple[Any, str]] = [
        (Promise("AP-0001", at(10), "water", at(18), "Ward"), "a promise is recorded on"),
        (Remind("AP-0001", at(10), "radio", "water"), "a reminder is sent about"),
        (Close("AP-0001", at(10), "fulfilled"), "closing applies to"),
    ]
    for command, step in steps:
        with pytest.raises(
            AppealRefused,
            match=f"^appeal AP-0001 is {outcome}; {step} only an open appeal "
            r"\(sent, acknowledged or promised\)$",
        ):
            decide(closed, command, NOW)
    with pytest.raises(AppealRefused, match=f"is {outcome}; only a sent appeal"):
        decide(closed, Acknowledge("AP-0001", at(10), "Haddad"), NOW)


# --- unknown appeals, the dispatcher --------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        Acknowledge("AP-0009", at(9), "Haddad"),
        Promise("AP-0009", at(9), "water", at(18), "Ward"),
        Remind("AP-0009", at(9), "radio", "water"),
        Close("AP-0009", at(9), "withdrawn", "why"),
    ],
)
def test_an_unknown_appeal_is_refused(command: Any) -> None:
    with pytest.raises(AppealRefused, match=r"^no appeal AP-0009$"):
        decide(None, command, NOW)


def test_decide_dispatches_on_the_command() -> None:
    events: list[AppealEvent] = decide(None, send(), NOW)
    appeal = fold(events)
    events += decide(appeal, Acknowledge("AP-0001", at(8, 10), "Haddad"), NOW)
    appeal = fold(events)
    events += decide(appeal, Promise("AP-0001", at(8, 20), "water", at(10), "Ward"), NOW)
    appeal = fold(events)
    events += decide(appeal, Remind("AP-0001", at(10, 30), "phone", "still waiting"), NOW)
    appeal = fold(events)
    events += decide(appeal, Close("AP-0001", at(11), "fulfilled", "delivered"), NOW)
    assert [type(e) for e in events] == list(APPEAL_EVENTS)
    with pytest.raises(TypeError, match="not an appeals command"):
        decide(None, cast(Any, object()), NOW)


def test_an_appeal_refusal_is_a_refusal() -> None:
    assert issubclass(AppealRefused, Refused)


# --- events and state ---------------------------------------------------------------------


def all_events() -> list[AppealEvent]:
    return [
        AppealSent("AP-0001", "AQ", "resupply", "Coalition liaison", "email", "water", "t", SHA,
                   "sitrep.pdf"),
        AppealAcknowledged("AP-0001", "2026-01-20T08:30:00Z", "Haddad", "ok"),
        PromiseMade("AP-0001", "2026-01-20T09:00:00Z", "water", "2026-01-20T18:00:00Z", "Ward"),
        ReminderSent("AP-0001", "2026-01-20T19:00:00Z", "radio", "still waiting"),
        AppealClosed("AP-0001", "2026-01-20T20:00:00Z", "refused", "no access"),
    ]  # fmt: skip


def test_every_event_round_trips_through_its_data() -> None:
    events = all_events()
    assert {type(e) for e in events} == set(APPEAL_EVENTS)
    for event in events:
        data = event.to_data()
        assert json.loads(json.dumps(data)) == data
        assert not any(isinstance(v, float) for v in data.values())
        assert type(event).from_data(data) == event
        assert event.TYPE.startswith("appeals.")
    assert [e.TYPE for e in events] == [
        "appeals.sent",
        "appeals.acknowledged",
        "appeals.promised",
        "appeals.reminded",
        "appeals.closed",
    ]


def test_an_event_with_an_unknown_field_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown field colour"):
        ReminderSent.from_data({**all_events()[3].to_data(), "colour": "red"})


def test_optional_fields_may_be_absent_from_older_entries() -> None:
    data = all_events()[0].to_data()
    del data["sitrep_sha256"], data["sitrep_name"]
    assert AppealSent.from_data(data).sitrep_sha256 is None


def test_evolve_folds_the_whole_story() -> None:
    appeal = fold(cast(list[Any], all_events()))
    assert appeal == Appeal(
        "AP-0001",
        "AQ",
        "resupply",
        "Coalition liaison",
        "email",
        "water",
        "t",
        SHA,
        "sitrep.pdf",
        "refused",
        Acknowledgement("2026-01-20T08:30:00Z", "Haddad", "ok"),
        (Pledge("2026-01-20T09:00:00Z", "water", "2026-01-20T18:00:00Z", "Ward"),),
        (Reminder("2026-01-20T19:00:00Z", "radio", "still waiting"),),
        Closure("2026-01-20T20:00:00Z", "refused", "no access"),
    )


def test_evolve_refuses_a_corrupt_stream() -> None:
    first, *rest = all_events()
    for event in rest:
        with pytest.raises(ValueError, match="which was never sent"):
            evolve(None, event)
    with pytest.raises(ValueError, match="appeal AP-0001 is sent twice"):
        evolve(evolve(None, first), first)


@pytest.mark.parametrize("count", range(len(all_events()) + 1))
def test_the_state_round_trips_through_json(count: int) -> None:
    events = [
        *decide_send(send(sitrep_sha256=SHA, sitrep_name="sitrep.pdf"), None, NOW),
        AppealAcknowledged("AP-0001", "2026-01-20T08:30:00Z", "Haddad", "ok"),
        PromiseMade("AP-0001", "2026-01-20T09:00:00Z", "water", "2026-01-20T18:00:00Z", "Ward"),
        ReminderSent("AP-0001", "2026-01-20T19:00:00Z", "radio", "still waiting"),
        AppealClosed("AP-0001", "2026-01-20T20:00:00Z", "refused", "no access"),
    ][: max(count, 1)]
    appeal = fold(cast(list[Any], events))
    state = appeal.to_state()
    text = json.dumps(state, ensure_ascii=False, sort_keys=True)
    assert "float" not in repr(json.loads(text, parse_float=lambda _: "float"))
    assert Appeal.from_state(json.loads(text)) == appeal
    assert Appeal.from_state(state) == appeal


def test_the_state_is_a_case_file() -> None:
    appeal: CaseState = promised()
    assert (appeal.facility, appeal.kind, appeal.status, appeal.time) == (
        "AQ",
        "protection",
        "promised",
        "2026-01-20T08:00:00Z",
    )
    assert set(appeal.to_state()) == {
        "id", "facility", "kind", "recipient", "channel", "text", "time", "sitrep_sha256",
        "sitrep_name", "status", "acknowledged", "promises", "reminders", "closed",
    }  # fmt: skip
    assert appeal.to_state()["promises"] == [
        {
            "time": "2026-01-20T09:00:00Z",
            "action": "a convoy with water",
            "deadline": "2026-01-20T18:00:00Z",
            "by": "Liaison Ward",
        }
    ]


# --- reminders due ------------------------------------------------------------------------


def remind(appeal: Appeal, when: datetime) -> Appeal:
    return fold(decide_remind(Remind("AP-0001", when, "radio", "water?"), appeal, when), appeal)


def test_no_reminder_is_due_without_a_deadline() -> None:
    assert not sent().reminder_due(at(23))


def test_a_reminder_is_due_once_the_deadline_passes() -> None:
    appeal = promised()  # deadline 18:00
    assert not appeal.reminder_due(at(17, 59))
    assert not appeal.reminder_due(at(18))
    assert appeal.reminder_due(at(18, 1))
    assert appeal.reminder_due(datetime(2026, 1, 20, 21, 1, tzinfo=timezone(timedelta(hours=3))))


def test_a_reminder_sent_after_the_deadline_settles_it() -> None:
    appeal = promised()
    before = remind(appeal, at(17))
    assert before.reminder_due(at(19))  # that reminder was sent before the deadline passed
    assert not remind(appeal, at(18, 30)).reminder_due(at(19))
    assert remind(appeal, at(18)).reminder_due(at(19))  # at the deadline is not after it


def test_a_new_deadline_makes_a_reminder_due_again() -> None:
    appeal = remind(promised(), at(18, 30))
    later = fold(
        decide_promise(
            Promise("AP-0001", at(18, 40), "tomorrow", at(20), "Ward"), appeal, at(18, 40)
        ),
        appeal,
    )
    assert not later.reminder_due(at(19, 59))
    assert later.reminder_due(at(20, 1))


def test_no_reminder_is_due_on_a_closed_appeal() -> None:
    appeal = promised()
    closed = fold(decide_close(Close("AP-0001", at(10), "fulfilled"), appeal, NOW), appeal)
    assert not closed.reminder_due(at(23))
