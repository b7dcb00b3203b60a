"""The access log's hash chain: a clean chain verifies; a changed, removed or reordered
record is named; text is cut to one clean line, never refused."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import pytest

from amanah.domain.access.log import (
    GENESIS,
    PREFIX,
    AccessRecord,
    chain_hash,
    clean,
    record_bytes,
    verify_chain,
)


def chain(n: int) -> list[tuple[AccessRecord, bytes]]:
    rows = []
    previous = GENESIS
    for i in range(n):
        record = AccessRecord(i, "2026-01-20T12:00:00Z", "person.viewed", "rana", "P", "AQ",
                              f"D-{i:06d}", "10.0.0.9")  # fmt: skip
        previous = chain_hash(previous, record)
        rows.append((record, previous))
    return rows


def test_the_hash_is_the_documented_one() -> None:
    record = AccessRecord(0, "2026-01-20T12:00:00Z", "login.failed", client="10.0.0.9")
    body = json.dumps(
        {"seq": 0, "time": "2026-01-20T12:00:00Z", "kind": "login.failed", "user": None,
         "party": None, "facility": None, "subject": None, "client": "10.0.0.9",
         "detail": None},
        sort_keys=True, separators=(",", ":"),
    ).encode()  # fmt: skip
    assert record_bytes(record) == body
    assert chain_hash(GENESIS, record) == hashlib.sha256(PREFIX + bytes(32) + body).digest()


def test_a_clean_chain_verifies() -> None:
    assert list(verify_chain(chain(50))) == []


def test_a_changed_record_is_named() -> None:
    rows = chain(10)
    record, hashed = rows[6]
    rows[6] = (replace(record, subject="D-999999"), hashed)
    problems = list(verify_chain(rows))
    assert [(p.seq, p.what) for p in problems] == [(6, "record 6 does not match its hash")]


def test_a_record_rewritten_with_its_hash_breaks_the_next_link() -> None:
    rows = chain(10)
    record, _ = rows[3]
    changed = replace(record, user="someone-else")
    rows[3] = (changed, chain_hash(rows[2][1], changed))
    assert [p.seq for p in verify_chain(rows)] == [4]


def test_a_removed_record_is_a_gap() -> None:
    rows = chain(10)
    del rows[4]
    assert [(p.seq, p.what) for p in verify_chain(rows)] == [(4, "records 4..4 are missing")]


def test_swapped_records_are_named() -> None:
    rows = chain(6)
    rows[2], rows[3] = rows[3], rows[2]
    assert next(p.seq for p in verify_chain(rows)) == 2


def test_clean_cuts_text_to_one_printable_line() -> None:
    record = clean(AccessRecord(0, "t", "login.failed", subject="a\nb\x00c", client="x" * 500))
    assert record.subject == "a b?c"
    assert record.client == "x" * 200
    assert clean(AccessRecord(0, "t", "logout", detail="   ")).detail is None
    with pytest.raises(ValueError, match="unknown access kind"):
        clean(AccessRecord(0, "t", "peeked"))
