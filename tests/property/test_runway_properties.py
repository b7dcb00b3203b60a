"""Properties of the runway arithmetic over random stocks, populations and plants."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amanah.domain.shared import format_time
from amanah.domain.standards import Minimums
from amanah.domain.supplies import model
from amanah.domain.supplies.runway import Plant, ration_plan, runways
from amanah.domain.supplies.units import UNITS, to_base

OPENED = format_time(datetime(2026, 1, 1, tzinfo=UTC))
TODAY = date(2026, 1, 16)

stocks = st.integers(min_value=0, max_value=10**12)
people = st.integers(min_value=0, max_value=200_000)


def tank(stock: int, resource: str = "water", daily: dict[str, int] | None = None) -> model.Store:
    unit = {"water": "L", "fuel": "L", "food": "kcal", "medicine": "doses"}[resource]
    return model.Store(
        f"{resource}-1", "AQ", resource, "S", unit, None, None, OPENED, stock, daily=daily or {}
    )


@given(stocks, people)
def test_days_times_the_daily_need_is_the_stock(stock: int, population: int) -> None:
    (r,) = runways([tank(stock)], Plant(), population, Minimums(), TODAY)
    if population == 0:
        assert r.days_humane is None
        assert r.days_survival is None
        return
    assert r.days_humane is not None
    assert r.daily_humane is not None
    assert r.days_humane * r.daily_humane == pytest.approx(stock / 1000)
    assert r.days_survival is not None
    assert r.days_survival >= r.days_humane


@given(stocks, st.integers(min_value=1, max_value=100_000), st.integers(min_value=1, max_value=9))
def test_more_people_never_last_longer(stock: int, population: int, more: int) -> None:
    (few,) = runways([tank(stock, "food")], Plant(), population, Minimums(), TODAY)
    (many,) = runways([tank(stock, "food")], Plant(), population * (more + 1), Minimums(), TODAY)
    assert few.days_humane is not None
    assert many.days_humane is not None
    assert many.days_humane <= few.days_humane


@given(stocks, st.integers(min_value=1, max_value=100_000), st.floats(0.1, 365))
def test_a_ration_plan_shares_out_exactly_the_stock(
    stock: int, population: int, days: float
) -> None:
    (r,) = runways([tank(stock, "food")], Plant(), population, Minimums(), TODAY)
    plan = ration_plan(r, days, population, Minimums())
    assert plan.per_person is not None
    assert plan.per_person * population * days == pytest.approx(stock)
    assert plan.under_survival == (plan.per_person < 2_100)


@settings(max_examples=200)
@given(
    st.integers(0, 10**9),
    st.integers(0, 10**9),
    st.integers(1, 5_000),
    st.integers(1, 100),
    st.integers(0, 24),
    st.integers(1, 20_000),
)
def test_pumping_never_shortens_the_water_runway(
    water: int, fuel: int, kw: int, load: int, hours: int, flow: int
) -> None:
    gen = model.Generator("g", "AQ", kw, "fuel-1", load, hours, True, OPENED)
    pump = model.Pump("p", "AQ", "g", "water-1", flow, 30, 50, 90, OPENED)
    stores = [tank(water), tank(fuel, "fuel")]
    with_pump = {
        r.resource: r for r in runways(stores, Plant([gen], [pump]), 1_500, Minimums(), TODAY)
    }
    alone = {r.resource: r for r in runways(stores, Plant(), 1_500, Minimums(), TODAY)}
    for measure in ("humane", "survival"):
        pumped, tank_only = with_pump["water"].days(measure), alone["water"].days(measure)
        assert pumped is not None
        assert tank_only is not None
        assert pumped >= tank_only - 1e-9


@given(st.decimals(min_value=0, max_value=10**9, places=3), st.sampled_from(sorted(UNITS)))
def test_a_typed_quantity_is_exact_or_refused(amount: object, unit: str) -> None:
    factor = UNITS[unit][2]
    scaled = amount * factor  # type: ignore[operator]
    if scaled == int(scaled):
        assert to_base(str(amount), unit) == int(scaled)
    else:
        with pytest.raises(Exception, match="finer"):
            to_base(str(amount), unit)
