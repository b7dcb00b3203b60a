"""Events of the supplies area (quantities in base units: mL, g, kcal, rations, doses)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from amanah.domain.shared import DataEvent


@dataclass(frozen=True, slots=True)
class StoreOpened(DataEvent):
    """``supplies.store_opened``: id, facility, resource (water|food|fuel|medicine), name,
    unit (the unit it is counted in), kcal_per_unit (food by mass or ration), location, time."""

    TYPE: ClassVar[str] = "supplies.store_opened"

    id: str
    facility: str
    resource: str
    name: str
    unit: str
    kcal_per_unit: int | None
    location: str | None
    time: str


@dataclass(frozen=True, slots=True)
class Received(DataEvent):
    """``supplies.received``: store, quantity, time, source (who delivered), note."""

    TYPE: ClassVar[str] = "supplies.received"

    store: str
    quantity: int
    time: str
    source: str
    note: str


@dataclass(frozen=True, slots=True)
class Issued(DataEvent):
    """``supplies.issued``: store, quantity, time, to (where it went), note: consumption."""

    TYPE: ClassVar[str] = "supplies.issued"

    store: str
    quantity: int
    time: str
    to: str
    note: str


@dataclass(frozen=True, slots=True)
class Lost(DataEvent):
    """``supplies.lost``: store, quantity, time, reason (spoiled, leaked, destroyed...)."""

    TYPE: ClassVar[str] = "supplies.lost"

    store: str
    quantity: int
    time: str
    reason: str


@dataclass(frozen=True, slots=True)
class Counted(DataEvent):
    """``supplies.counted``: a physical count. store, quantity (counted), time, by, note,
    difference (counted minus the books: negative is stock missing)."""

    TYPE: ClassVar[str] = "supplies.counted"

    store: str
    quantity: int
    time: str
    by: str
    note: str
    difference: int


@dataclass(frozen=True, slots=True)
class GeneratorInstalled(DataEvent):
    """``supplies.generator_installed``: id, facility, kw, fuel_store, load_percent,
    hours_per_day, running, time."""

    TYPE: ClassVar[str] = "supplies.generator_installed"

    id: str
    facility: str
    kw: int
    fuel_store: str
    load_percent: int
    hours_per_day: int
    running: bool
    time: str


@dataclass(frozen=True, slots=True)
class GeneratorSet(DataEvent):
    """``supplies.generator_set``: id, time, running, load_percent, hours_per_day, reason."""

    TYPE: ClassVar[str] = "supplies.generator_set"

    id: str
    time: str
    running: bool
    load_percent: int
    hours_per_day: int
    reason: str


@dataclass(frozen=True, slots=True)
class PumpInstalled(DataEvent):
    """``supplies.pump_installed``: id, facility, generator, water_store, litres_per_hour,
    head_m, pump_efficiency_percent, motor_efficiency_percent, time."""

    TYPE: ClassVar[str] = "supplies.pump_installed"

    id: str
    facility: str
    generator: str
    water_store: str
    litres_per_hour: int
    head_m: int
    pump_efficiency_percent: int
    motor_efficiency_percent: int
    time: str


SUPPLY_EVENTS = (
    StoreOpened,
    Received,
    Issued,
    Lost,
    Counted,
    GeneratorInstalled,
    GeneratorSet,
    PumpInstalled,
)
