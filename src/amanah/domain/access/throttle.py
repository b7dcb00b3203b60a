"""Failed-login throttling: after a few failures, an exponentially growing lock-out.

Failures are counted per username and per client address, each with its own
:class:`ThrottlePolicy`. From the ``threshold``-th failure on, each failure locks the key for
``base · 2^(failures − threshold)``, at most ``cap``; a key with no failure for ``forget`` starts
again from zero. While a key is locked, attempts are refused without checking the password
(and do not add to the count, so the lock ends when it said it would). A successful login
clears its username's count, not its client's: one valid account must not let an insider reset
the throttle on guesses at other accounts from the same machine.

Pure: the service keeps :class:`Strikes` in a table (so locks survive a restart) and passes
the time in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    threshold: int
    base: timedelta
    cap: timedelta
    forget: timedelta


#: Per username: 5 tries, then 30 s, 1 min, 2 min... at most 15 min (a lock-out an attacker
#: can force on someone else stays short).
USER_POLICY = ThrottlePolicy(5, timedelta(seconds=30), timedelta(minutes=15), timedelta(days=1))
#: Per client address: a shared tablet gets more tries, then up to an hour.
CLIENT_POLICY = ThrottlePolicy(20, timedelta(seconds=30), timedelta(hours=1), timedelta(hours=1))


@dataclass(frozen=True, slots=True)
class Strikes:
    """Failed logins of one key: how many, the last one, and the lock they earned."""

    failures: int = 0
    last_failure: datetime | None = None
    locked_until: datetime | None = None


def locked_until(strikes: Strikes, now: datetime) -> datetime | None:
    """When the key's lock ends, or None if it is not locked at ``now``."""
    if strikes.locked_until is not None and now < strikes.locked_until:
        return strikes.locked_until
    return None


def after_failure(strikes: Strikes, now: datetime, policy: ThrottlePolicy) -> Strikes:
    """The strikes after a failed attempt at ``now``."""
    stale = strikes.last_failure is None or now - strikes.last_failure >= policy.forget
    failures = 1 if stale else strikes.failures + 1
    lock = None
    if failures >= policy.threshold:
        # Capping the exponent first keeps 2**n small however long an attack runs.
        exponent = min(failures - policy.threshold, 32)
        lock = now + min(policy.base * (2**exponent), policy.cap)
    return Strikes(failures, now, lock)
