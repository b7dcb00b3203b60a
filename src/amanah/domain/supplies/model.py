"""The supplies rules: ``decide_*`` turns a command into events, ``evolve`` folds them into
the state of a store, a generator or a pump (each its own stream)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Self

from amanah.domain.shared import check_when, check_whole, clean_text, one_line
from amanah.domain.supplies.commands import (
    CountStock,
    InstallGenerator,
    InstallPump,
    Issue,
    Lose,
    OpenStore,
    Receive,
    SetGenerator,
)
from amanah.domain.supplies.errors import SuppliesRefused
from amanah.domain.supplies.events import (
    Counted,
    GeneratorInstalled,
    GeneratorSet,
    Issued,
    Lost,
    PumpInstalled,
    Received,
    StoreOpened,
)
from amanah.domain.supplies.units import MAX_BASE, RESOURCES, check_unit, fmt

MAX_NOTE_CHARS = 2_000
#: Ids that name pages and reports of the supplies (``/supplies/runway``), not a store.
RESERVED = frozenset({"runway", "plan", "new"})


class _Flat:
    """``to_state``/``from_state`` for a dataclass whose fields are JSON values."""

    __slots__ = ()

    def to_state(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload, no-any-return]

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Self:
        return cls(**state)


@dataclass(frozen=True, slots=True)
class Store(_Flat):
    """A store of one resource: its books (stock in base units) and the daily issues."""

    id: str
    facility: str
    resource: str
    name: str
    unit: str
    kcal_per_unit: int | None
    location: str | None
    time: str  # opened
    stock: int = 0
    received: int = 0
    issued: int = 0
    lost: int = 0
    latest: str = ""
    daily: dict[str, int] = field(default_factory=dict)  # UTC day -> issued that day

    @property
    def kind(self) -> str:
        return self.resource

    @property
    def status(self) -> str:
        return "stocked" if self.stock > 0 else "empty"

    @property
    def base(self) -> str:
        return check_unit(self.unit)[1]

    def kcal(self, amount: int) -> int:
        """``amount`` base units of this (food) store in kcal."""
        dimension, _, factor = check_unit(self.unit)
        if dimension == "energy":
            return amount
        return amount * (self.kcal_per_unit or 0) // factor


@dataclass(frozen=True, slots=True)
class Generator(_Flat):
    id: str
    facility: str
    kw: int
    fuel_store: str
    load_percent: int
    hours_per_day: int
    running: bool
    time: str

    kind = "generator"

    @property
    def status(self) -> str:
        return "running" if self.running else "stopped"


@dataclass(frozen=True, slots=True)
class Pump(_Flat):
    id: str
    facility: str
    generator: str
    water_store: str
    litres_per_hour: int
    head_m: int
    pump_efficiency_percent: int
    motor_efficiency_percent: int
    time: str

    kind = "pump"
    status = "installed"


State = Store | Generator | Pump


def from_state(kind: str, state: dict[str, Any]) -> State:
    """A supplies state from its case file (``kind`` as :attr:`CaseRow.kind`)."""
    if kind == "generator":
        return Generator.from_state(state)
    if kind == "pump":
        return Pump.from_state(state)
    return Store.from_state(state)


def _ident(value: str, what: str) -> str:
    text = one_line(value, what, max_chars=40)
    if any(ch.isspace() for ch in text) or "/" in text:
        raise SuppliesRefused(f"{what} {text!r} may not contain spaces or '/'")
    return text


def _quantity(value: int, what: str) -> int:
    return check_whole(value, what, 0, MAX_BASE, SuppliesRefused)


def _after_opening(store: Store, moment: datetime, now: datetime, what: str) -> str:
    """The entry's time, refused before the store existed, or before its latest entry: a
    store's books are kept in the order things happened, so that the stock at any time (a
    count, an issue checked against what was there) is the sum of what came before."""
    when = check_when(moment, now, what, SuppliesRefused)
    if when < store.time:
        raise SuppliesRefused(
            f"{what} is dated {when}, before store {store.id} was opened ({store.time})"
        )
    if when < store.latest:
        raise SuppliesRefused(
            f"{what} is dated {when}, before the latest entry of store {store.id} "
            f"({store.latest}): record a store's entries in the order they happened"
        )
    return when


def _store(store: Store | None, ref: str) -> Store:
    if store is None:
        raise SuppliesRefused(f"no store {ref}")
    return store


def decide_open(c: OpenStore, existing: State | None, now: datetime) -> list[StoreOpened]:
    ident = _ident(c.id, "the store id")
    if existing is not None:
        raise SuppliesRefused(f"store {ident} already exists")
    if ident in RESERVED:
        raise SuppliesRefused(f"{ident!r} names a page of the supplies; choose another id")
    if c.resource not in RESOURCES:
        raise SuppliesRefused(f"resource {c.resource!r} is not one of {', '.join(RESOURCES)}")
    dimension = check_unit(c.unit)[0]
    units, _ = RESOURCES[c.resource]
    if c.unit not in units:
        raise SuppliesRefused(f"{c.resource} is counted in {', '.join(units)}, not {c.unit}")
    kcal: int | None = None
    if c.resource == "food" and dimension != "energy":
        if c.kcal_per_unit is None:
            raise SuppliesRefused(
                f"food counted in {c.unit} needs its energy: kcal per {c.unit.rstrip('s')}"
            )
        kcal = check_whole(c.kcal_per_unit, "kcal per unit", 1, 100_000, SuppliesRefused)
    elif c.kcal_per_unit is not None:
        raise SuppliesRefused("kcal per unit applies only to food counted by mass or ration")
    name = one_line(c.name, "the store's name")
    location = one_line(c.location, "the store's location") if c.location else None
    when = check_when(c.time, now, "the store's opening", SuppliesRefused)
    facility = one_line(c.facility, "the facility")
    return [StoreOpened(ident, facility, c.resource, name, c.unit, kcal, location, when)]


def decide_receive(c: Receive, store: Store | None, now: datetime) -> list[Received]:
    s = _store(store, c.store)
    quantity = _quantity(c.quantity, "the quantity received")
    if quantity == 0:
        raise SuppliesRefused("a delivery of nothing is not a delivery: the quantity is 0")
    when = _after_opening(s, c.time, now, "the delivery")
    source = one_line(c.source, "who delivered it")
    note = clean_text(c.note, "the note", max_chars=MAX_NOTE_CHARS) if c.note.strip() else ""
    return [Received(s.id, quantity, when, source, note)]


def decide_issue(c: Issue, store: Store | None, now: datetime) -> list[Issued]:
    s = _store(store, c.store)
    quantity = _quantity(c.quantity, "the quantity issued")
    if quantity == 0:
        raise SuppliesRefused("the quantity issued is 0")
    if quantity > s.stock:
        raise SuppliesRefused(
            f"store {s.id} holds {fmt(s.stock, s.unit)}; {fmt(quantity, s.unit)} cannot be issued"
        )
    when = _after_opening(s, c.time, now, "the issue")
    to = one_line(c.to, "where it went")
    note = clean_text(c.note, "the note", max_chars=MAX_NOTE_CHARS) if c.note.strip() else ""
    return [Issued(s.id, quantity, when, to, note)]


def decide_lose(c: Lose, store: Store | None, now: datetime) -> list[Lost]:
    s = _store(store, c.store)
    quantity = _quantity(c.quantity, "the quantity lost")
    if quantity == 0:
        raise SuppliesRefused("the quantity lost is 0")
    if quantity > s.stock:
        raise SuppliesRefused(
            f"store {s.id} holds {fmt(s.stock, s.unit)}; {fmt(quantity, s.unit)} cannot be "
            "lost from it (record a physical count if the books are wrong)"
        )
    when = _after_opening(s, c.time, now, "the loss")
    reason = one_line(c.reason, "the reason for the loss", max_chars=500)
    return [Lost(s.id, quantity, when, reason)]


def decide_count(c: CountStock, store: Store | None, now: datetime) -> list[Counted]:
    s = _store(store, c.store)
    quantity = _quantity(c.quantity, "the quantity counted")
    when = _after_opening(s, c.time, now, "the count")
    by = one_line(c.by, "who counted")
    note = clean_text(c.note, "the note", max_chars=MAX_NOTE_CHARS) if c.note.strip() else ""
    return [Counted(s.id, quantity, when, by, note, quantity - s.stock)]


def _percent(value: int, what: str, low: int = 1) -> int:
    return check_whole(value, what, low, 100, SuppliesRefused)


def _hours(value: int) -> int:
    return check_whole(value, "hours a day", 0, 24, SuppliesRefused)


def decide_install_generator(
    c: InstallGenerator, existing: State | None, fuel: State | None, now: datetime
) -> list[GeneratorInstalled]:
    ident = _ident(c.id, "the generator id")
    if existing is not None:
        raise SuppliesRefused(f"generator {ident} already exists")
    if not isinstance(fuel, Store) or fuel.resource != "fuel":
        raise SuppliesRefused(f"{c.fuel_store} is not a fuel store")
    if fuel.facility != c.facility:
        raise SuppliesRefused(f"fuel store {fuel.id} is in {fuel.facility}, not {c.facility}")
    kw = check_whole(c.kw, "the generator's size in kW", 1, 5_000, SuppliesRefused)
    when = check_when(c.time, now, "the installation", SuppliesRefused)
    return [
        GeneratorInstalled(
            ident,
            one_line(c.facility, "the facility"),
            kw,
            fuel.id,
            _percent(c.load_percent, "the load"),
            _hours(c.hours_per_day),
            bool(c.running),
            when,
        )
    ]


def decide_set_generator(
    c: SetGenerator, generator: State | None, now: datetime
) -> list[GeneratorSet]:
    if not isinstance(generator, Generator):
        raise SuppliesRefused(f"no generator {c.id}")
    when = check_when(c.time, now, "the change", SuppliesRefused)
    if when < generator.time:
        raise SuppliesRefused(f"the change is dated before generator {c.id} was installed")
    load = generator.load_percent if c.load_percent is None else c.load_percent
    hours = generator.hours_per_day if c.hours_per_day is None else c.hours_per_day
    reason = one_line(c.reason, "the reason", max_chars=500) if c.reason.strip() else ""
    return [
        GeneratorSet(c.id, when, bool(c.running), _percent(load, "the load"), _hours(hours), reason)
    ]


def decide_install_pump(
    c: InstallPump,
    existing: State | None,
    generator: State | None,
    water: State | None,
    now: datetime,
) -> list[PumpInstalled]:
    ident = _ident(c.id, "the pump id")
    if existing is not None:
        raise SuppliesRefused(f"pump {ident} already exists")
    if not isinstance(generator, Generator):
        raise SuppliesRefused(f"no generator {c.generator} to power the pump")
    if not isinstance(water, Store) or water.resource != "water":
        raise SuppliesRefused(f"{c.water_store} is not a water store")
    for part in (generator, water):
        if part.facility != c.facility:
            raise SuppliesRefused(f"{part.id} is in {part.facility}, not {c.facility}")
    return [
        PumpInstalled(
            ident,
            one_line(c.facility, "the facility"),
            generator.id,
            water.id,
            check_whole(c.litres_per_hour, "litres per hour", 1, 10**7, SuppliesRefused),
            check_whole(c.head_m, "the head in metres", 1, 2_000, SuppliesRefused),
            _percent(c.pump_efficiency_percent, "the pump's efficiency"),
            _percent(c.motor_efficiency_percent, "the motor's efficiency"),
            check_when(c.time, now, "the installation", SuppliesRefused),
        )
    ]


def _day(time: str) -> str:
    return time[:10]


def evolve(state: State | None, event: Any) -> State:
    """The state after ``event``."""
    match event:
        case StoreOpened():
            return Store(
                event.id,
                event.facility,
                event.resource,
                event.name,
                event.unit,
                event.kcal_per_unit,
                event.location,
                event.time,
                latest=event.time,
            )
        case GeneratorInstalled():
            return Generator(**event.to_data())
        case PumpInstalled():
            return Pump(**event.to_data())
        case GeneratorSet():
            assert isinstance(state, Generator)
            return replace(
                state,
                running=event.running,
                load_percent=event.load_percent,
                hours_per_day=event.hours_per_day,
            )
    assert isinstance(state, Store)
    latest = max(state.latest, event.time)
    match event:
        case Received():
            return replace(
                state,
                stock=state.stock + event.quantity,
                received=state.received + event.quantity,
                latest=latest,
            )
        case Issued():
            daily = dict(state.daily)
            daily[_day(event.time)] = daily.get(_day(event.time), 0) + event.quantity
            return replace(
                state,
                stock=state.stock - event.quantity,
                issued=state.issued + event.quantity,
                daily=daily,
                latest=latest,
            )
        case Lost():
            return replace(
                state,
                stock=state.stock - event.quantity,
                lost=state.lost + event.quantity,
                latest=latest,
            )
        case Counted():
            lost = state.lost - event.difference if event.difference < 0 else state.lost
            received = state.received + event.difference if event.difference > 0 else state.received
            return replace(state, stock=event.quantity, lost=lost, received=received, latest=latest)
    raise TypeError(f"not a supplies event: {event!r}")
