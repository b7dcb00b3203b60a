"""Commands to the supplies area. Quantities are whole numbers of base units (see
:mod:`amanah.domain.supplies.units`); the entrypoints convert what people type."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class OpenStore:
    """Start keeping a store (a tank, a storeroom, a fuel bowser) of one resource.

    ``unit`` is the unit it is counted in; food kept by mass or in rations needs
    ``kcal_per_unit`` (kcal per kg, per ration) for its runway."""

    id: str
    facility: str
    resource: str
    name: str
    unit: str
    time: datetime
    kcal_per_unit: int | None = None
    location: str | None = None


@dataclass(frozen=True, slots=True)
class Receive:
    """A delivery into a store; ``source`` is who delivered it."""

    store: str
    quantity: int
    time: datetime
    source: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Issue:
    """Taken out of a store and used (the day's consumption); ``to`` is where it went."""

    store: str
    quantity: int
    time: datetime
    to: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Lose:
    """Stock lost: spoiled, leaked, stolen, destroyed in an attack."""

    store: str
    quantity: int
    time: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class CountStock:
    """A physical count of a store; a difference from the books is recorded with it."""

    store: str
    quantity: int
    time: datetime
    by: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class InstallGenerator:
    """A diesel generator of ``kw`` kW fed from fuel store ``fuel_store``."""

    id: str
    facility: str
    kw: int
    fuel_store: str
    load_percent: int
    hours_per_day: int
    time: datetime
    running: bool = True


@dataclass(frozen=True, slots=True)
class SetGenerator:
    """Start or stop a generator, or change its load or hours a day."""

    id: str
    time: datetime
    running: bool
    load_percent: int | None = None
    hours_per_day: int | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class InstallPump:
    """A water pump powered by ``generator``, filling water store ``water_store``."""

    id: str
    facility: str
    generator: str
    water_store: str
    litres_per_hour: int
    head_m: int
    pump_efficiency_percent: int
    motor_efficiency_percent: int
    time: datetime
