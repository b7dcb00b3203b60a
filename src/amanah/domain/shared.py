"""What domain areas share: the event protocol, time handling, and text rules.

Times in events are RFC 3339 UTC strings with a ``Z`` (see DESIGN.md, "The ledger"). Input
times may carry any UTC offset; a time without one is read in the facility's time zone.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, ClassVar, Protocol, Self

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
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text, not {_kind_of(value)}")
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        raise InvalidInput(f"{what} is empty")
    if len(text) > max_chars:
        raise InvalidInput(f"{what} is {len(text):,} characters; the limit is {max_chars:,}")
    for ch in text:
        kind = unicodedata.category(ch)
        if ch not in "\n\t" and kind == "Cc":
            raise InvalidInput(f"{what} contains a control character (U+{ord(ch):04X})")
        if kind == "Cs":  # a lone surrogate (JSON allows "\\ud800"); UTF-8 cannot hold it
            raise InvalidInput(f"{what} contains an unpaired surrogate (U+{ord(ch):04X})")
    return text


class DataEvent:
    """Mixin for events whose fields are JSON values: ``data`` is the fields by name.

    Fields with a default may be absent from older entries; unknown keys are refused, so an
    entry written by a newer version is not silently half-read.
    """

    __slots__ = ()

    def to_data(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _fields(type(self))}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Self:
        names = _fields(cls)
        if not names.keys() >= data.keys():
            raise ValueError(f"unknown field {', '.join(sorted(data.keys() - names.keys()))}")
        return cls(**data)


# Each event class's field names, in order: a rebuild decodes every entry of the ledger, and
# ``dataclasses.fields`` costs more than the decoding itself. (A memo of fixed class facts.)
_FIELDS: dict[type, dict[str, None]] = {}


def _fields(cls: type[Any]) -> dict[str, None]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = dict.fromkeys(f.name for f in dataclasses.fields(cls))
    return names


# --- The facility's shared vocabulary (registry, movements and roll counts all speak it) ---

#: Who is on the register.
CATEGORIES = ("detainee", "staff", "other")

#: Location kinds. Containers hold other locations; *holding* places hold people and are
#: counted at roll call; *away* places are outside the walls (people there are still the
#: facility's responsibility, but are not counted inside).
CONTAINER_KINDS = ("facility", "block", "wing")
HOLDING_KINDS = ("cell", "post", "reception")
AWAY_KINDS = ("hospital", "court", "outside", "transit")
LOCATION_KINDS = CONTAINER_KINDS + HOLDING_KINDS + AWAY_KINDS

#: A person's status. The first three are "in custody" (the facility answers for them).
INSIDE, OUT, IN_TRANSIT = "inside", "out", "in_transit"
IN_CUSTODY = (INSIDE, OUT, IN_TRANSIT)
GONE = ("transferred", "released", "dead", "escaped")
STATUSES = IN_CUSTODY + GONE

# Clocks on field laptops drift; a record a few minutes "in the future" is drift, not a lie.
CLOCK_SKEW = timedelta(minutes=10)
# Nothing on the register predates the facility's paper records being kept.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)


def _kind_of(value: object) -> str:
    """How a wrongly typed value is named in a refusal: its type and a short repr."""
    shown = repr(value)
    return f"{type(value).__name__} {shown[:40] + '...' if len(shown) > 40 else shown}"


def check_aware(moment: object, what: str) -> datetime:
    """``moment`` if it is a datetime with a UTC offset. A naive time cannot be placed on
    the ledger's UTC time line (which zone was meant?), so it is refused, not guessed."""
    if not isinstance(moment, datetime):
        raise InvalidInput(f"the time of {what} must be a date and time, not {_kind_of(moment)}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(
            f"the time of {what} ({moment.isoformat()}) has no time zone; "
            "give it with a UTC offset, such as 2026-01-20T08:15+03:00"
        )
    return moment


def check_whole(value: object, what: str, low: int, high: int, error: type[Exception]) -> int:
    """``value`` if it is a whole number from ``low`` to ``high``, refused with ``error``.

    ``bool`` is an ``int`` in Python, and ``1.0 == 1``: neither is a count.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise error(f"{what} must be a whole number from {low} to {high}, not {_kind_of(value)}")
    if not low <= value <= high:
        raise error(f"{what} must be a whole number from {low} to {high}, not {value}")
    return value


def check_when(
    moment: datetime, now: datetime, what: str, error: type[Exception] = InvalidInput
) -> str:
    """``moment`` as RFC 3339, refused (with ``error``) if in the future or implausibly old,
    and refused as :class:`InvalidInput` if it is not a time with a UTC offset."""
    check_aware(moment, what)
    if moment > now + CLOCK_SKEW:
        raise error(
            f"{what} is dated {format_time(moment)}, after the current time {format_time(now)}"
        )
    if moment < EARLIEST:
        raise error(f"{what} is dated {format_time(moment)}, before 1990")
    return format_time(moment)


def blank(value: object) -> bool:
    """Whether a field was left out: ``None`` or text with nothing but spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def one_of(value: object, allowed: tuple[str, ...], what: str, error: type[Exception]) -> str:
    """``value`` if it is one of ``allowed``, else refused with ``error`` listing them."""
    if not isinstance(value, str) or value not in allowed:
        raise error(f"{what} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def one_line(value: str, what: str, *, max_chars: int = 200) -> str:
    """Cleaned single-line text (names, places, references)."""
    text = clean_text(value, what, max_chars=max_chars)
    if "\n" in text or "\t" in text:
        raise InvalidInput(f"{what} must be on one line")
    return text


@dataclass(frozen=True, slots=True)
class Place:
    """What the rules need of a location: kind, state, capacities and who is there now.

    ``occupancy`` counts the people in the place and everything under it.
    """

    id: str
    kind: str
    facility: str
    parent: str | None
    state: str = "active"
    certified: int | None = None
    working: int | None = None
    maximum: int | None = None
    occupancy: int = 0


def check_usable(chain: list[Place], error: type[Exception]) -> None:
    """Refuse to put anyone in ``chain[0]`` unless it and every ancestor on ``chain`` is
    active. A block or wing out of order (damaged, flooded, unguarded) takes every cell and
    post under it out of use; an override reason cannot change that, as for the cell itself.
    """
    target = chain[0]
    if target.state != "active":
        raise error(f"location {target.id} is out of order; no one may be put there")
    for ancestor in chain[1:]:
        if ancestor.state != "active":
            raise error(
                f"location {target.id} is in {ancestor.kind} {ancestor.id}, which is out of "
                "order; no one may be put there"
            )


def check_room(
    chain: list[Place], arriving: int, override: str | None, error: type[Exception]
) -> str | None:
    """Refuse ``arriving`` people into ``chain[0]`` (its ancestors follow) where a place on
    the chain is out of order (see :func:`check_usable`: no override), or where that would
    exceed a maximum capacity, unless an override reason is given; return the cleaned reason.
    """
    check_usable(chain, error)
    reason = one_line(override, "the override reason", max_chars=500) if override else None
    over = [p for p in chain if p.maximum is not None and p.occupancy + arriving > p.maximum]
    if over and reason is None:
        place = over[0]
        raise error(
            f"location {place.id} holds {place.occupancy} of a maximum of {place.maximum}; "
            f"putting {arriving} more in needs an override with a reason"
        )
    return reason if over else None


# --- Case files: the state of one stream in the areas kept whole (supplies, incidents...) ---


class CaseState(Protocol):
    """The state of one stream of an area whose projection is its folded state (an
    incident, a store of supplies, an appeal, a notification owed).

    The projection keeps ``to_state()`` (JSON values only) in one row per stream, with the
    facility, kind, status and time lifted out to be listed and filtered; ``from_state``
    reads it back. The area's ``evolve(state | None, event)`` folds events into it.
    """

    @property
    def facility(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def status(self) -> str: ...

    @property
    def time(self) -> str: ...

    def to_state(self) -> dict[str, Any]: ...
