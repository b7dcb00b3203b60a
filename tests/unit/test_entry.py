"""Ledger entries: RFC 8785 canonical JSON, the DESIGN.md fields, the refusals."""

from __future__ import annotations

import pytest

from amanah.errors import EntryRejected
from amanah.ledger.entry import MAX_ENTRY_BYTES, Actor, Entry, decode, encode


def _entry(**data: object) -> Entry:
    return Entry(
        seq=3,
        time="2026-01-20T05:15:00Z",
        stream="occurrence-book",
        version=2,
        type="occurrence.entry_recorded",
        actor=Actor("al-aqtan", "records-1"),
        data=dict(data),
    )


def test_encoding_is_canonical_sorted_and_utf8() -> None:
    raw = encode(_entry(text="تعداد الصباح", by="z", n=1500, nested={"b": 1, "a": [True, None]}))
    assert (
        raw
        == (
            '{"actor":{"party":"al-aqtan","user":"records-1"},'
            '"data":{"by":"z","n":1500,"nested":{"a":[true,null],"b":1},"text":"تعداد الصباح"},'
            '"seq":3,"stream":"occurrence-book","time":"2026-01-20T05:15:00Z",'
            '"type":"occurrence.entry_recorded","v":1,"version":2}'
        ).encode()
    )
    assert decode(raw) == _entry(
        text="تعداد الصباح", by="z", n=1500, nested={"b": 1, "a": [True, None]}
    )


@pytest.mark.parametrize("value", [1.5, 0.0, [1, 2.0], {"x": float("nan")}])
def test_floats_are_refused_anywhere(value: object) -> None:
    with pytest.raises(EntryRejected, match="float"):
        encode(_entry(q=value))


def test_entries_over_the_tile_limit_are_refused() -> None:
    filler = "x" * (MAX_ENTRY_BYTES - 400)
    assert len(encode(_entry(t=filler))) <= MAX_ENTRY_BYTES
    with pytest.raises(EntryRejected, match="65,535"):
        encode(_entry(t=filler + "y" * 500))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time", "2026-01-20 05:15:00", "RFC 3339"),
        ("time", "2026-01-20T05:15:00+03:00", "RFC 3339"),
        ("type", "OccurrenceRecorded", "area.past_tense_event"),
        ("stream", "", "stream"),
        ("version", 0, "version"),
        ("seq", -1, "seq"),
    ],
)
def test_malformed_fields_are_refused(field: str, value: object, message: str) -> None:
    fields = {
        "seq": 3,
        "time": "2026-01-20T05:15:00Z",
        "stream": "s",
        "version": 1,
        "type": "a.b_happened",
        "actor": Actor("p", "u"),
        "data": {},
    }
    fields[field] = value
    with pytest.raises(EntryRejected, match=message):
        encode(Entry(**fields))  # type: ignore[arg-type]


def test_large_integers_and_non_string_keys_are_refused() -> None:
    with pytest.raises(EntryRejected, match="exact JSON range"):
        encode(_entry(n=2**60))
    with pytest.raises(EntryRejected, match="keys must be strings"):
        encode(_entry(m={1: "x"}))


@pytest.mark.parametrize(
    "raw",
    [
        b'{"v":1}',
        b"not json",
        b'{"actor":{"party":"p","user":"u"},"data":{},"seq":0,"stream":"s",'
        b'"time":"2026-01-20T05:15:00Z","type":"a.b","v":1,"version":1, "x":1}',
        # same entry, not canonical (whitespace)
        b'{"actor":{"party":"p","user":"u"},"data":{},"seq":0,"stream":"s",'
        b'"time":"2026-01-20T05:15:00Z","type":"a.b", "v":1,"version":1}',
        b'{"actor":{"party":"p","user":"u"},"data":{"q":1.0},"seq":0,"stream":"s",'
        b'"time":"2026-01-20T05:15:00Z","type":"a.b","v":1,"version":1}',
    ],
)
def test_decode_refuses_anything_but_canonical_entries(raw: bytes) -> None:
    with pytest.raises(EntryRejected):
        decode(raw)
