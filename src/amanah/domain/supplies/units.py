"""Typed units. The ledger holds integers in base units (mL, g, kcal, rations, doses); people
type quantities in any unit of the right dimension, with decimals where the unit allows."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from amanah.domain.supplies.errors import SuppliesRefused

#: unit -> (dimension, base unit, base units per unit)
UNITS: dict[str, tuple[str, str, int]] = {
    "L": ("volume", "mL", 1000),
    "mL": ("volume", "mL", 1),
    "kg": ("mass", "g", 1000),
    "g": ("mass", "g", 1),
    "kcal": ("energy", "kcal", 1),
    "rations": ("count", "rations", 1),
    "doses": ("count", "doses", 1),
}

#: The units each resource may be kept in, and the unit its runway is shown in. Food by mass
#: or ration carries its energy (kcal per kg, per ration); the others convert by base unit.
RESOURCES: dict[str, tuple[tuple[str, ...], str]] = {
    "water": (("L", "mL"), "L"),
    "fuel": (("L", "mL"), "L"),
    "food": (("kcal", "kg", "g", "rations"), "kcal"),
    "medicine": (("doses",), "doses"),
}

#: Largest quantity one record may carry (base units): 10⁹ L of water is not a typo to keep.
MAX_BASE = 10**15


def check_unit(unit: str) -> tuple[str, str, int]:
    found = UNITS.get(unit)
    if found is None:
        raise SuppliesRefused(f"unknown unit {unit!r}: one of {', '.join(UNITS)}")
    return found


def to_base(quantity: str | int, unit: str, what: str = "the quantity") -> int:
    """``quantity`` ``unit`` as a whole number of base units, refused when negative, not a
    number, or finer than the base unit (0.0005 L is half a millilitre)."""
    _, base, factor = check_unit(unit)
    if isinstance(quantity, bool):
        raise SuppliesRefused(f"{what} must be a number, not {quantity!r}")
    try:
        amount = Decimal(str(quantity).strip().replace(",", ""))
    except InvalidOperation:
        raise SuppliesRefused(f"{what} {quantity!r} is not a number") from None
    if not amount.is_finite():
        raise SuppliesRefused(f"{what} {quantity!r} is not a number")
    if amount < 0:
        raise SuppliesRefused(f"{what} may not be negative ({quantity} {unit})")
    if amount.adjusted() > 18:  # before multiplying: 1e999999 would overflow the context
        raise SuppliesRefused(f"{what} {quantity} {unit} is implausibly large")
    value = amount * factor
    if value != value.to_integral_value():
        raise SuppliesRefused(f"{what} {quantity} {unit} is finer than one {base}")
    if value > MAX_BASE:
        raise SuppliesRefused(f"{what} {quantity} {unit} is implausibly large")
    return int(value)


def from_base(amount: int, unit: str) -> float:
    """Base units shown in ``unit``."""
    return amount / check_unit(unit)[2]


def fmt(amount: int, unit: str) -> str:
    """``amount`` base units as text in ``unit`` (no needless decimals)."""
    value = Decimal(amount) / check_unit(unit)[2]
    text = f"{value:,f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + f" {unit}"
