"""The JSON shape of supplies, runways, incidents, notifications and appeals: the command
line's ``--json``, the API's responses and the situation report share these objects."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from amanah.domain.appeals.model import Appeal
from amanah.domain.incidents.model import Incident
from amanah.domain.notifications.model import Notification
from amanah.domain.shared import format_time
from amanah.domain.supplies import model as supply
from amanah.domain.supplies.runway import RationPlan, Runway
from amanah.domain.supplies.units import fmt, from_base
from amanah.services.siege import RunwayReport


def _round(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(value, places)


def supply_json(state: supply.State) -> dict[str, Any]:
    """A store (with its stock in its own unit), a generator or a pump."""
    found = state.to_state() | {"kind": state.kind, "status": state.status}
    if isinstance(state, supply.Store):
        found |= {
            "stock_text": fmt(state.stock, state.unit),
            "stock_in_unit": from_base(state.stock, state.unit),
            "base_unit": state.base,
        }
    return found


def runway_row_json(r: Runway, alert_days: float) -> dict[str, Any]:
    days = [d for d in (r.days_recent, r.days_humane, r.days_survival) if d is not None]
    return {
        "resource": r.resource,
        "unit": r.unit,
        "stock": _round(r.stock),
        "daily_recent": _round(r.daily_recent),
        "daily_humane": _round(r.daily_humane),
        "daily_survival": _round(r.daily_survival),
        "days_recent": _round(r.days_recent),
        "days_humane": _round(r.days_humane),
        "days_survival": _round(r.days_survival),
        "capped_by": r.capped_by,
        "pumped_per_day": _round(r.pumped_per_day),
        "fuel_days": _round(r.fuel_days),
        "alert": any(d < alert_days for d in days),
    }


def runway_json(report: RunwayReport) -> dict[str, Any]:
    m = report.minimums
    return {
        "facility": report.facility,
        "as_of": format_time(report.as_of),
        "population_inside": report.population,
        "threshold_days": m.alert_days,
        "standards": {
            "water_humane_l": m.water_humane_ml / 1000,
            "water_survival_l": m.water_survival_ml / 1000,
            "food_humane_kcal": m.food_humane_kcal + m.cold_kcal,
            "food_survival_kcal": m.food_survival_kcal + m.cold_kcal,
            "cold_adjustment_kcal": m.cold_kcal,
            "mean_temperature_c": m.mean_temperature_c,
            "overridden": list(report.overridden),
        },
        "resources": [runway_row_json(r, m.alert_days) for r in report.runways],
        "alerts": [
            {"resource": a.resource, "measure": a.measure, "days": _round(a.days)}
            for a in report.alerts
        ],
    }


def ration_json(p: RationPlan) -> dict[str, Any]:
    return {
        "resource": p.resource,
        "unit": p.unit,
        "days": _round(p.days),
        "daily_total": _round(p.daily),
        "per_person": _round(p.per_person, 3),
        "humane_per_person": p.humane,
        "survival_per_person": p.survival,
        "under_humane": p.under_humane,
        "under_survival": p.under_survival,
    }


def appeal_json(a: Appeal, now: datetime) -> dict[str, Any]:
    return a.to_state() | {
        "open": a.is_open,
        "deadline": a.deadline,
        "reminder_due": a.reminder_due(now),
    }


def incident_json(i: Incident) -> dict[str, Any]:
    return i.to_state() | {"serious": i.serious, "open": i.is_open, "latest": i.latest}


def notification_json(n: Notification, now: datetime) -> dict[str, Any]:
    return n.to_state() | {"overdue": n.is_overdue(now)}
