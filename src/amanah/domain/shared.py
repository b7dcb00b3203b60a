"""What domain areas share: the event protocol, time handling, and text rules.

Times in events are RFC 3339 UTC strings with a ``Z`` (see DESIGN.md, "The ledger"). Input
times may carry any UTC offset; a time without one is read in the facility's time zone.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any, ClassVar, Protocol

from amanah.errors import InvalidInput


class Event(Protocol):
    """A past-tense fact. ``TYPE`` is its ledger ``type``; ``to_data`` its ledger ``data``."""

    TYPE: ClassVar[str]

    def to_data(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: the party (authority) and the user acting for it."""

    party: str
    user: str


def format_time(moment: datetime) -> str:
    """An aware datetime as RFC 3339 UTC with second precision and ``Z``."""
    if moment.tzinfo is None:
        raise InvalidInput("internal: naive datetime")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str, default_zone: tzinfo) -> datetime:
    """Parse an ISO 8601 / RFC 3339 time; without an offset it is read in ``default_zone``."""
    cleaned = text.strip()
    if cleaned.endswith(("z", "Z")):
        cleaned = cleaned[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise InvalidInput(
            f"time {text!r} is not an ISO 8601 time such as 2026-01-20T08:15 or "
            "2026-01-20T05:15:00Z"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=default_zone)
    try:
        return moment.astimezone(UTC).replace(microsecond=0)
    except OverflowError:
        raise InvalidInput(f"time {text!r} is outside the range of dates") from None


def clean_text(value: str, what: str, *, max_chars: int) -> str:
    """Normalise user text (NFC, trimmed) and refuse empty, oversized or control-laden text."""
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        raise InvalidInput(f"{what} is empty")
    if len(text) > max_chars:
        raise InvalidInput(f"{what} is {len(text):,} characters; the limit is {max_chars:,}")
    for ch in text:
        if ch not in "\n\t" and unicodedata.category(ch) == "Cc":
            raise InvalidInput(f"{what} contains a control character (U+{ord(ch):04X})")
    return text
