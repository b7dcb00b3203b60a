"""The register's rules: each ``decide_*`` checks a command against the current state (read
by the service from the projections in the same transaction) and returns the events."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from amanah.domain.registry import record as records
from amanah.domain.registry.commands import (
    AddLocation,
    Admit,
    Correct,
    SetCapacity,
    SetLocationState,
)
from amanah.domain.registry.errors import RegistryRefused
from amanah.domain.registry.events import (
    CapacitySet,
    LocationAdded,
    LocationStateSet,
    PersonAdmitted,
    PersonCorrected,
)
from amanah.domain.shared import (
    CONTAINER_KINDS,
    HOLDING_KINDS,
    Place,
    check_room,
    check_when,
    one_line,
)

ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./-]{0,31}$")
PCODE = re.compile(r"^[A-Z]{2}[0-9]{0,8}$")
STATES = ("active", "out_of_order")

#: What a facility brings with it: the away places every facility needs, and its reception.
#: Ids are the facility's id and a suffix; names in Arabic and English.
STANDARD_PLACES = (
    ("reception", "reception", "الاستقبال", "Reception"),
    ("hospital", "hospital", "المستشفى", "Hospital"),
    ("court", "court", "المحكمة", "Court"),
    ("outside", "outside", "خارج المنشأة", "Out of facility"),
    ("transit", "transit", "قيد النقل", "In transit"),
)

#: Which kinds may sit under which.
PARENTS = {
    "block": ("facility",),
    "wing": ("block",),
    "cell": ("block", "wing"),
    "post": ("facility", "block", "wing"),
}


@dataclass(frozen=True, slots=True)
class PersonView:
    """What the rules need of a person already on the register."""

    number: str
    category: str
    status: str
    record: dict[str, Any]
    admitted_at: str | None = None  # RFC 3339 UTC; corrections keep the record after it


def check_id(value: str, what: str = "location id") -> str:
    if not isinstance(value, str) or not ID.match(value):
        raise RegistryRefused(
            f"{what} {value!r} must be 1-64 letters, digits, '.', '_', ':' or '-' "
            "starting with a letter or digit"
        )
    return value


def check_number(value: str) -> str:
    if not isinstance(value, str) or not NUMBER.match(value):
        raise RegistryRefused(
            f"person number {value!r} must be 1-32 letters, digits, '.', '/' or '-'"
        )
    return value


def _capacities(
    certified: int | None, working: int | None, maximum: int | None
) -> tuple[int | None, int | None, int | None]:
    for name, value in (("certified", certified), ("working", working), ("maximum", maximum)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise RegistryRefused(
                f"{name} capacity must be a whole number of people, not {value!r}"
            )
        if not 0 <= value <= 1_000_000:
            raise RegistryRefused(f"{name} capacity must be from 0 to 1000000, not {value}")
    if maximum is not None:
        for name, value in (("certified", certified), ("working", working)):
            if value is not None and value > maximum:
                raise RegistryRefused(
                    f"{name} capacity {value} is above the maximum capacity {maximum}"
                )
    return certified, working, maximum


def _coordinate(value: str | None, what: str, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise RegistryRefused(f"{what} must be given as decimal text, such as '35.95'")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise RegistryRefused(f"{what} {value!r} is not a decimal number of degrees") from None
    if not number.is_finite() or abs(number) > limit:
        raise RegistryRefused(f"{what} {value!r} is outside -{limit}..{limit}")
    return str(number)


def decide_add_location(
    command: AddLocation, exists: bool, parent: Place | None
) -> list[LocationAdded]:
    """A new place; a facility brings its standard away places and reception."""
    check_id(command.id)
    if exists:
        raise RegistryRefused(f"location {command.id} already exists")
    if command.kind not in ("facility", *PARENTS):
        allowed = ", ".join(("facility", *PARENTS))
        raise RegistryRefused(f"location kind must be one of {allowed}, not {command.kind!r}")
    name_ar = one_line(command.name_ar, "the Arabic name")
    name_en = one_line(command.name_en, "the English name")
    capacities = _capacities(command.certified, command.working, command.maximum)
    if command.kind == "facility":
        if command.parent is not None:
            raise RegistryRefused("a facility has no parent location")
        for code, what in ((command.adm1, "adm1"), (command.adm2, "adm2")):
            if code is not None and not (isinstance(code, str) and PCODE.match(code)):
                raise RegistryRefused(f"{what} P-code {code!r} is not like SY11 or SY1101")
        facility = LocationAdded(
            command.id,
            "facility",
            None,
            command.id,
            name_ar,
            name_en,
            *capacities,
            adm1=command.adm1,
            adm2=command.adm2,
            lat=_coordinate(command.lat, "latitude", 90),
            lon=_coordinate(command.lon, "longitude", 180),
        )
        standard = [
            LocationAdded(f"{command.id}:{suffix}", kind, command.id, command.id, ar, en)
            for suffix, kind, ar, en in STANDARD_PLACES
        ]
        return [facility, *standard]
    if command.adm1 or command.adm2 or command.lat or command.lon:
        raise RegistryRefused(
            "P-codes and coordinates belong to the facility, not to a " + command.kind
        )
    if command.parent is None or parent is None:
        raise RegistryRefused(
            f"a {command.kind} needs a parent location"
            + (f"; {command.parent} does not exist" if command.parent else "")
        )
    if parent.kind not in PARENTS[command.kind]:
        raise RegistryRefused(
            f"a {command.kind} cannot be inside a {parent.kind} "
            f"(it goes in: {', '.join(PARENTS[command.kind])})"
        )
    return [
        LocationAdded(
            command.id, command.kind, parent.id, parent.facility, name_ar, name_en, *capacities
        )
    ]


def decide_set_capacity(command: SetCapacity, place: Place | None) -> list[CapacitySet]:
    if place is None:
        raise RegistryRefused(f"location {command.location} does not exist")
    if place.kind not in CONTAINER_KINDS + HOLDING_KINDS:
        raise RegistryRefused(f"{place.id} is an away place ({place.kind}); it has no capacity")
    certified, working, maximum = _capacities(command.certified, command.working, command.maximum)
    reason = one_line(command.reason, "the reason", max_chars=500)
    return [CapacitySet(place.id, certified, working, maximum, reason)]


def decide_set_state(command: SetLocationState, place: Place | None) -> list[LocationStateSet]:
    if place is None:
        raise RegistryRefused(f"location {command.location} does not exist")
    if command.state not in STATES:
        raise RegistryRefused(f"state must be one of {', '.join(STATES)}")
    if place.state == command.state:
        raise RegistryRefused(f"location {place.id} is already {command.state}")
    if command.state == "out_of_order" and place.occupancy:
        raise RegistryRefused(
            f"location {place.id} still holds {place.occupancy} people; move them out first"
        )
    reason = one_line(command.reason, "the reason", max_chars=500)
    return [LocationStateSet(place.id, command.state, reason)]


def decide_admit(
    command: Admit, existing: PersonView | None, chain: list[Place], now: datetime
) -> list[PersonAdmitted]:
    """Admit a person into ``chain[0]`` (a holding place; its ancestors follow)."""
    number = check_number(command.number)
    if existing is not None:
        raise RegistryRefused(
            f"{number} is already on the register ({existing.category}, {existing.status})"
        )
    record = records.validate(command.category, command.record)
    when = check_when(command.time, now, "the admission", RegistryRefused)
    if not chain:
        raise RegistryRefused(f"location {command.location} does not exist")
    target = chain[0]
    if target.kind not in HOLDING_KINDS:
        raise RegistryRefused(
            f"people are admitted into a cell, post or reception, not a {target.kind} ({target.id})"
        )
    records.check_arrest_before(record, when)
    if record.get("birth_date", "") > when[:10]:
        raise RegistryRefused("the date of birth is after the admission")
    override = check_room(chain, 1, command.override, RegistryRefused)
    return [
        PersonAdmitted(number, command.category, when, target.id, target.facility, record, override)
    ]


def decide_correct(command: Correct, person: PersonView | None) -> list[PersonCorrected]:
    """Correct one field; the category's rules are checked on the corrected record."""
    if person is None:
        raise RegistryRefused(f"no person {command.number} on the register")
    if command.field not in records.CORRECTABLE:
        raise RegistryRefused(
            f"field {command.field!r} cannot be corrected; correctable fields: "
            + ", ".join(records.CORRECTABLE)
        )
    reason = one_line(command.reason, "the reason for the correction", max_chars=500)
    previous = records.get_field(person.record, command.field)
    value = None if command.value in ("", None) else command.value
    corrected = records.validate(
        person.category, records.with_field(person.record, command.field, value)
    )
    if person.admitted_at is not None:
        records.check_arrest_before(corrected, person.admitted_at)
        if corrected.get("birth_date", "") > person.admitted_at[:10]:
            raise RegistryRefused("the date of birth is after the admission")
    new = records.get_field(corrected, command.field)
    if new == previous:
        raise RegistryRefused(f"{command.field} of {person.number} already has that value")
    return [PersonCorrected(person.number, command.field, new, previous, reason)]


def apply_correction(record: dict[str, Any], event: PersonCorrected) -> dict[str, Any]:
    """The record after a correction (used by the projection)."""
    return records.with_field(record, event.field, event.value)
