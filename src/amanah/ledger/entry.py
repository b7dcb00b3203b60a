"""Ledger entries: RFC 8785 (JCS) canonical JSON with the fields DESIGN.md fixes.

Fields: ``v`` (format version), ``seq`` (0-based log index), ``time`` (RFC 3339 UTC, second
or finer precision, ``Z``), ``stream`` (aggregate id), ``version`` (1-based per stream),
``type`` (``area.past_tense_event``), ``actor`` (``{"party": ..., "user": ...}``), ``data``.

Refused: floats anywhere (quantities are integers in base units), non-string keys, entries
over 65,535 bytes (the C2SP tlog-tiles entry-bundle limit), malformed field values.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import rfc8785

from amanah.errors import EntryRejected

FORMAT_VERSION = 1
MAX_ENTRY_BYTES = 65_535

_TYPE_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$")
_FIELDS = ("v", "seq", "time", "stream", "version", "type", "actor", "data")

JSONValue = Any


@dataclass(frozen=True, slots=True)
class Actor:
    """Who caused an entry: the party (authority) and the user acting for it."""

    party: str
    user: str

    def to_json(self) -> dict[str, str]:
        return {"party": self.party, "user": self.user}


@dataclass(frozen=True, slots=True)
class Entry:
    """One ledger entry before encoding. ``data`` holds only JSON without floats."""

    seq: int
    time: str
    stream: str
    version: int
    type: str
    actor: Actor
    data: dict[str, JSONValue]
    v: int = FORMAT_VERSION

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "v": self.v,
            "seq": self.seq,
            "time": self.time,
            "stream": self.stream,
            "version": self.version,
            "type": self.type,
            "actor": self.actor.to_json(),
            "data": self.data,
        }


def _check_json(value: JSONValue, path: str) -> None:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, int):
        # RFC 8785 numbers are IEEE doubles: larger integers would not round-trip.
        if abs(value) > 2**53 - 1:
            raise EntryRejected(f"{path}: integer {value} is outside the exact JSON range")
        return
    if isinstance(value, float):
        raise EntryRejected(f"{path}: floats are not allowed; use integers in base units")
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                raise EntryRejected(f"{path}: object keys must be strings, not {k!r}")
            _check_json(v, f"{path}.{k}")
        return
    if isinstance(value, list | tuple):
        for i, v in enumerate(value):
            _check_json(v, f"{path}[{i}]")
        return
    raise EntryRejected(f"{path}: {type(value).__name__} is not a JSON value")


def validate(entry: Entry) -> None:
    """Raise :class:`EntryRejected` naming the first field that breaks the format."""
    if entry.v != FORMAT_VERSION:
        raise EntryRejected(f"unknown entry format version {entry.v}")
    if entry.seq < 0:
        raise EntryRejected(f"seq must be >= 0, not {entry.seq}")
    if not _TIME_RE.match(entry.time):
        raise EntryRejected(f"time {entry.time!r} is not an RFC 3339 UTC time ending in Z")
    if not entry.stream or len(entry.stream) > 200:
        raise EntryRejected("stream must be a non-empty id of at most 200 characters")
    if entry.version < 1:
        raise EntryRejected(f"version must be >= 1, not {entry.version}")
    if not _TYPE_RE.match(entry.type):
        raise EntryRejected(f"type {entry.type!r} is not of the form area.past_tense_event")
    if not entry.actor.party or not entry.actor.user:
        raise EntryRejected("actor needs both a party and a user")
    if not isinstance(entry.data, dict):
        raise EntryRejected("data must be a JSON object")
    _check_json(entry.data, "data")


def canonical_json(value: dict[str, JSONValue]) -> bytes:
    """RFC 8785 bytes of a float-free JSON object already checked by :func:`validate`.

    For such values (integers within 2**53, strings, booleans, null, arrays, objects), the
    standard library's compact, key-sorted, non-ASCII-preserving output *is* RFC 8785, with
    two exceptions: RFC 8785 sorts keys by UTF-16 code units where Python sorts by code
    points (the orders differ only when a key holds a character outside the Basic
    Multilingual Plane), and RFC 8785 refuses lone surrogates. Such values go through the
    ``rfc8785`` package, the reference; a property test checks that both paths agree.
    """
    text = json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    try:
        if not text.isascii() and max(text) > "\uffff" and _astral_key(value):
            return bytes(rfc8785.dumps(value))
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise EntryRejected(
            "text holds a lone UTF-16 surrogate, which is not valid Unicode"
        ) from None
    except rfc8785.CanonicalizationError as exc:
        raise EntryRejected(f"entry cannot be canonicalised: {exc}") from None


def _astral_key(value: JSONValue) -> bool:
    if isinstance(value, dict):
        return any(max(k, default="\0") > "\uffff" or _astral_key(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_astral_key(v) for v in value)
    return False


def encode(entry: Entry) -> bytes:
    """The canonical bytes of ``entry`` (the Merkle leaf), after validation."""
    validate(entry)
    raw = canonical_json(entry.to_json())
    if len(raw) > MAX_ENTRY_BYTES:
        raise EntryRejected(
            f"entry is {len(raw):,} bytes; the limit is {MAX_ENTRY_BYTES:,} (tlog-tiles)"
        )
    return raw


def decode(raw: bytes) -> Entry:
    """Parse stored entry bytes back into an :class:`Entry` (strict: canonical form only)."""
    try:
        obj = json.loads(raw.decode("utf-8"), parse_float=_no_float)
    except (UnicodeDecodeError, ValueError) as exc:
        raise EntryRejected(f"entry is not valid JSON: {exc}") from exc
    if not isinstance(obj, dict) or set(obj) != set(_FIELDS):
        raise EntryRejected(f"entry must have exactly the fields {', '.join(_FIELDS)}")
    actor = obj["actor"]
    if not isinstance(actor, dict) or set(actor) != {"party", "user"}:
        raise EntryRejected("entry actor must have exactly party and user")
    for name in ("v", "seq", "version"):
        if not isinstance(obj[name], int) or isinstance(obj[name], bool):
            raise EntryRejected(f"entry field {name} must be an integer")
    for name in ("time", "stream", "type"):
        if not isinstance(obj[name], str):
            raise EntryRejected(f"entry field {name} must be a string")
    entry = Entry(
        v=obj["v"],
        seq=obj["seq"],
        time=obj["time"],
        stream=obj["stream"],
        version=obj["version"],
        type=obj["type"],
        actor=Actor(str(actor["party"]), str(actor["user"])),
        data=obj["data"],
    )
    if encode(entry) != raw:
        raise EntryRejected("entry bytes are not in RFC 8785 canonical form")
    return entry


def _no_float(text: str) -> float:
    raise EntryRejected(f"floats are not allowed in entries: {text}")
