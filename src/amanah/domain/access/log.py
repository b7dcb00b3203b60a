"""The access log: who viewed a person's record, exported, searched or failed to log in.

Each record is chained to the one before: ``hash[i] = SHA-256("amanah access log v1\\n" ‖
hash[i−1] ‖ body[i])`` with ``hash[−1]`` 32 zero bytes, where ``body`` is the record's
canonical JSON (sorted keys, no whitespace, UTF-8; with only strings, integers and nulls this
is RFC 8785). The table is append-only in the database, and the head of the chain is anchored
in the ledger (``access.log_anchored``) at each login, each export and every
:data:`ANCHOR_EVERY` records, so changing, removing or reordering a record already anchored
breaks a signed, witnessed checkpoint. :func:`verify_chain` names the first record that does
not hold.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

from amanah.domain.shared import clean_text

GENESIS = bytes(32)
PREFIX = b"amanah access log v1\n"
ANCHOR_EVERY = 256

LOGIN_SUCCEEDED = "login.succeeded"
LOGIN_FAILED = "login.failed"
LOGOUT = "logout"
PERSON_VIEWED = "person.viewed"
REGISTER_SEARCHED = "register.searched"
ROSTER_VIEWED = "roster.viewed"
EXPORTED = "export"
DENIED = "denied"
KINDS = (
    LOGIN_SUCCEEDED,
    LOGIN_FAILED,
    LOGOUT,
    PERSON_VIEWED,
    REGISTER_SEARCHED,
    ROSTER_VIEWED,
    EXPORTED,
    DENIED,
)

_LIMITS = {"user": 64, "party": 200, "facility": 64, "subject": 200, "client": 200, "detail": 500}


@dataclass(frozen=True, slots=True)
class AccessRecord:
    """One row of the access log. ``user``/``party``: who acted (null for a failed login);
    ``subject``: what was viewed or exported (a person's number, a search, an export's name;
    for a failed login, the account named if it exists); ``client``: the address or device;
    ``detail``: the outcome or reason."""

    seq: int
    time: str
    kind: str
    user: str | None = None
    party: str | None = None
    facility: str | None = None
    subject: str | None = None
    client: str | None = None
    detail: str | None = None


def clean(record: AccessRecord) -> AccessRecord:
    """``record`` with its text fields as one short line each (long ones cut, not refused:
    a view must be logged whatever the client sent)."""
    if record.kind not in KINDS:
        raise ValueError(f"unknown access kind {record.kind!r}")
    values = {}
    for name, limit in _LIMITS.items():
        value = getattr(record, name)
        if value is not None:
            text = " ".join(str(value).split())[:limit]
            text = "".join(ch if ch.isprintable() else "?" for ch in text)
            values[name] = clean_text(text, name, max_chars=limit) if text else None
        else:
            values[name] = None
    return AccessRecord(record.seq, record.time, record.kind, **values)


def record_bytes(record: AccessRecord) -> bytes:
    return json.dumps(
        asdict(record), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")


def chain_hash(previous: bytes, record: AccessRecord) -> bytes:
    return hashlib.sha256(PREFIX + previous + record_bytes(record)).digest()


@dataclass(frozen=True, slots=True)
class ChainProblem:
    seq: int
    what: str


def verify_chain(
    rows: Iterable[tuple[AccessRecord, bytes]], start: int = 0, previous: bytes = GENESIS
) -> Iterator[ChainProblem]:
    """Problems in stored ``(record, hash)`` rows read in order from ``start``: a missing
    record (a gap in ``seq``) or a record whose hash is not its contents chained to the
    stored hash before it. Each stored hash is trusted as the next link, so a changed record
    is named itself, not every record after it."""
    expected = start
    for record, stored in rows:
        if record.seq != expected:
            yield ChainProblem(expected, f"records {expected}..{record.seq - 1} are missing")
        elif chain_hash(previous, record) != stored:
            yield ChainProblem(record.seq, f"record {record.seq} does not match its hash")
        expected = record.seq + 1
        previous = stored
