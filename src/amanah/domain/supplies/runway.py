"""How long the people inside can last: days of each resource at recent consumption, at the
humane minimum and at the survival minimum, and a rationing plan to a target date.

The chain that failed at al-Aqtan is modelled: water that is pumped needs power, power comes
from a generator, and a generator burns fuel at a rate set by its size and load, so while
pumping covers (part of) the need the fuel runway caps the water runway. Figures here are
computed, never recorded: floats are fine (the ledger holds only the integer facts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from amanah.domain.standards import (
    RECENT_DAYS,
    Minimums,
    generator_litres_per_hour,
    pumping_kwh_per_m3,
)
from amanah.domain.supplies.model import Generator, Pump, Store
from amanah.domain.supplies.units import RESOURCES, check_unit

MEASURES = ("recent", "humane", "survival")


@dataclass(frozen=True, slots=True)
class Runway:
    """One resource's runway. Quantities in ``unit`` (L, kcal, doses); ``None`` where a
    figure cannot be given (nothing consumed lately, no per-person minimum, no one inside)."""

    resource: str
    unit: str
    stock: float
    daily_recent: float | None
    daily_humane: float | None
    daily_survival: float | None
    days_recent: float | None
    days_humane: float | None
    days_survival: float | None
    capped_by: str | None = None  # "fuel" when running out of fuel ends the pumping
    pumped_per_day: float | None = None  # L a day the pumps deliver while fuel lasts
    fuel_days: float | None = None  # how long the fuel keeps the pumps running

    def days(self, measure: str) -> float | None:
        return {
            "recent": self.days_recent,
            "humane": self.days_humane,
            "survival": self.days_survival,
        }[measure]


@dataclass(frozen=True, slots=True)
class Alert:
    resource: str
    measure: str
    days: float


@dataclass(frozen=True, slots=True)
class Plant:
    """The generators and pumps, with the fuel they can draw on."""

    generators: Sequence[Generator] = ()
    pumps: Sequence[Pump] = ()


def _display(store: Store, amount: int) -> float:
    """``amount`` base units of ``store`` in its resource's runway unit (L, kcal, doses)."""
    if store.resource == "food":
        return float(store.kcal(amount))
    return _in_unit(store, amount)


def _in_unit(store: Store, amount: int) -> float:
    """Base units of a water, fuel or medicine store in its runway unit (L, doses): the
    units :data:`RESOURCES` allows each share its base unit (mL, doses)."""
    _, _, factor = check_unit(RESOURCES[store.resource][1])
    return amount / factor


def recent_daily(stores: Sequence[Store], today: date, days: int = RECENT_DAYS) -> float | None:
    """Mean issued per day over the last ``days`` days (today included), or since the
    earliest store opened if that is shorter; ``None`` if nothing was issued in the window."""
    if not stores:
        return None
    first = min(date.fromisoformat(s.time[:10]) for s in stores)
    window = max(1, min(days, (today - first).days + 1))
    start = today - timedelta(days=window - 1)
    total = 0.0
    seen = False
    for s in stores:
        for day, amount in s.daily.items():
            if start <= date.fromisoformat(day) <= today:
                total += _display(s, amount)
                seen = True
    return total / window if seen else None


def _stock(stores: Sequence[Store]) -> float:
    return sum(_display(s, s.stock) for s in stores)


def _burn(g: Generator) -> float:
    """Litres of fuel a running generator burns a day at its load and hours."""
    return generator_litres_per_hour(g.kw, g.load_percent) * g.hours_per_day if g.running else 0.0


def flow(pump: Pump, generator: Generator) -> float:
    """Litres an hour ``pump`` delivers: its rated flow, or less where the power its
    generator gives at its load cannot lift that much water that high."""
    per_m3 = pumping_kwh_per_m3(
        pump.head_m, pump.pump_efficiency_percent, pump.motor_efficiency_percent
    )
    power_kw = generator.kw * generator.load_percent / 100
    return min(float(pump.litres_per_hour), power_kw / per_m3 * 1000)


def _days(stock: float, daily: float | None) -> float | None:
    if daily is None or daily <= 0:
        return None
    return stock / daily


def _water_days(
    stock: float, need: float | None, pumped: float, fuel_days: float | None
) -> tuple[float | None, bool]:
    """Days of water at ``need`` L a day from a tank of ``stock`` L, topped up by ``pumped``
    L a day for ``fuel_days`` days; and whether the fuel running out ends it."""
    if need is None or need <= 0:
        return None, False
    if pumped <= 0 or not fuel_days:
        return stock / need, False
    deficit = need - pumped
    if deficit <= 0:
        return fuel_days + stock / need, True
    tank_alone = stock / deficit
    if tank_alone <= fuel_days:
        return tank_alone, False
    return fuel_days + (stock - deficit * fuel_days) / need, True


def runways(
    stores: Sequence[Store],
    plant: Plant,
    population: int,
    minimums: Minimums,
    today: date,
) -> list[Runway]:
    """The runway of every resource the facility keeps a store of (in :data:`RESOURCES`
    order), for ``population`` people inside."""
    by_resource = {r: [s for s in stores if s.resource == r] for r in RESOURCES}
    fuel = by_resource["fuel"]
    fuel_stock = _stock(fuel)
    stock_of = {s.id: s.stock for s in stores}
    running = [g for g in plant.generators if g.running and stock_of.get(g.fuel_store, 0) > 0]
    burn = sum(_burn(g) for g in running)
    fuel_recent = recent_daily(fuel, today)
    # The pumps run while the fuel lasts, at the generators' burn or at what the fuel has
    # lately been going on (vehicles too), whichever is faster.
    fuel_days = _days(fuel_stock, max(burn, fuel_recent or 0.0)) if burn else None
    generators = {g.id: g for g in running}
    pumping = [p for p in plant.pumps if p.generator in generators]
    pumped = sum(
        flow(p, generators[p.generator]) * generators[p.generator].hours_per_day for p in pumping
    )

    def need(resource: str, measure: str) -> float | None:
        per_person = minimums.daily(resource, measure)
        if per_person is None or population <= 0:
            return None
        total = per_person * population
        return total / 1000 if resource == "water" else float(total)

    def pumping_fuel(water_need: float | None) -> float | None:
        """Fuel a day to pump ``water_need`` L: the need is shared over the pumps by their
        flow; each generator runs as long as its longest-running pump needs (up to 24 h)."""
        gens = {g.id: g for g in plant.generators}
        pumps = [p for p in plant.pumps if p.generator in gens]
        if water_need is None or not pumps:
            return None
        total = sum(flow(p, gens[p.generator]) for p in pumps)
        hours: dict[str, float] = {}
        for p in pumps:
            need = min(24.0, water_need / total)  # every pump runs need/total hours
            hours[p.generator] = max(hours.get(p.generator, 0.0), need)
        return sum(
            h * generator_litres_per_hour(gens[g].kw, gens[g].load_percent)
            for g, h in hours.items()
        )

    result: list[Runway] = []
    for resource, kept in by_resource.items():
        if not kept:
            continue
        unit = RESOURCES[resource][1]
        stock = _stock(kept)
        recent = recent_daily(kept, today)
        if resource == "water":
            humane, survival = need("water", "humane"), need("water", "survival")
            figures = [_water_days(stock, d, pumped, fuel_days) for d in (recent, humane, survival)]
            capped = "fuel" if any(c for _, c in figures) else None
            result.append(
                Runway(
                    resource,
                    unit,
                    stock,
                    recent,
                    humane,
                    survival,
                    figures[0][0],
                    figures[1][0],
                    figures[2][0],
                    capped,
                    float(pumped) if pumping else None,
                    fuel_days if pumping else None,
                )
            )
        elif resource == "fuel":
            daily = fuel_recent if fuel_recent is not None else (burn or None)
            humane = pumping_fuel(need("water", "humane"))
            survival = pumping_fuel(need("water", "survival"))
            result.append(
                Runway(
                    resource,
                    unit,
                    stock,
                    daily,
                    humane,
                    survival,
                    _days(stock, daily),
                    _days(stock, humane),
                    _days(stock, survival),
                )
            )
        else:
            humane, survival = need(resource, "humane"), need(resource, "survival")
            result.append(
                Runway(
                    resource,
                    unit,
                    stock,
                    recent,
                    humane,
                    survival,
                    _days(stock, recent),
                    _days(stock, humane),
                    _days(stock, survival),
                )
            )
    return result


def alerts(found: Sequence[Runway], threshold_days: float) -> list[Alert]:
    """Every runway figure under ``threshold_days``."""
    return [
        Alert(r.resource, m, days)
        for r in found
        for m in MEASURES
        if (days := r.days(m)) is not None and days < threshold_days
    ]


@dataclass(frozen=True, slots=True)
class RationPlan:
    """The daily ration per person that makes the stock last until the target date."""

    resource: str
    unit: str
    days: float
    daily: float  # unit a day for everyone
    per_person: float | None  # unit per person per day; None with no one inside
    humane: float | None
    survival: float | None

    @property
    def under_survival(self) -> bool:
        return (
            self.per_person is not None
            and self.survival is not None
            and (self.per_person < self.survival)
        )

    @property
    def under_humane(self) -> bool:
        return (
            self.per_person is not None
            and self.humane is not None
            and (self.per_person < self.humane)
        )


def ration_plan(runway: Runway, days: float, population: int, minimums: Minimums) -> RationPlan:
    """Share ``runway``'s stock (and, for water, what the pumps deliver while the fuel
    lasts) over ``days`` days among ``population`` people."""
    if days <= 0:
        raise ValueError("the target date must be after now")
    total = runway.stock
    if runway.resource == "water" and runway.pumped_per_day:
        total += runway.pumped_per_day * min(days, runway.fuel_days or 0.0)
    scale = 1000 if runway.resource == "water" else 1

    def minimum(measure: str) -> float | None:
        value = minimums.daily(runway.resource, measure)
        return None if value is None else value / scale

    per_person = total / days / population if population > 0 else None
    return RationPlan(
        runway.resource,
        runway.unit,
        days,
        total / days,
        per_person,
        minimum("humane"),
        minimum("survival"),
    )
