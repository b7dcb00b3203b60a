"""Commands to the register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class AddLocation:
    """Add a place. A ``facility`` has no parent and brings its away places with it
    (reception, hospital, court, outside, in transit); blocks, wings, cells and posts have a
    parent. Capacities: certified (by inspection), working (in use), maximum (never exceed)."""

    id: str
    kind: str
    name_ar: str
    name_en: str
    parent: str | None = None
    certified: int | None = None
    working: int | None = None
    maximum: int | None = None
    adm1: str | None = None  # OCHA P-code of the governorate (facility only), e.g. SY11
    adm2: str | None = None  # district P-code, e.g. SY1101
    lat: str | None = None  # decimal degrees as text (ledger entries carry no floats)
    lon: str | None = None


@dataclass(frozen=True, slots=True)
class SetCapacity:
    location: str
    certified: int | None
    working: int | None
    maximum: int | None
    reason: str


@dataclass(frozen=True, slots=True)
class SetLocationState:
    location: str
    state: str  # "active" or "out_of_order"
    reason: str


@dataclass(frozen=True, slots=True)
class Admit:
    """Put a person on the register: a detainee's admission (commitment order required), a
    member of staff, or another person (medical team, visitor). ``record`` holds the fields
    of :mod:`amanah.domain.registry.record`; ``number`` is the unique facility number."""

    number: str
    category: str
    record: dict[str, Any]
    location: str
    time: datetime
    override: str | None = None  # reason for exceeding the place's maximum capacity


@dataclass(frozen=True, slots=True)
class Correct:
    """Correct one field of a person's record; the old value stays in the ledger."""

    number: str
    field: str
    value: Any
    reason: str
