"""Failed-login throttling with a fixed clock: the threshold, the doubling, the cap, the
forgetting, and that a locked key's lock ends when it said it would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from amanah.clock import FixedClock
from amanah.domain.access.throttle import (
    CLIENT_POLICY,
    USER_POLICY,
    Strikes,
    ThrottlePolicy,
    after_failure,
    locked_until,
)

T0 = datetime(2026, 1, 20, 12, 0, tzinfo=UTC)
POLICY = ThrottlePolicy(5, timedelta(seconds=30), timedelta(minutes=15), timedelta(days=1))


def fail(strikes: Strikes, clock: FixedClock, policy: ThrottlePolicy = POLICY) -> Strikes:
    return after_failure(strikes, clock.now(), policy)


def test_four_failures_do_not_lock_the_fifth_locks_for_thirty_seconds() -> None:
    clock = FixedClock(T0)
    strikes = Strikes()
    for _ in range(4):
        strikes = fail(strikes, clock)
        assert locked_until(strikes, clock.now()) is None
        clock.advance(timedelta(seconds=1))
    strikes = fail(strikes, clock)
    assert strikes.failures == 5
    assert locked_until(strikes, clock.now()) == clock.now() + timedelta(seconds=30)
    clock.advance(timedelta(seconds=29))
    assert locked_until(strikes, clock.now()) is not None
    clock.advance(timedelta(seconds=1))
    assert locked_until(strikes, clock.now()) is None


def test_each_further_failure_doubles_the_lock_up_to_the_cap() -> None:
    clock = FixedClock(T0)
    strikes = Strikes()
    locks = []
    for _ in range(12):
        strikes = fail(strikes, clock)
        end = locked_until(strikes, clock.now())
        locks.append(int((end - clock.now()).total_seconds()) if end else 0)
        if end:
            clock.set(end)  # the next try comes when the lock ends
    assert locks == [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]


def test_failures_are_forgotten_after_a_quiet_day() -> None:
    clock = FixedClock(T0)
    strikes = Strikes()
    for _ in range(4):
        strikes = fail(strikes, clock)
    clock.advance(timedelta(days=1))
    strikes = fail(strikes, clock)
    assert strikes.failures == 1
    assert locked_until(strikes, clock.now()) is None


def test_a_long_attack_never_overflows() -> None:
    clock = FixedClock(T0)
    strikes = Strikes(10_000, T0, None)
    strikes = fail(strikes, clock)
    assert locked_until(strikes, clock.now()) == T0 + POLICY.cap


def test_the_shipped_policies() -> None:
    assert (USER_POLICY.threshold, USER_POLICY.cap) == (5, timedelta(minutes=15))
    assert (CLIENT_POLICY.threshold, CLIENT_POLICY.cap) == (20, timedelta(hours=1))
