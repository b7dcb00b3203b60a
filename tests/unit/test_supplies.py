"""The supplies rules and the runway arithmetic (pure domain: no storage)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from amanah.domain.shared import format_time
from amanah.domain.standards import (
    GENERATOR_DL_PER_HOUR,
    Minimums,
    cold_adjustment_kcal,
    generator_litres_per_hour,
    pumping_kwh_per_m3,
)
from amanah.domain.supplies import model
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
from amanah.domain.supplies.events import SUPPLY_EVENTS, Counted, Issued
from amanah.domain.supplies.runway import Plant, alerts, ration_plan, recent_daily, runways
from amanah.domain.supplies.units import fmt, to_base
from amanah.errors import InvalidInput

T0 = datetime(2026, 1, 12, 6, tzinfo=UTC)
NOW = datetime(2026, 1, 16, 12, tzinfo=UTC)
TODAY = date(2026, 1, 16)


def store(resource: str = "water", unit: str = "L", kcal: int | None = None) -> model.Store:
    (opened,) = model.decide_open(
        OpenStore(f"{resource}-1", "AQ", resource, "Store", unit, T0, kcal), None, NOW
    )
    return model.Store(**{} | model.evolve(None, opened).to_state())


def fold(state: model.State, *events: object) -> Any:
    for ev in events:
        state = model.evolve(state, ev)
    return state


# -- units --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "unit", "base"),
    [
        ("1", "L", 1000),
        ("2.5", "L", 2500),
        ("0.001", "L", 1),
        ("12,000", "L", 12_000_000),
        ("3", "kg", 3000),
        ("7", "doses", 7),
        ("0", "mL", 0),
        (15, "kcal", 15),
    ],
)
def test_quantities_become_whole_base_units(amount: str, unit: str, base: int) -> None:
    assert to_base(amount, unit) == base


@pytest.mark.parametrize(
    ("amount", "unit", "message"),
    [
        ("-1", "L", "negative"),
        ("0.0005", "L", "finer than one mL"),
        ("abc", "L", "not a number"),
        ("nan", "L", "not a number"),
        ("1", "gallons", "unknown unit"),
        ("1e30", "L", "large"),
        ("0.5", "doses", "finer"),
    ],
)
def test_bad_quantities_are_refused(amount: str, unit: str, message: str) -> None:
    with pytest.raises(SuppliesRefused, match=message):
        to_base(amount, unit)


def test_quantities_print_in_their_unit() -> None:
    assert fmt(2_500, "L") == "2.5 L"
    assert fmt(12_000_000, "L") == "12,000 L"
    assert fmt(7, "doses") == "7 doses"


# -- stores -------------------------------------------------------------------------------


def test_receipts_issues_losses_and_counts_keep_the_books() -> None:
    s = store()
    (r,) = model.decide_receive(Receive(s.id, 10_000_000, T0, "municipality"), s, NOW)
    s = fold(s, r)
    (i,) = model.decide_issue(Issue(s.id, 3_000_000, NOW, "block A"), s, NOW)
    s = fold(s, i)
    (lost,) = model.decide_lose(Lose(s.id, 500_000, NOW, "leak"), s, NOW)
    s = fold(s, lost)
    (c,) = model.decide_count(CountStock(s.id, 6_400_000, NOW, "Faris"), s, NOW)
    assert isinstance(c, Counted)
    assert c.difference == -100_000
    s = fold(s, c)
    assert isinstance(s, model.Store)
    assert (s.stock, s.received, s.issued, s.lost) == (6_400_000, 10_000_000, 3_000_000, 600_000)
    assert s.daily == {"2026-01-16": 3_000_000}
    assert model.Store.from_state(json.loads(json.dumps(s.to_state()))) == s


def test_a_store_refuses_what_it_cannot_do() -> None:
    s = fold(store(), *model.decide_receive(Receive("water-1", 1_000, T0, "x"), store(), NOW))
    assert isinstance(s, model.Store)
    with pytest.raises(SuppliesRefused, match="holds 1 L; 2 L cannot be issued"):
        model.decide_issue(Issue(s.id, 2_000, NOW, "A"), s, NOW)
    with pytest.raises(SuppliesRefused, match="cannot be lost"):
        model.decide_lose(Lose(s.id, 2_000, NOW, "leak"), s, NOW)
    with pytest.raises(SuppliesRefused, match="before store water-1 was opened"):
        model.decide_issue(Issue(s.id, 1, T0 - timedelta(hours=1), "A"), s, NOW)
    with pytest.raises(SuppliesRefused, match="after the current time"):
        model.decide_issue(Issue(s.id, 1, NOW + timedelta(days=1), "A"), s, NOW)
    with pytest.raises(SuppliesRefused, match="whole number"):
        model.decide_issue(Issue(s.id, -1, NOW, "A"), s, NOW)
    with pytest.raises(SuppliesRefused, match="is 0"):
        model.decide_issue(Issue(s.id, 0, NOW, "A"), s, NOW)
    with pytest.raises(SuppliesRefused, match="no store nowhere"):
        model.decide_issue(Issue("nowhere", 1, NOW, "A"), None, NOW)
    with pytest.raises(InvalidInput, match="empty"):
        model.decide_issue(Issue(s.id, 1, NOW, " "), s, NOW)


@pytest.mark.parametrize(
    ("resource", "unit", "kcal", "message"),
    [
        ("water", "kg", None, "water is counted in L, mL, not kg"),
        ("fuel", "doses", None, "not doses"),
        ("food", "kg", None, "needs its energy"),
        ("water", "L", 100, "only to food"),
        ("salt", "kg", None, "not one of"),
        ("food", "kg", 0, "whole number from 1"),
    ],
)
def test_a_store_is_kept_in_a_unit_of_its_resource(
    resource: str, unit: str, kcal: int | None, message: str
) -> None:
    with pytest.raises(SuppliesRefused, match=message):
        model.decide_open(OpenStore("s-1", "AQ", resource, "Store", unit, T0, kcal), None, NOW)


def test_an_id_is_opened_once() -> None:
    with pytest.raises(SuppliesRefused, match="already exists"):
        model.decide_open(OpenStore("water-1", "AQ", "water", "S", "L", T0), store(), NOW)
    with pytest.raises(SuppliesRefused, match="spaces"):
        model.decide_open(OpenStore("a b", "AQ", "water", "S", "L", T0), None, NOW)


def test_food_by_mass_counts_its_energy() -> None:
    s = store("food", "kg", 3_500)
    assert s.kcal(2_000) == 7_000  # 2 kg


def test_every_event_round_trips_and_holds_no_float() -> None:
    s = store()
    fuel = store("fuel")
    (g,) = model.decide_install_generator(
        InstallGenerator("gen-1", "AQ", 60, "fuel-1", 50, 12, T0), None, fuel, NOW
    )
    (gs,) = model.decide_set_generator(
        SetGenerator("gen-1", NOW, False), model.evolve(None, g), NOW
    )
    (p,) = model.decide_install_pump(
        InstallPump("pump-1", "AQ", "gen-1", "water-1", 3000, 30, 50, 100, T0),
        None,
        model.evolve(None, g),
        s,
        NOW,
    )
    events = [g, gs, p, Issued("water-1", 5, format_time(NOW), "A", "")]
    for ev in events:
        data = json.loads(json.dumps(ev.to_data()))
        assert type(ev).from_data(data) == ev
        assert not any(isinstance(v, float) for v in data.values())
    assert {type(e) for e in events} <= set(SUPPLY_EVENTS)


def test_generators_and_pumps_need_what_they_run_on() -> None:
    with pytest.raises(SuppliesRefused, match="not a fuel store"):
        model.decide_install_generator(
            InstallGenerator("gen-1", "AQ", 60, "water-1", 50, 12, T0), None, store(), NOW
        )
    with pytest.raises(SuppliesRefused, match="from 0 to 24"):
        model.decide_install_generator(
            InstallGenerator("gen-1", "AQ", 60, "fuel-1", 50, 25, T0), None, store("fuel"), NOW
        )
    with pytest.raises(SuppliesRefused, match="no generator"):
        model.decide_install_pump(
            InstallPump("p", "AQ", "gen-9", "water-1", 1, 1, 50, 50, T0), None, None, store(), NOW
        )


# -- standards ----------------------------------------------------------------------------


def test_the_generator_table_is_read_at_its_points_and_between() -> None:
    for kw, row in GENERATOR_DL_PER_HOUR.items():
        for load, dl in zip((25, 50, 75, 100), row, strict=True):
            assert generator_litres_per_hour(kw, load) == pytest.approx(dl / 10)
    assert generator_litres_per_hour(60, 60) == pytest.approx(11.0 + (14.4 - 11.0) * 0.4)
    assert generator_litres_per_hour(80, 50) == pytest.approx((11.0 + 15.6) / 2)
    assert generator_litres_per_hour(1000, 100) == pytest.approx(135.2 * 2)


def test_pumping_energy_matches_the_standards_example() -> None:
    # 1,800 people × 15 L = 27 m³ a day at 30 m head, 50 % efficiency ≈ 4.4 kWh a day.
    assert 27 * pumping_kwh_per_m3(30, 50, 100) == pytest.approx(4.41, abs=0.01)


@pytest.mark.parametrize(
    ("mean", "extra"), [(None, 0), (20, 0), (16, 0), (15, 100), (7, 200), (4, 300), (-10, 600)]
)
def test_the_cold_adjustment(mean: int | None, extra: int) -> None:
    assert cold_adjustment_kcal(mean) == extra
    assert Minimums(mean_temperature_c=mean).daily("food", "humane") == 2_460 + extra


# -- runway -------------------------------------------------------------------------------


def _with(s: model.State, *commands: object) -> Any:
    for c in commands:
        events: list[Any] = []
        match c:
            case Receive():
                events = list(model.decide_receive(c, s, NOW))  # type: ignore[arg-type]
            case Issue():
                events = list(model.decide_issue(c, s, NOW))  # type: ignore[arg-type]
        s = fold(s, *events)
    return s


def test_days_at_each_measure() -> None:
    water = _with(
        store(), Receive("water-1", 30_000_000, T0, "x"), Issue("water-1", 5_000_000, NOW, "A")
    )
    assert isinstance(water, model.Store)
    (r,) = runways([water], Plant(), 1_000, Minimums(), TODAY)
    assert r.stock == 25_000
    assert r.daily_humane == 15_000
    assert r.days_humane == pytest.approx(25_000 / 15_000)
    assert r.daily_survival == 3_000
    assert r.days_survival == pytest.approx(25_000 / 3_000)
    assert r.daily_recent == pytest.approx(1_000)  # 5,000 L over the 5 days since opening
    assert r.days_recent == pytest.approx(25.0)
    assert [(a.measure, round(a.days, 2)) for a in alerts([r], 3)] == [("humane", 1.67)]


def test_zero_population_and_zero_stock() -> None:
    water = store()
    (r,) = runways([water], Plant(), 0, Minimums(), TODAY)
    assert (r.stock, r.days_humane, r.days_survival, r.days_recent) == (0, None, None, None)
    (r,) = runways([water], Plant(), 10, Minimums(), TODAY)
    assert (r.days_humane, r.days_survival) == (0, 0)
    assert {a.measure for a in alerts([r], 3)} == {"humane", "survival"}
    plan = ration_plan(r, 5, 0, Minimums())
    assert plan.per_person is None
    assert not plan.under_survival


def test_recent_consumption_spans_at_most_seven_days() -> None:
    water = _with(store(), Receive("water-1", 90_000_000, T0, "x"))
    assert isinstance(water, model.Store)
    assert recent_daily([water], TODAY) is None
    opened_long_ago = model.Store(
        **(
            water.to_state()
            | {
                "time": "2025-12-01T00:00:00Z",
                "daily": {"2026-01-16": 7_000_000, "2026-01-01": 9_000_000},
            }
        )
    )
    assert recent_daily([opened_long_ago], TODAY) == pytest.approx(1_000)


def test_fuel_caps_pumped_water() -> None:
    fuel = _with(store("fuel"), Receive("fuel-1", 1_000_000, T0, "x"))  # 1,000 L
    water = _with(store(), Receive("water-1", 10_000_000, T0, "x"))  # 10,000 L
    gen = model.Generator("gen-1", "AQ", 60, "fuel-1", 50, 10, True, format_time(T0))
    pump = model.Pump("pump-1", "AQ", "gen-1", "water-1", 2_000, 30, 50, 100, format_time(T0))
    plant = Plant([gen], [pump])
    found = {r.resource: r for r in runways([fuel, water], plant, 1_000, Minimums(), TODAY)}
    burn = 11.0 * 10  # 60 kW at 50 %: 11 L/h, 10 hours a day
    assert found["fuel"].days_recent == pytest.approx(1_000 / burn)
    w = found["water"]
    assert w.pumped_per_day == 20_000
    assert w.capped_by == "fuel"
    fuel_days = 1_000 / burn
    # Humane: 15,000 L a day, the pump gives 20,000 while the fuel lasts, then the tank.
    assert w.days_humane == pytest.approx(fuel_days + 10_000 / 15_000)
    # Without the pump the tank alone lasts far less.
    (alone,) = runways([water], Plant(), 1_000, Minimums(), TODAY)
    assert alone.days_humane is not None
    assert w.days_humane is not None
    assert w.days_humane > alone.days_humane
    # With no fuel the pump does nothing.
    empty = store("fuel")
    dry = {r.resource: r for r in runways([empty, water], plant, 1_000, Minimums(), TODAY)}
    assert dry["water"].days_humane == pytest.approx(alone.days_humane)
    assert dry["water"].capped_by is None


def test_a_rationing_plan_flags_a_ration_under_the_survival_minimum() -> None:
    food = _with(store("food", "kcal"), Receive("food-1", 10_000_000, T0, "x"))
    (r,) = runways([food], Plant(), 1_000, Minimums(), TODAY)
    plan = ration_plan(r, 5, 1_000, Minimums())
    assert plan.per_person == pytest.approx(2_000)  # 10,000,000 kcal / 5 days / 1,000 people
    assert plan.under_humane
    assert plan.under_survival
    generous = ration_plan(r, 4, 1_000, Minimums())
    assert generous.per_person == pytest.approx(2_500)
    assert not generous.under_humane
    assert not generous.under_survival
    with pytest.raises(ValueError, match="after now"):
        ration_plan(r, 0, 1_000, Minimums())


def test_a_lightly_loaded_generator_burns_its_quarter_load_figure() -> None:
    assert generator_litres_per_hour(60, 10) == pytest.approx(6.8)
    assert generator_litres_per_hour(60, 25) == pytest.approx(6.8)


def test_two_pumps_on_one_generator_burn_its_fuel_once() -> None:
    fuel = _with(store("fuel"), Receive("fuel-1", 1_000_000, T0, "x"))
    water = _with(store(), Receive("water-1", 10_000_000, T0, "x"))
    gen = model.Generator("gen-1", "AQ", 60, "fuel-1", 50, 10, True, format_time(T0))
    one = model.Pump("p-1", "AQ", "gen-1", "water-1", 2_000, 30, 50, 100, format_time(T0))
    two = model.Pump("p-2", "AQ", "gen-1", "water-1", 2_000, 30, 50, 100, format_time(T0))
    found = {
        r.resource: r
        for r in runways([fuel, water], Plant([gen], [one, two]), 1_000, Minimums(), TODAY)
    }
    # 15,000 L humane need over 4,000 L/h: 3.75 h of the one generator at 11 L/h.
    assert found["fuel"].daily_humane == pytest.approx(3.75 * 11.0)


def test_a_pump_lifts_no_more_than_its_generator_can_power() -> None:
    water = _with(store(), Receive("water-1", 1_000_000, T0, "x"))
    fuel = _with(store("fuel"), Receive("fuel-1", 1_000_000, T0, "x"))
    weak = model.Generator("gen-1", "AQ", 20, "fuel-1", 25, 10, True, format_time(T0))
    # 300 m head at 50 %: 1.63 kWh a cubic metre; 5 kW lifts about 3.06 m³ an hour.
    deep = model.Pump("p-1", "AQ", "gen-1", "water-1", 10_000, 300, 50, 100, format_time(T0))
    (w,) = [
        r
        for r in runways([water, fuel], Plant([weak], [deep]), 100, Minimums(), TODAY)
        if r.resource == "water"
    ]
    per_m3 = pumping_kwh_per_m3(300, 50, 100)
    assert w.pumped_per_day == pytest.approx(5 / per_m3 * 1000 * 10)


def test_entries_of_a_store_are_kept_in_time_order() -> None:
    s = _with(store(), Receive("water-1", 1_000_000, NOW, "x"))
    with pytest.raises(SuppliesRefused, match="in the order they happened"):
        model.decide_issue(Issue("water-1", 1_000, NOW - timedelta(hours=1), "A"), s, NOW)
    with pytest.raises(SuppliesRefused, match="in the order they happened"):
        model.decide_count(CountStock("water-1", 5, NOW - timedelta(hours=1), "F"), s, NOW)


def test_huge_quantities_are_refused_not_overflowed() -> None:
    with pytest.raises(SuppliesRefused, match="implausibly large"):
        to_base("1e999999", "L")


def test_each_resource_has_its_units() -> None:
    with pytest.raises(SuppliesRefused, match="medicine is counted in doses, not rations"):
        model.decide_open(OpenStore("m-1", "AQ", "medicine", "M", "rations", T0), None, NOW)
    with pytest.raises(SuppliesRefused, match="names a page"):
        model.decide_open(OpenStore("runway", "AQ", "water", "M", "L", T0), None, NOW)
