"""Commands from what a person typed: the command line, the API and the web forms build
their commands here, so that the three read places, times and defaults the same way.

A place may be given by id or by the name of a facility's standard place (``reception``,
``hospital``, ``court``, ``outside``, ``transit``); a time is ISO 8601, read in the facility's
time zone when it has no offset, and defaults to now.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amanah.domain.movements.commands import Move
from amanah.domain.registry.commands import Admit
from amanah.domain.rollcount.commands import OpenRoll, RecordCount, Resolve
from amanah.errors import InvalidInput, Refused
from amanah.services.facility import FacilityService, ResolveWith


def _given(details: Mapping[str, str | None] | None) -> dict[str, str]:
    """The details that were given (blank form fields are not given)."""
    return {k: v for k, v in (details or {}).items() if v is not None and v.strip() != ""}


def _blank(value: str | None) -> str | None:
    return value if value is not None and value.strip() else None


def set_field(record: dict[str, Any], path: str, value: Any) -> None:
    """Set the record field ``path`` (``name_ar`` or ``group.name``) unless ``value`` is
    None or blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return
    group, _, name = path.partition(".")
    if name:
        inner = record.get(group)
        record[group] = (inner if isinstance(inner, dict) else {}) | {name: value}
    else:
        record[group] = value


def contact(text: str | None, what: str) -> dict[str, str] | None:
    """A contact typed as ``name;relation;contact`` (the last two optional)."""
    if text is None or not text.strip():
        return None
    parts = [p.strip() for p in text.split(";")]
    if not parts[0] or len(parts) > 3:
        raise InvalidInput(f"{what} must be 'name;relation;contact'")
    return dict(zip(("name", "relation", "contact"), parts, strict=False))


def admit(
    service: FacilityService,
    *,
    category: str,
    record: dict[str, Any],
    number: str | None = None,
    location: str | None = None,
    at: str | None = None,
    override: str | None = None,
) -> Admit:
    """An admission into ``location`` (default: the facility's reception)."""
    place = service.place(_blank(location) or "reception")
    if place is None:  # pragma: no cover - place() of a non-empty reference is never None
        raise InvalidInput("name the place of admission")
    return Admit(
        _blank(number) or "", category, record, place, service.time(_blank(at)), _blank(override)
    )


def move(
    service: FacilityService,
    kind: str,
    number: str,
    *,
    to: str | None = None,
    origin: str | None = None,
    at: str | None = None,
    details: Mapping[str, str | None] | None = None,
    override: str | None = None,
) -> Move:
    """A movement of ``number``; ``origin``, when given, must be where the register has them."""
    return Move(
        kind,
        number,
        service.time(_blank(at)),
        service.place(_blank(to)),
        service.place(_blank(origin)),
        _given(details),
        _blank(override),
    )


def open_roll(
    service: FacilityService, *, scope: str | None = None, at: str | None = None
) -> OpenRoll:
    """A roll call over ``scope`` (default: the whole facility)."""
    where = service.place(_blank(scope)) or service.only_facility()
    return OpenRoll("", where, service.time(_blank(at)))


def count(
    service: FacilityService,
    roll: str | None,
    location: str,
    counted: int,
    counters: list[str],
    *,
    at: str | None = None,
) -> RecordCount:
    """The count of one place in ``roll`` (default: the roll call open now)."""
    roll_id = _blank(roll) or service.open_roll_id()
    place = service.place(location) or location
    names = tuple(c for c in counters if c.strip())
    return RecordCount(roll_id, place, counted, names, service.time(_blank(at)))


def resolve(
    service: FacilityService,
    roll: str | None,
    number: str,
    outcome: str,
    *,
    location: str | None = None,
    found_in: str | None = None,
    to: str | None = None,
    details: Mapping[str, str | None] | None = None,
    note: str | None = None,
    at: str | None = None,
    override: str | None = None,
) -> ResolveWith:
    """The resolution of one person in ``roll`` (default: the one open now); ``location``,
    where the register has them, defaults to the register's place."""
    roll_id = _blank(roll) or service.open_roll_id()
    registered = service.place(_blank(location)) if _blank(location) else None
    if registered is None:
        person, _ = service.person(number)
        if person.location is None:
            raise Refused(f"{number} is {person.status}: not in any place to be counted")
        registered = person.location
    command = Resolve(
        roll_id,
        number,
        registered,
        outcome,
        service.time(_blank(at)),
        service.place(_blank(found_in)),
        _blank(note),
    )
    return ResolveWith(command, service.place(_blank(to)), _given(details), _blank(override))
