"""The humane minimums and technical tables Amanah enforces, each with its source.

One module of named constants (``../shared/STANDARDS.md``). A facility may override a
figure in its settings, never silently: :class:`Minimums` is what the rules receive, and a
report names the figures it used. Quantities are in base units (mL, kcal) as in the ledger.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

# --- Water, per person per day (mL) ---
#: Drinking, hygiene and cooking in prison: ICRC prison WASH guidance 10–15 L, "plan on 15";
#: Sphere water supply standard 1 (15 L).
WATER_HUMANE_ML = 15_000
#: Survival intake: Sphere, 2.5–3 L (the upper figure: detainees cannot fetch more).
WATER_SURVIVAL_ML = 3_000

# --- Food energy, per person per day (kcal) ---
#: Adult men, light activity: UNHCR/WFP 1997 guidelines, annex I. The detainees and guards
#: are adult men; this is the humane figure Amanah plans on.
FOOD_HUMANE_KCAL = 2_460
#: Sphere food security standard 1 planning figure: the least a ration is planned on.
#: STANDARDS.md gives no lower survival figure, so Amanah takes this one as the floor.
FOOD_SURVIVAL_KCAL = 2_100
#: Cold adjustment: +100 kcal per full 5 °C of mean temperature below 20 °C
#: (UNHCR/WFP 1997, annex II; Raqqa in January: +200 to +300).
COLD_STEP_KCAL = 100
COLD_STEP_DEGREES = 5
COLD_BASE_DEGREES = 20

# --- Power and pumping ---
#: Diesel generator consumption in litres per hour (×10, integers) at 25/50/75/100 % load
#: by size in kW (published genset consumption charts, via STANDARDS.md).
GENERATOR_DL_PER_HOUR: dict[int, tuple[int, int, int, int]] = {
    20: (27, 34, 49, 61),
    60: (68, 110, 144, 182),
    100: (99, 156, 220, 285),
    200: (178, 292, 417, 546),
    500: (417, 701, 1000, 1352),
}
GENERATOR_LOADS = (25, 50, 75, 100)
#: Pumping energy: kWh per m³ = head_m ÷ (367 × pump efficiency × motor efficiency).
PUMP_HEAD_CONSTANT = 367

# --- Alerts ---
#: A runway under this many days raises an alert (the issue's default).
RUNWAY_ALERT_DAYS = 3
#: "Recent consumption" is the mean over this many days (or since the store opened).
RECENT_DAYS = 7


def cold_adjustment_kcal(mean_temperature_c: int | None) -> int:
    """Extra kcal per person per day for a mean temperature under 20 °C (none if unknown)."""
    if mean_temperature_c is None or mean_temperature_c >= COLD_BASE_DEGREES:
        return 0
    return COLD_STEP_KCAL * ((COLD_BASE_DEGREES - mean_temperature_c) // COLD_STEP_DEGREES)


@dataclass(frozen=True, slots=True)
class Minimums:
    """The per-person daily figures a runway is measured against (base units)."""

    water_humane_ml: int = WATER_HUMANE_ML
    water_survival_ml: int = WATER_SURVIVAL_ML
    food_humane_kcal: int = FOOD_HUMANE_KCAL
    food_survival_kcal: int = FOOD_SURVIVAL_KCAL
    mean_temperature_c: int | None = None  # the cold-weather setting for food
    alert_days: int = RUNWAY_ALERT_DAYS

    @property
    def cold_kcal(self) -> int:
        return cold_adjustment_kcal(self.mean_temperature_c)

    def daily(self, resource: str, measure: str) -> int | None:
        """Base units per person per day of ``resource`` at ``measure`` (humane|survival),
        or ``None`` where no per-person minimum exists (fuel, medicine)."""
        table = {
            ("water", "humane"): self.water_humane_ml,
            ("water", "survival"): self.water_survival_ml,
            ("food", "humane"): self.food_humane_kcal + self.cold_kcal,
            ("food", "survival"): self.food_survival_kcal + self.cold_kcal,
        }
        return table.get((resource, measure))


def generator_litres_per_hour(kw: int, load_percent: int) -> float:
    """Diesel burn of a ``kw`` generator at ``load_percent``, interpolated linearly in size
    and load from :data:`GENERATOR_DL_PER_HOUR` (the 25 % figure below 25 % load; in
    proportion to size below 20 kW and beyond 500 kW)."""
    sizes = sorted(GENERATOR_DL_PER_HOUR)

    def at_size(row: tuple[int, int, int, int]) -> float:
        loads = GENERATOR_LOADS
        if load_percent <= loads[0]:
            # A diesel set burns about its quarter-load figure however lightly loaded (and
            # loads under ~30 % are discouraged): never less.
            return row[0] / 10
        for i in range(1, len(loads)):
            if load_percent <= loads[i]:
                lo, hi = loads[i - 1], loads[i]
                share = (load_percent - lo) / (hi - lo)
                return (row[i - 1] + (row[i] - row[i - 1]) * share) / 10
        return row[-1] / 10 * load_percent / 100

    if kw <= sizes[0]:
        return at_size(GENERATOR_DL_PER_HOUR[sizes[0]]) * kw / sizes[0]
    if kw >= sizes[-1]:
        return at_size(GENERATOR_DL_PER_HOUR[sizes[-1]]) * kw / sizes[-1]
    for small, big in itertools.pairwise(sizes):
        if small <= kw <= big:
            a = at_size(GENERATOR_DL_PER_HOUR[small])
            b = at_size(GENERATOR_DL_PER_HOUR[big])
            return a + (b - a) * (kw - small) / (big - small)
    raise AssertionError("unreachable")


def pumping_kwh_per_m3(
    head_m: int, pump_efficiency_percent: int, motor_efficiency_percent: int
) -> float:
    """Energy to lift one cubic metre ``head_m`` metres (STANDARDS.md, "Power and pumping")."""
    return head_m / (
        PUMP_HEAD_CONSTANT * pump_efficiency_percent / 100 * motor_efficiency_percent / 100
    )
