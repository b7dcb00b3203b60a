"""Properties of the access log's chain and of the throttle, over generated inputs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from amanah.domain.access.log import GENESIS, KINDS, AccessRecord, chain_hash, clean, verify_chain
from amanah.domain.access.throttle import (
    USER_POLICY,
    Strikes,
    after_failure,
    locked_until,
)

T0 = datetime(2026, 1, 20, tzinfo=UTC)
TEXT = st.one_of(st.none(), st.text(max_size=300))
FIELDS = ("user", "party", "facility", "subject", "client", "detail")


@st.composite
def logs(draw: st.DrawFn) -> list[tuple[AccessRecord, bytes]]:
    rows = []
    previous = GENESIS
    for seq in range(draw(st.integers(1, 30))):
        record = clean(
            AccessRecord(
                seq,
                "2026-01-20T12:00:00Z",
                draw(st.sampled_from(KINDS)),
                *(draw(TEXT) for _ in FIELDS),
            )
        )
        previous = chain_hash(previous, record)
        rows.append((record, previous))
    return rows


@given(logs())
def test_an_untouched_log_verifies(rows: list[tuple[AccessRecord, bytes]]) -> None:
    assert list(verify_chain(rows)) == []


@given(logs(), st.data())
def test_any_change_to_any_record_is_named(
    rows: list[tuple[AccessRecord, bytes]], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(rows) - 1))
    name = data.draw(st.sampled_from(FIELDS))
    record, hashed = rows[index]
    value = data.draw(st.text(min_size=1, max_size=20).filter(lambda v: v != getattr(record, name)))
    changes: dict[str, Any] = {name: value}
    rows[index] = (replace(record, **changes), hashed)
    problems = list(verify_chain(rows))
    assert problems[0].seq == index


@given(st.lists(st.integers(0, 200_000), min_size=1, max_size=60))
def test_a_lock_never_exceeds_the_cap_and_never_shrinks_under_attack(gaps: list[int]) -> None:
    now = T0
    strikes = Strikes()
    previous_lock = timedelta(0)
    for gap in gaps:
        now += timedelta(seconds=gap)
        fresh = strikes.last_failure is None or now - strikes.last_failure >= USER_POLICY.forget
        strikes = after_failure(strikes, now, USER_POLICY)
        end = locked_until(strikes, now)
        lock = end - now if end else timedelta(0)
        assert lock <= USER_POLICY.cap
        if not fresh:
            assert lock >= previous_lock
        assert (end is not None) == (strikes.failures >= USER_POLICY.threshold)
        previous_lock = lock
