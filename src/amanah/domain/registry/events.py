"""Events of the register. Every field is a JSON value; times are RFC 3339 UTC."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from amanah.domain.shared import DataEvent


@dataclass(frozen=True, slots=True)
class LocationAdded(DataEvent):
    """``registry.location_added``: a place exists. data: ``id``, ``kind``, ``parent``
    (null for a facility), ``facility`` (the root's id), ``name_ar``, ``name_en``,
    ``certified``/``working``/``maximum`` (people, or null where not set), and for a facility
    ``adm1``/``adm2`` (OCHA P-codes), ``lat``/``lon`` (decimal text)."""

    TYPE: ClassVar[str] = "registry.location_added"

    id: str
    kind: str
    parent: str | None
    facility: str
    name_ar: str
    name_en: str
    certified: int | None = None
    working: int | None = None
    maximum: int | None = None
    adm1: str | None = None
    adm2: str | None = None
    lat: str | None = None
    lon: str | None = None


@dataclass(frozen=True, slots=True)
class CapacitySet(DataEvent):
    """``registry.capacity_set``: a place's capacities changed, with the reason."""

    TYPE: ClassVar[str] = "registry.capacity_set"

    location: str
    certified: int | None
    working: int | None
    maximum: int | None
    reason: str


@dataclass(frozen=True, slots=True)
class LocationStateSet(DataEvent):
    """``registry.location_state_set``: a place was taken out of order or back into use."""

    TYPE: ClassVar[str] = "registry.location_state_set"

    location: str
    state: str
    reason: str


@dataclass(frozen=True, slots=True)
class PersonAdmitted(DataEvent):
    """``registry.person_admitted``: a person was put on the register. data: ``number``
    (unique facility number), ``category`` (detainee, staff, other), ``time`` (admission),
    ``location`` (the place they were put in), ``facility``, ``record`` (the identity and,
    for a detainee, the admission record of Mandela Rule 7 / ICPPED 17(3)), ``override``
    (the reason given for exceeding a maximum capacity, or null)."""

    TYPE: ClassVar[str] = "registry.person_admitted"

    number: str
    category: str
    time: str
    location: str
    facility: str
    record: dict[str, Any]
    override: str | None = None


@dataclass(frozen=True, slots=True)
class PersonCorrected(DataEvent):
    """``registry.person_corrected``: one field of a record corrected. data: ``number``,
    ``field`` (dotted path), ``value`` (new, null to clear), ``previous``, ``reason``."""

    TYPE: ClassVar[str] = "registry.person_corrected"

    number: str
    field: str
    value: Any
    previous: Any
    reason: str
